"""Navigation and part landing pages, generated from outline.yml.

A chapter is live when ``docs/<part>/<slug>.md`` exists: it then appears in the navigation, with
its lab (``docs/<part>/labs/<slug>.ipynb``) when there is one. A part's landing page lists every
chapter of the outline in place of the marker ``<!-- chapters -->``, linking the live ones and
marking the rest as coming.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from book import load_outline  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402

MARKER = "<!-- chapters -->"


def on_config(config):
    if config.get("nav"):
        raise PluginError("mkdocs.yml must not set nav: it is generated from outline.yml")
    docs = Path(config["docs_dir"])
    nav: list = [{"Home": "index.md"}]
    for part in load_outline().parts:
        entries: list = [f"{part.dir}/index.md"]
        labs: list = []
        for ch in part.chapters:
            if (docs / ch.path).exists():
                entries.append({f"{ch.number} {ch.title}": ch.path})
                if (docs / ch.lab_path).exists():
                    labs.append({f"Lab {ch.number}": ch.lab_path})
        if labs:
            entries.append({"Labs": labs})
        nav.append({f"{part.number} · {part.title}": entries})
    nav.append(
        {
            "Reference": [
                "reference/glossary.md",
                "reference/notation.md",
                "reference/bibliography.md",
            ]
        }
    )
    config["nav"] = nav
    return config


def _chapter_table(part, docs: Path) -> str:
    rows = ["| | Chapter | What it teaches | Lab |", "|---|---|---|---|"]
    for ch in part.chapters:
        if (docs / ch.path).exists():
            title = f"[{ch.title}]({ch.slug}.md)"
            lab = f"[Lab {ch.number}](labs/{ch.slug}.ipynb)" if (docs / ch.lab_path).exists() else "—"
        else:
            title = f"{ch.title} <span class=\"coming\">coming</span>"
            lab = "—"
        rows.append(f"| {ch.number} | {title} | {ch.summary} | {lab} |")
    return "\n".join(rows)


SEARCH_BOOST = {"chapter": 3, "lab": 0.5}  # a topic's chapter ranks above its lab in search


def on_page_markdown(markdown, page, config, files):
    outline = load_outline()
    if any(c.path == page.file.src_uri for c in outline.chapters()):
        page.meta.setdefault("search", {}).setdefault("boost", SEARCH_BOOST["chapter"])
    elif outline.chapter_for_lab(page.file.src_uri):
        page.meta.setdefault("search", {}).setdefault("boost", SEARCH_BOOST["lab"])
    if MARKER not in markdown:
        return markdown
    docs = Path(config["docs_dir"])
    part_dir = page.file.src_uri.split("/")[0]
    part = next((p for p in load_outline().parts if p.dir == part_dir), None)
    if part is None:
        raise PluginError(f"{page.file.src_uri}: {MARKER} is only meaningful on a part's index.md")
    return markdown.replace(MARKER, _chapter_table(part, docs))
