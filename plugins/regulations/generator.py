"""Write the regulation pages (per language) and JSON documents (once)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from pelican.generators import Generator

from sunshine.i18n import DEFAULT_LANGUAGE
from sunshine.regulations.collection import RegulationSet, load
from sunshine.regulations.regulation_text import Document, Reference, references, to_json


def linked(text: str, refs: list[Reference]) -> Markup:
    """The text with each resolved cross-reference made a link to the part it names."""
    out, position = [], 0
    for ref in sorted(refs, key=lambda r: r.start):
        if ref.start < position or not ref.targets:
            continue
        out.append(escape(text[position : ref.start]))
        out.append(
            Markup('<a class="xref" href="#{}">{}</a>').format(
                ref.targets[0], text[ref.start : ref.end]
            )
        )
        position = ref.end
    out.append(escape(text[position:]))
    return Markup("").join(out)


def document_json(meta: dict[str, Any], document: Document) -> str:
    """``/regulations/<reg_id>.json``: a regulation's metadata and its parsed model."""
    data = {"meta": meta, **to_json(document)}
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


class RegulationsGenerator(Generator):
    """Pelican generator: ``/regulations/`` and ``/regulations/<reg_id>/`` (+ ``.json``)."""

    def generate_context(self) -> None:
        self.regulations: RegulationSet = load(self.settings["SUNSHINE"].var_path)
        once = self.settings["DEFAULT_LANG"] == DEFAULT_LANGUAGE.code  # one report per build
        for regulation in self.regulations.regulations:
            # Printed, not Pelican warnings (those are fatal): an irregular text is
            # published with its irregularities noted, a text with no article is left
            # out, and the rest of the site builds either way. Each names its line.
            if regulation.error:
                print(
                    f"regulations: {regulation.reg_id} not published: {regulation.error}",
                    file=sys.stderr,
                )
            elif regulation.document is not None and once:
                for note in regulation.document.irregularities:
                    print(
                        f"regulations: {regulation.reg_id} published with an irregularity:"
                        f" {note.message()}",
                        file=sys.stderr,
                    )

    def generate_output(self, writer: Any) -> None:
        lang = self.settings["DEFAULT_LANG"]
        writer.write_file(
            "regulations/index.html",
            self.get_template("regulations"),
            self.context,
            regulations=self.regulations,
            lang_key="en" if lang == "en" else "zh",
        )
        for regulation in self.regulations.regulations:
            if regulation.document is None:
                continue
            writer.write_file(
                f"regulations/{regulation.reg_id}/index.html",
                self.get_template("regulation"),
                self.context,
                regulation=regulation,
                regulations=self.regulations,
                refs=references(regulation.document),
                linked=linked,
                lang_key="en" if lang == "en" else "zh",
            )
        if lang == DEFAULT_LANGUAGE.code:
            self._write_json(Path(self.output_path))

    def _write_json(self, output: Path) -> None:
        folder = output / "regulations"
        folder.mkdir(parents=True, exist_ok=True)
        for regulation in self.regulations.regulations:
            if regulation.document is not None:
                text = document_json(regulation.meta, regulation.document)
                (folder / f"{regulation.reg_id}.json").write_text(text, encoding="utf-8")
