"""The strict build: any MkDocs warning (dead link, missing anchor, omitted file) fails it."""

from book import load_outline


def test_strict_build_passes_with_no_warnings(build):
    assert build.returncode == 0, f"mkdocs build --strict failed:\n{build.stderr[-6000:]}"
    warnings = [line for line in build.stderr.splitlines() if line.startswith("WARNING")]
    assert not warnings, "the build printed warnings:\n" + "\n".join(warnings)


def test_every_live_chapter_and_lab_is_built(site):
    outline = load_outline()
    for ch in outline.live_chapters():
        assert (site / ch.url / "index.html").is_file(), f"{ch.path} was not built"
        assert (site / ch.lab_url / "index.html").is_file(), f"{ch.path} has no lab at docs/{ch.lab_path}"


def test_part_pages_list_every_chapter_and_mark_unwritten_ones_as_coming(site):
    from sitecheck import parse

    for part in load_outline().parts:
        page = parse(site, site / part.dir / "index.html")
        text = " ".join(page.soup.get_text(" ").split())
        for ch in part.chapters:
            assert ch.title in text, f"{part.dir}/index.html does not list {ch.number} {ch.title}"
        live = {c.slug for c in part.chapters if (site / c.url / "index.html").exists()}
        coming = len(page.soup.select(".coming"))
        assert coming == len(part.chapters) - len(live), f"{part.dir}: {coming} marked coming, {len(live)} live"


def test_search_index_holds_lab_prose_but_not_lab_code(site):
    import json

    index = json.loads((site / "search" / "search_index.json").read_text())
    lab_entries = [d for d in index["docs"] if "/labs/" in d["location"]]
    assert lab_entries, "labs are missing from the search index"
    text = " ".join(d["text"] for d in lab_entries)
    assert "Predict first" in text, "lab prose is not indexed"
    assert "import numpy as np" not in text, "lab code is indexed"


def test_no_symbol_appears_that_the_source_does_not_contain(site):
    """Typographic replacements must not rewrite the text: exercise parts (c), (r) stay letters."""
    from book import DOCS

    for ch in load_outline().live_chapters():
        source = (DOCS / ch.path).read_text()
        html = (site / ch.url / "index.html").read_text().split("<article", 1)[1].split("</article>", 1)[0]
        for sign in ("©", "®", "™"):
            assert sign in source or sign not in html, f"{ch.path}: the page shows {sign} that its source does not have"
