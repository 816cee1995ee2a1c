"""The project's own settings: one typed model, each field described.

Pelican's settings (``pelicanconf.py``) say how pages are laid out; these say
where the data comes from and where state and output live. Every field can be
overridden from the environment: the four that operators set most have short
names (``REGISTRY_URL``, ``REGISTRY_TOKEN``, ``SUNSHINE_VAR``,
``SUNSHINE_OUTPUT``); the others take the ``SUNSHINE_`` prefix and their field
name in capitals (``SUNSHINE_LICENCE``). A bad value stops the build with a
message that names the setting, its variable and what was wrong.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated

from pydantic import (
    AliasChoices,
    Field,
    HttpUrl,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from sunshine.errors import SunshineError

ROOT = Path(__file__).resolve().parent.parent
"""The project's top folder; relative paths in settings are taken from here."""


DEFAULT_SITE_SECRET = "demo-site-secret"
SECRET_BITS = 128
"""The least a production site secret must carry (brief: privacy of the lookup, rule 7)."""


def secret_bits(secret: str) -> float:
    """An estimate of a secret's entropy: its length times the bits of its alphabet.

    A random token of 128 bits passes in the common encodings (32 hex digits, 22
    base64 characters); a repeated word or a short phrase does not. No check can
    prove randomness; the settings' description says how to make a random one.
    """
    import math
    import string

    if len(set(secret)) < 8:
        return 0.0
    for alphabet in (string.hexdigits, string.ascii_letters + string.digits + "+/=-_"):
        if all(ch in alphabet for ch in secret):
            size = 16 if alphabet is string.hexdigits else 64
            return len(secret) * math.log2(size)
    # Anything else is taken for words a person chose: about 4 bits a character.
    return len(secret) * 4.0


def weak_secret(secret: str) -> str | None:
    """Why ``secret`` may not be a production site secret, naming the setting; None if it may."""
    where = "setting site_secret (environment variable SUNSHINE_SITE_SECRET)"
    if secret == DEFAULT_SITE_SECRET:
        return f"{where}: the default secret may not be used in production; {_MAKE_ONE}"
    if secret_bits(secret) < SECRET_BITS:
        return (
            f"{where}: too short or too plain for production (under {SECRET_BITS} bits); "
            + _MAKE_ONE
        )
    return None


_MAKE_ONE = "make a random one with: python3 -c 'import secrets; print(secrets.token_hex(16))'"


def _env(name: str) -> AliasChoices:
    return AliasChoices(name)


class ConfigError(SunshineError):
    """A setting has a value the site cannot be built with."""


class Settings(BaseSettings):
    """Settings of the Sunshine site and its fetcher."""

    model_config = SettingsConfigDict(
        env_prefix="SUNSHINE_",
        extra="forbid",
        frozen=True,
        populate_by_name=True,
    )

    registry_url: Annotated[
        HttpUrl,
        Field(
            validation_alias=_env("REGISTRY_URL"),
            description="Base URL of the case registry's export API (v1), "
            "for example https://registry.example.org/api/v1. "
            "The default is the demo registry that `invoke registry` serves on loopback.",
        ),
    ] = HttpUrl("http://127.0.0.1:8765/api/v1")
    registry_token: Annotated[
        SecretStr,
        Field(
            validation_alias=_env("REGISTRY_TOKEN"),
            description="Bearer token for the registry. Never logged or written to the output.",
        ),
    ] = SecretStr("demo-token")
    var_dir: Annotated[
        Path,
        Field(
            validation_alias=_env("SUNSHINE_VAR"),
            description="Folder for state: the SQLite store, caches and the search index. "
            "Relative paths are taken from the project folder.",
        ),
    ] = Path("var")
    output_dir: Annotated[
        Path,
        Field(
            validation_alias=_env("SUNSHINE_OUTPUT"),
            description="Folder the static site is written to. "
            "Relative paths are taken from the project folder.",
        ),
    ] = Path("output")
    site_url: Annotated[
        str,
        Field(
            description="Absolute URL the production site is served from, without a "
            "trailing slash (used by publishconf.py for feeds and canonical links).",
        ),
    ] = "https://sunshine.example.org"
    licence: Annotated[
        str,
        Field(
            min_length=1,
            description="Licence of the published data and texts, named in every page's "
            "footer and in the open-data package.",
        ),
    ] = "CC BY 4.0"
    site_secret: Annotated[
        SecretStr,
        Field(
            min_length=8,
            description="Secret of this deployment for the case tracker: the public salt of "
            "the key derivation is made from it, so a secret shared with another site (the "
            "default) lets one guessing effort serve both. In production a random value of "
            "at least 128 bits, e.g. `python3 -c 'import secrets; print(secrets.token_hex(16))'`"
            "; keep it stable (changing it derives every key and rewrites every lookup file).",
        ),
    ] = SecretStr(DEFAULT_SITE_SECRET)
    kdf_iterations: Annotated[
        int,
        Field(
            ge=256,
            le=10_000_000,
            description="PBKDF2-SHA256 iterations per query code. 4096 makes guessing any one "
            "of 10 million published cases cost 2^64.75 SHA-256 evaluations "
            "(docs/privacy.md); the build warns when the published count brings that "
            "under 2^64. Each key is derived once per case, so more costs the first "
            "build (and each new case) linearly.",
        ),
    ] = 4096
    production: Annotated[
        bool,
        Field(
            description="A production deployment: the site secret must then be a random "
            "value of at least 128 bits, not the default. `invoke update` and "
            "`invoke build --production` always count as production.",
        ),
    ] = False
    notes_enabled: Annotated[
        bool,
        Field(
            description="Publish staff notes (after scrubbing). False leaves every note "
            "out of the store and the site.",
        ),
    ] = True
    stale_after: Annotated[
        int,
        Field(
            ge=1,
            le=365,
            description="Days after the data's time (the registry's time of the last fetch) "
            "beyond which a page viewed says plainly that its data may be out of date "
            "(`[data-testid=data-stale]`), with the data's time. Judged in the browser when "
            "the page is viewed, and by `invoke update` in status.json (`stale`).",
        ),
    ] = 3
    microdata_k: Annotated[
        int,
        Field(
            ge=2,
            le=100,
            description="k of the case-level open data (/data/cases.csv): every combination "
            "of period, region, category, kind and channel in it occurs at least k times.",
        ),
    ] = 5
    microdata_max_suppressed: Annotated[
        float,
        Field(
            gt=0,
            lt=1,
            description="The largest share of cases /data/cases.csv may leave out to reach "
            "k; beyond it the file's period, region, category, kind or channel is "
            "generalised further.",
        ),
    ] = 0.1
    office_name: Annotated[
        str,
        Field(
            min_length=1,
            description="Name of the petition office petitioners should contact, shown in "
            "every page's footer and on the tracker's not-found and overdue results. The "
            "default names an example office for the demo: set the real one.",
        ),
    ] = "示例市信访局（示例办公室，非真实机构）"
    office_address: Annotated[
        str,
        Field(
            min_length=1,
            description="Postal and visiting address of the petition office (shown with its name).",
        ),
    ] = "示例市示例区示例路 1 号（示例地址）"
    office_phone: Annotated[
        str,
        Field(
            min_length=1,
            description="Telephone number of the petition office, as petitioners should dial it.",
        ),
    ] = "012-3456-7890（示例电话）"
    office_hours: Annotated[
        str,
        Field(
            min_length=1,
            description="When the petition office receives visitors and answers the phone.",
        ),
    ] = "周一至周五 9:00–12:00，13:30–17:00（法定节假日除外）"
    office_url: Annotated[
        str,
        Field(
            description="Web address of the petition office (absolute http(s) URL), shown "
            "as text with the office's other details (the site links only to its own origin).",
        ),
    ] = "https://xinfang.example.org"
    office_logo: Annotated[
        str,
        Field(
            description="The office's emblem or logo, shown beside its name in every page's "
            "header: a path from the site's root, either a file of the theme "
            "(theme/img/…) or a staff image (images/…, from content/images). The default "
            "is a neutral sun emblem of the theme, not an official one.",
        ),
    ] = "theme/img/emblem.svg"

    @field_validator("office_logo")
    @classmethod
    def _office_logo_on_site(cls, value: str) -> str:
        # Served from the site itself: the pages load nothing from another origin (CSP).
        if not value.startswith(("theme/", "images/")) or ".." in value or "//" in value:
            raise ValueError("must be a path under theme/ or images/, such as images/logo.svg")
        return value

    @field_validator("office_url")
    @classmethod
    def _office_url_absolute(cls, value: str) -> str:
        # Shown on every page as where to go: a web address, not some other scheme.
        if not value.startswith(("https://", "http://")):
            raise ValueError("must be an absolute http(s) URL")
        return value

    @field_validator("site_url")
    @classmethod
    def _absolute_without_slash(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("must be an absolute http(s) URL")
        if value.endswith("/"):
            raise ValueError("must not end with '/'")
        return value

    @model_validator(mode="after")
    def _production_secret(self) -> Settings:
        if self.production:
            problem = weak_secret(self.site_secret.get_secret_value())
            if problem:
                raise ValueError(problem)
        return self

    def path(self, value: Path) -> Path:
        """An absolute path for a folder setting, relative ones taken from the project."""
        return value if value.is_absolute() else ROOT / value

    def data_is_stale(self, data_as_of: str | None, now: datetime) -> bool:
        """Whether data of time ``data_as_of`` (ISO 8601 with offset) is older than
        ``stale_after`` days at ``now``; no data at all counts as stale.

        The pages judge the same in the browser (freshness.js); this is for what
        the server side writes, such as status.json.
        """
        if not data_as_of:
            return True
        return now - datetime.fromisoformat(data_as_of) > timedelta(days=self.stale_after)

    @property
    def var_path(self) -> Path:
        """Absolute path of the state folder."""
        return self.path(self.var_dir)

    @property
    def output_path(self) -> Path:
        """Absolute path of the output folder."""
        return self.path(self.output_dir)


def environment(settings: Settings) -> dict[str, str]:
    """Every setting as the environment variables that give it (secrets included).

    For child processes that must see exactly these settings (a build run by
    ``invoke update``), whatever this process's own environment says.
    """
    env = {}
    for field in Settings.model_fields:
        value = getattr(settings, field)
        if hasattr(value, "get_secret_value"):
            value = value.get_secret_value()
        if isinstance(value, Path):
            value = settings.path(value)
        env[env_name(field)] = str(value).lower() if isinstance(value, bool) else str(value)
    return env


def env_name(field: str) -> str:
    """The environment variable that overrides ``field``."""
    info = Settings.model_fields[field]
    alias = info.validation_alias
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return f"SUNSHINE_{field.upper()}"


def load_settings(**overrides: object) -> Settings:
    """Read the settings from the environment; raise :class:`ConfigError` naming a bad one."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            if not error["loc"]:  # a rule over several settings names them itself
                problems.append(str(error["ctx"].get("error", error["msg"])))
                continue
            field = str(error["loc"][0])
            name = field
            if field in Settings.model_fields:
                name = f"{field} (environment variable {env_name(field)})"
            else:
                for candidate in Settings.model_fields:
                    if env_name(candidate) == field:
                        name = f"{candidate} (environment variable {field})"
            problems.append(f"setting {name}: {error['msg']}")
        raise ConfigError("; ".join(problems)) from None
