"""One glossary, two uses: tooltips on every page and the glossary page.

Terms live in ``glossary/*.yml`` (one file per chapter that introduces them). Every term with an
``expands`` field becomes an abbreviation appended to each Markdown page, which Material shows as
a tooltip wherever the exact term appears. The glossary page replaces ``<!-- glossary -->`` with
every term, alphabetically, linked to the chapter that introduces it.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from book import load_outline  # noqa: E402
from glossary_data import GlossaryError, load_glossary  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402

MARKER = "<!-- glossary -->"


_loaded: list = []  # the glossary, read once per build


def on_pre_build(config):
    # Read (and check) the glossary once per build, before any page: a bad entry fails early with
    # the file and term named, and pages do not re-parse a few hundred YAML entries each.
    try:
        _loaded[:] = load_glossary()
    except GlossaryError as exc:
        raise PluginError(str(exc)) from exc


def _glossary_page(terms, page_src: str) -> str:
    chapters = {f"{c.part}-{c.slug}": c for c in load_outline().chapters()}
    depth = page_src.count("/")
    lines = []
    letter = None
    for t in terms:
        first = t.term[0].upper()
        if first != letter:
            letter = first
            lines.append(f"\n## {letter}\n")
        ch = chapters.get(t.source)
        where = f" *Introduced in [{ch.number} {ch.title}]({'../' * depth}{ch.path}).*" if ch else ""
        head = f"**{t.term}**" + (f" ({t.expands})" if t.expands else "")
        lines.append(f"{head}\n:   {t.means}{where}\n")
    return "\n".join(lines)


def on_page_markdown(markdown, page, config, files):
    terms = _loaded
    if MARKER in markdown:
        markdown = markdown.replace(MARKER, _glossary_page(terms, page.file.src_uri))
    # Only the terms the page mentions: the abbreviation matcher's cost grows with the list.
    abbreviations = "\n".join(f"*[{t.term}]: {t.expands}" for t in terms if t.expands and t.term in markdown)
    return markdown + "\n\n" + abbreviations + "\n"
