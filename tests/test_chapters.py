"""Every live chapter meets the book's standard (BOOK.md, AUTHORING.md): its parts are all there,
it is long enough to teach, it cites primary sources, and its acronyms are in the glossary."""

import re

import pytest
import yaml
from book import DOCS, ROOT, load_outline
from glossary_data import load_glossary
from references import first_url, footnotes
from sitecheck import parse

CHAPTERS = load_outline().live_chapters()
MIN_WORDS = 1800


def front_matter(text: str) -> dict:
    m = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    return yaml.safe_load(m.group(1)) if m else {}


def prose_words(text: str) -> int:
    """Words of prose: no front matter, code, tables, math, HTML, footnote definitions or headings."""
    text = re.sub(r"^---\n.*?\n---\n", "", text, flags=re.S)
    text = re.sub(r"^([ \t]*)(```|~~~).*?^\1\2[ \t]*$", "", text, flags=re.S | re.M)
    text = re.sub(r"\$\$.*?\$\$", "", text, flags=re.S)
    text = re.sub(r"\$[^$\n]+\$", "", text)
    text = re.sub(r"<[^>]+>", "", text)
    lines = [
        line
        for line in text.splitlines()
        if not line.lstrip().startswith(("|", "#", "[^", "*[", "!!!", "???", "==="))
    ]
    return len(re.findall(r"[A-Za-z][A-Za-z'’-]*", "\n".join(lines)))


@pytest.fixture(params=CHAPTERS, ids=lambda c: c.path)
def chapter(request):
    ch = request.param
    return ch, (DOCS / ch.path).read_text()


def test_chapter_has_every_part_of_a_chapter(chapter):
    ch, text = chapter
    fm = front_matter(text)
    assert fm.get("title") and fm.get("description"), f"{ch.path}: front matter needs title and description"
    assert re.search(r"^# .+", text, re.M), f"{ch.path}: no H1"
    assert '!!! abstract "What you will be able to do"' in text, f"{ch.path}: no 'What you will be able to do'"
    for heading in ("What this means for you", "Key takeaways", "Exercises", "Lab", "References"):
        assert re.search(rf"^## {heading}\b", text, re.M), f"{ch.path}: no '## {heading}' section"
    assert "///Footnotes Go Here///" in text, f"{ch.path}: references must be placed under ## References"


def test_chapter_teaches_at_length(chapter):
    ch, text = chapter
    words = prose_words(text)
    assert words >= MIN_WORDS, f"{ch.path}: {words} words of prose, fewer than {MIN_WORDS}"


def test_chapter_has_exercises_with_worked_solutions(chapter):
    ch, text = chapter
    exercises = text.split("## Exercises", 1)[1].split("\n## ", 1)[0]
    solutions = re.findall(r'^\?\?\? success "Solution"', exercises, re.M)
    assert len(solutions) >= 3, f"{ch.path}: {len(solutions)} worked solutions, need at least 3"
    numeric = [s for s in exercises.split('??? success "Solution"')[1:] if re.search(r"\d+(\.\d+)?\s*(×|x|\*|/|=|≈)", s)]
    assert numeric, f"{ch.path}: no exercise solution shows numeric working"


def test_chapter_cites_primary_sources(chapter):
    ch, text = chapter
    defs = footnotes(text)
    assert len(defs) >= 3, f"{ch.path}: {len(defs)} references, need at least 3"
    body = text.split("///Footnotes Go Here///")[0]
    body = re.sub(r"^([ \t]*)(```|~~~).*?^\1\2[ \t]*$", "", body, flags=re.S | re.M)  # code is not citing
    body = re.sub(r"`[^`\n]+`", "", body)
    cited = set(re.findall(r"\[\^([^\]]+)\](?!:)", body))
    assert not cited - set(defs), f"{ch.path}: cited but not defined: {sorted(cited - set(defs))}"
    assert not set(defs) - cited, f"{ch.path}: defined but never cited: {sorted(set(defs) - cited)}"
    for key, ref in defs.items():
        assert first_url(ref), f"{ch.path}: reference [^{key}] has no link"


def test_chapter_has_a_figure_and_a_table(chapter):
    ch, text = chapter
    assert re.search(r"!\[[^\]]+\]\(figures/[^)]+\.svg\)", text), f"{ch.path}: no SVG figure with alt text"
    assert re.search(r"^\|.*\|\s*$\n^\|[\s:|-]+\|\s*$", text, re.M), f"{ch.path}: no table"


def test_figures_are_wellformed_svg_without_fixed_pixel_size():
    import xml.etree.ElementTree as ET

    for svg in sorted(DOCS.glob("*/figures/*.svg")):
        root = ET.parse(svg).getroot()
        assert root.get("viewBox"), f"{svg.relative_to(ROOT)}: no viewBox"
        for attr in ("width", "height"):
            value = root.get(attr, "")
            assert not value.rstrip("px").isdigit() or int(value.rstrip("px")) <= 100, f"{svg.relative_to(ROOT)}: fixed {attr}={value}"


ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]*[A-Z][A-Z0-9]*[a-z]?\b")


def glossary_ignored() -> set[str]:
    path = ROOT / "glossary" / "not-terms.txt"
    return {line.split("#")[0].strip() for line in path.read_text().splitlines() if line.split("#")[0].strip()}


def test_every_acronym_on_a_chapter_page_is_in_the_glossary(site):
    known = {t.term for t in load_glossary()} | glossary_ignored()
    missing = {}
    for ch in CHAPTERS:
        soup = parse(site, site / ch.url / "index.html").soup
        article = soup.select_one("article")
        for tag in article.select("pre, code, math, .footnote, .md-source-file, .headerlink"):
            tag.decompose()
        for word in ACRONYM.findall(article.get_text(" ")):
            if word not in known and word.rstrip("s") not in known:
                missing.setdefault(word, ch.path)
    assert not missing, "acronyms with no glossary entry (add them to the chapter's glossary file, or to glossary/not-terms.txt if not a term): " + ", ".join(f"{w} ({p})" for w, p in sorted(missing.items()))


def test_glossary_terms_show_as_tooltips_on_chapter_pages(site):
    terms = {t.term: t.expands for t in load_glossary() if t.expands}
    seen = {}
    for ch in CHAPTERS:
        soup = parse(site, site / ch.url / "index.html").soup
        for abbr in soup.select("article abbr[title]"):
            seen[abbr.get_text()] = abbr["title"]
    for term, title in seen.items():
        assert terms.get(term) == title, f"tooltip for {term} says {title!r}, glossary says {terms.get(term)!r}"
    assert len(seen) >= 10, f"only {len(seen)} glossary terms appear as tooltips across the chapters"


def test_lab_pages_stay_within_the_html_budget(site):
    """Budget from the platform issue: ≤ 100 KB of HTML per lab page, inline images excluded."""
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from bench import BUDGET_LAB_HTML_KB, html_weight

    for ch in CHAPTERS:
        _, lean = html_weight(site / ch.lab_url / "index.html")
        assert lean <= BUDGET_LAB_HTML_KB * 1024, f"{ch.lab_url}: {lean / 1024:.0f} KB of HTML without images"
