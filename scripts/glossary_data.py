"""Load and check the glossary (``glossary/*.yml``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "glossary"


class GlossaryError(ValueError):
    pass


@dataclass(frozen=True)
class Term:
    term: str
    means: str
    expands: str | None
    source: str  # the file stem, "<part>-<slug>" of the chapter that introduces it


def load_glossary(folder: Path = GLOSSARY) -> list[Term]:
    seen: dict[str, str] = {}
    terms = []
    for path in sorted(folder.glob("*.yml")):
        rel = path.relative_to(folder.parent) if folder.parent in path.parents else path
        try:
            entries = yaml.load(path.read_text(), Loader=SafeLoader) or []
        except yaml.YAMLError as exc:
            raise GlossaryError(f"{rel}: not valid YAML: {exc}") from exc
        if not isinstance(entries, list):
            raise GlossaryError(f"{rel}: must be a list of entries (- term: ...)")
        for i, e in enumerate(entries, start=1):
            if not isinstance(e, dict) or not e.get("term") or not e.get("means"):
                raise GlossaryError(f"{rel}: entry {i} needs both 'term' and 'means'")
            unknown = set(e) - {"term", "means", "expands"}
            if unknown:
                raise GlossaryError(f"{rel}: entry {i} ({e['term']}) has unknown keys {sorted(unknown)}")
            term = str(e["term"]).strip()
            if term in seen:
                raise GlossaryError(f"{rel}: '{term}' is already defined in {seen[term]}")
            seen[term] = str(rel)
            expands = str(e["expands"]).strip() if e.get("expands") else None
            terms.append(Term(term, " ".join(str(e["means"]).split()), expands, path.stem))
    return sorted(terms, key=lambda t: t.term.lower())
