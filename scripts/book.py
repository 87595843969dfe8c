"""The book's structure, read from outline.yml, shared by the hooks, the tests and the benchmark."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


@dataclass(frozen=True)
class Chapter:
    part: str
    number: str
    slug: str
    title: str
    summary: str

    @property
    def path(self) -> str:  # relative to docs/
        return f"{self.part}/{self.slug}.md"

    @property
    def lab_path(self) -> str:
        return f"{self.part}/labs/{self.slug}.ipynb"

    @property
    def url(self) -> str:
        return f"{self.part}/{self.slug}/"

    @property
    def lab_url(self) -> str:
        return f"{self.part}/labs/{self.slug}/"


@dataclass(frozen=True)
class Part:
    dir: str
    number: int
    title: str
    chapters: tuple[Chapter, ...]


@dataclass(frozen=True)
class Outline:
    parts: tuple[Part, ...]

    def chapters(self) -> list[Chapter]:
        return [c for p in self.parts for c in p.chapters]

    def live_chapters(self, docs: Path = DOCS) -> list[Chapter]:
        return [c for c in self.chapters() if (docs / c.path).exists()]

    def chapter_for_lab(self, lab_src_uri: str) -> Chapter | None:
        return next((c for c in self.chapters() if c.lab_path == lab_src_uri), None)


def _load(path: Path) -> Outline:
    data = yaml.safe_load(path.read_text())
    parts = []
    for p in data["parts"]:
        chapters = tuple(
            Chapter(p["dir"], f"{p['number']}.{i}", c["slug"], c["title"], c["summary"])
            for i, c in enumerate(p["chapters"], start=1)
        )
        parts.append(Part(p["dir"], p["number"], p["title"], chapters))
    return Outline(tuple(parts))


@lru_cache(maxsize=None)
def _cached(path: str, mtime: float) -> Outline:
    return _load(Path(path))


def load_outline(path: Path = ROOT / "outline.yml") -> Outline:
    return _cached(str(path), path.stat().st_mtime)
