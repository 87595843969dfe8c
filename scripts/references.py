"""Read a chapter's references: its footnote definitions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

FOOTNOTE_DEF = re.compile(r"^\[\^([^\]]+)\]:\s*(.*)$")
URL = re.compile(r"<(https?://[^>\s]+)>|\]\((https?://[^)\s]+)\)")


class ReferenceError_(ValueError):
    pass


@dataclass
class Reference:
    text: str
    url: str
    chapters: list = field(default_factory=list)


def footnotes(markdown: str) -> dict[str, str]:
    """Footnote key -> its full text (continuation lines indented by four spaces are joined)."""
    defs: dict[str, str] = {}
    key = None
    for line in markdown.splitlines():
        m = FOOTNOTE_DEF.match(line)
        if m:
            key = m.group(1)
            defs[key] = m.group(2).strip()
        elif key and line.startswith("    ") and line.strip():
            defs[key] += " " + line.strip()
        else:
            key = None
    return defs


def first_url(text: str) -> str | None:
    m = URL.search(text)
    return (m.group(1) or m.group(2)) if m else None


def collect(docs: Path, chapters) -> list[Reference]:
    """Every reference of the given chapters, once per URL, in order of first citation."""
    refs: dict[str, Reference] = {}
    for ch in chapters:
        for key, text in footnotes((docs / ch.path).read_text()).items():
            url = first_url(text)
            if url is None:
                raise ReferenceError_(f"docs/{ch.path}: reference [^{key}] has no link to its source")
            ref = refs.setdefault(url, Reference(text, url))
            if ch not in ref.chapters:
                ref.chapters.append(ch)
    return list(refs.values())
