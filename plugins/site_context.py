"""Template context every page needs: languages, alternates, settings, freshness.

Collect: :func:`alternate_path` decides, from the file being written and its
content, where the same page lives in another language (or that it does not).
Write: :func:`register` installs it, with the language list, the time of the
registry data in the store (its ``generated_at``) and the page's
Content-Security-Policy (:func:`sunshine.headers.meta_policy`), as Jinja globals.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import pass_context
from pelican import signals

from plugins.extension_points import build_state
from sunshine.headers import meta_policy
from sunshine.i18n import LANGUAGES

# Category and tag slugs come from their names, which differ between
# languages, so such a page has no same-path twin in the other language.
_PER_LANGUAGE_LISTINGS = ("explainers/category/", "explainers/tag/")


def page_path(output_file: str) -> str:
    """The URL path (relative to a site root) of an output file."""
    if output_file == "index.html":
        return ""
    if output_file.endswith("/index.html"):
        return output_file[: -len("index.html")]
    return output_file


def alternate_path(output_file: str, content: Any, target_lang: str) -> str | None:
    """Path of the same page in ``target_lang``, or None where it has no twin.

    Pages and explainers share one slug and one URL pattern across languages,
    so a translated piece sits at the same path under the other site root;
    listings built from templates exist in every language.
    """
    if content is not None:
        langs = {content.lang} | {t.lang for t in getattr(content, "translations", [])}
        if target_lang not in langs:
            return None
    elif output_file.startswith(_PER_LANGUAGE_LISTINGS):
        return None
    return page_path(output_file)


def _site_url(context: Any, lang: str) -> str:
    urls = context.get("lang_siteurls") or {}
    return str(urls.get(lang, context.get("SITEURL", "")))


@pass_context
def alternate_url(context: Any, target_lang: str) -> str | None:
    """URL of the page being written in ``target_lang``, or None."""
    content = context.get("article") or context.get("page")
    path = alternate_path(context.get("output_file", ""), content, target_lang)
    if path is None:
        return None
    return f"{_site_url(context, target_lang)}/{path}"


@pass_context
def switch_url(context: Any, target_lang: str) -> str:
    """Where the language switch leads: the same page, else that language's home."""
    return alternate_url(context, target_lang) or f"{_site_url(context, target_lang)}/"


def data_as_of(generated_at: str | None) -> str | None:
    """The footer's freshness line: date and minute (Asia/Shanghai) of the registry's data."""
    if not generated_at:
        return None
    return generated_at[:16].replace("T", " ")


def _install(generator: Any) -> None:
    settings = generator.settings["SUNSHINE"]
    generated_at = build_state(settings.var_path, "data_as_of")
    generator.env.globals.update(
        LANGUAGES=LANGUAGES,
        alternate_url=alternate_url,
        switch_url=switch_url,
        # base.html: the policy for where the pages load their scripts from
        # (main_siteurl), so a host that sends no headers still applies it.
        content_security_policy=meta_policy,
        data_as_of=data_as_of(generated_at),
        # The same time in full (ISO 8601 with its offset), for the stale notice
        # the browser judges against its own clock (_data_stale.html).
        data_time=generated_at,
    )


def register() -> None:
    """Hook the context into every generator's Jinja environment; write ``_headers``."""
    signals.generator_init.connect(_install)
    signals.finalized.connect(_write_headers)


def _write_headers(pelican: Any) -> None:
    # For static hosts that read a _headers file; the same set as the nginx
    # snippet and the development server (sunshine/headers.py), with the policy
    # for this build's site URL, as in the pages' <meta>.
    from sunshine.headers import netlify_file
    from sunshine.i18n import DEFAULT_LANGUAGE

    if pelican.settings["DEFAULT_LANG"] != DEFAULT_LANGUAGE.code:
        return
    production = bool(pelican.settings.get("SUNSHINE_PRODUCTION"))
    (Path(pelican.settings["OUTPUT_PATH"]) / "_headers").write_text(
        netlify_file(production, pelican.settings["SITEURL"]), encoding="utf-8"
    )
