"""The bibliography page, collected from every chapter's references.

A chapter's references are its footnote definitions (``[^key]: ...``). The bibliography page
replaces ``<!-- bibliography -->`` with all of them, grouped by part, each listed once (by its
first link) with the chapters that cite it.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from book import load_outline  # noqa: E402
from references import ReferenceError_, collect  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402

MARKER = "<!-- bibliography -->"


def on_page_markdown(markdown, page, config, files):
    if MARKER not in markdown:
        return markdown
    docs = Path(config["docs_dir"])
    depth = page.file.src_uri.count("/")
    out = []
    try:
        for part in load_outline().parts:
            live = [c for c in part.chapters if (docs / c.path).exists()]
            if not live:
                continue
            out.append(f"\n## Part {part.number}: {part.title}\n")
            for ref in collect(docs, live):
                cited = ", ".join(f"[{c.number}]({'../' * depth}{c.path})" for c in ref.chapters)
                out.append(f"- {ref.text} — cited in {cited}")
    except ReferenceError_ as exc:
        raise PluginError(str(exc)) from exc
    return markdown.replace(MARKER, "\n".join(out) + "\n")
