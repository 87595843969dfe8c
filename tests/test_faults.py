"""Bad input is loud: plant one fault at a time in a temporary copy of the book, build it, and
check that the build (or the link checker) fails with a message that names the file."""

import shutil

import nbformat
import pytest
from conftest import ROOT, mkdocs_build
from sitecheck import check_internal_links

PILOT = "docs/hardware/roofline.md"
PILOT_LAB = "docs/hardware/labs/roofline.ipynb"


@pytest.fixture
def book(tmp_path, site):  # `site` first: the real build fills the lab cache the copy reuses
    copy = tmp_path / "book"
    copy.mkdir()
    for name in ("mkdocs.yml", "outline.yml", "requirements.lock"):
        shutil.copy(ROOT / name, copy / name)
    for name in ("docs", "scripts", "overrides", "glossary"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / ".cache").mkdir()
    (copy / ".cache" / "mkdocs-jupyter").symlink_to(ROOT / ".cache" / "mkdocs-jupyter", target_is_directory=True)
    return copy


def build(copy, tmp_path):
    result = mkdocs_build(copy, tmp_path / "out", {"LAB_CACHE_DIR": str(ROOT / ".cache" / "labs")})
    return result, tmp_path / "out"


def tiny_lab(path, code, markdown="# Lab 1.3: planted\n\nPredict first: nothing."):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell(markdown), nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell(code)]
    nbformat.write(nb, path)


def test_a_lab_that_raises_fails_the_build_naming_lab_and_cell(book, tmp_path):
    tiny_lab(book / PILOT_LAB, "raise ValueError('planted fault')")
    result, _ = build(book, tmp_path)
    assert result.returncode != 0
    assert "docs/hardware/labs/roofline.ipynb: cell 3 failed" in result.stderr, result.stderr[-2000:]
    assert "planted fault" in result.stderr


def test_a_lab_that_hangs_is_stopped_by_the_cell_timeout(book, tmp_path):
    tiny_lab(book / PILOT_LAB, "import time\ntime.sleep(60)")
    result = mkdocs_build(book, tmp_path / "out", {"LAB_CACHE_DIR": str(tmp_path / "c"), "LAB_CELL_TIMEOUT": "3"})
    assert result.returncode != 0
    assert "roofline.ipynb: cell 3 failed" in result.stderr and "time-out" in result.stderr, result.stderr[-2000:]


def test_a_notebook_that_is_not_json_fails_the_build_naming_it(book, tmp_path):
    (book / PILOT_LAB).write_text('{"cells": [ this is not json')
    result, _ = build(book, tmp_path)
    assert result.returncode != 0
    assert "docs/hardware/labs/roofline.ipynb: not a readable notebook" in result.stderr, result.stderr[-2000:]


@pytest.mark.parametrize(
    "planted, expected",
    [
        ("See [the missing chapter](no-such-chapter.md).", ["hardware/roofline.md", "no-such-chapter.md"]),
        ("See [nowhere](#no-such-section).", ["hardware/roofline.md", "no-such-section"]),
        ("Broken math: $\\frac{1}{$ here.", ["docs/hardware/roofline.md: cannot render the math"]),
        ("A claim.[^nolink]\n\n[^nolink]: Someone, somewhere, no URL.", ["docs/hardware/roofline.md: reference [^nolink] has no link"]),
        ("```quiz\n- question: Which?\n  options:\n    - {text: a, explain: b}\n```", ["docs/hardware/roofline.md:", "quiz 2: question 1 needs at least two options"]),
        ("```calculator\nkind: teleporter\n```", ["docs/hardware/roofline.md:", "unknown calculator kind 'teleporter'"]),
    ],
    ids=["dead-link", "missing-anchor", "bad-math", "reference-without-link", "bad-quiz", "unknown-calculator"],
)
def test_a_fault_planted_in_a_chapter_fails_the_build_naming_the_file(book, tmp_path, planted, expected):
    with open(book / PILOT, "a") as f:
        f.write("\n\n" + planted + "\n")
    result, _ = build(book, tmp_path)
    assert result.returncode != 0
    for fragment in expected:
        assert fragment in result.stderr, result.stderr[-2000:]


def test_a_dead_link_and_a_missing_anchor_in_a_lab_are_caught_by_the_link_checker(book, tmp_path):
    tiny_lab(
        book / PILOT_LAB,
        "y = 2",
        "# Lab 1.3: planted\n\nPredict first. [gone](../nowhere/) and [top](#no-such-cell).",
    )
    result, out = build(book, tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]  # MkDocs does not look inside notebooks...
    problems = "\n".join(check_internal_links(out))  # ...so the suite does
    assert "hardware/labs/roofline/index.html: broken link '../nowhere/'" in problems, problems
    assert "hardware/labs/roofline/index.html: link '#no-such-cell' points to a missing anchor" in problems, problems


def test_a_term_defined_twice_in_the_glossary_fails_naming_both_files(book, tmp_path):
    first = sorted((book / "glossary").glob("*.yml"))[0]
    term = (first.read_text().split("term:")[1].splitlines()[0]).strip()
    (book / "glossary" / "zz-duplicate.yml").write_text(f"- term: {term}\n  means: planted duplicate\n")
    result, _ = build(book, tmp_path)
    assert result.returncode != 0
    assert "glossary/zz-duplicate.yml" in result.stderr and first.name in result.stderr, result.stderr[-2000:]


def test_a_glossary_entry_without_a_definition_fails_naming_the_file(book, tmp_path):
    (book / "glossary" / "zz-broken.yml").write_text("- term: XYZZY\n")
    result, _ = build(book, tmp_path)
    assert result.returncode != 0
    assert "glossary/zz-broken.yml: entry 1 needs both 'term' and 'means'" in result.stderr, result.stderr[-2000:]


def test_the_render_cache_reuses_pages_changes_nothing_and_keeps_strict_failures(book, tmp_path):
    first = mkdocs_build(book, tmp_path / "a", {"LAB_CACHE_DIR": str(ROOT / ".cache" / "labs")})
    again = mkdocs_build(book, tmp_path / "b", {"LAB_CACHE_DIR": str(ROOT / ".cache" / "labs")})
    assert first.returncode == 0 and again.returncode == 0, again.stderr[-2000:]
    assert "0 pages reused" in first.stderr and "0 rendered" in again.stderr, again.stderr[-2000:]
    a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*") if p.is_file()}
    b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*") if p.is_file()}
    changed = sorted(str(k) for k in a.keys() | b.keys() if a.get(k) != b.get(k) and k.suffix != ".gz")
    assert not changed, f"a rebuild from the cache changed {changed[:5]}"
    # A page with a broken link fails the strict build, and fails it again when it is a cache hit.
    with open(book / PILOT, "a") as f:
        f.write("\n\nSee [nowhere](#no-such-section).\n")
    for attempt in ("c", "d"):
        result = mkdocs_build(book, tmp_path / attempt, {"LAB_CACHE_DIR": str(ROOT / ".cache" / "labs")})
        assert result.returncode != 0 and "no-such-section" in result.stderr, result.stderr[-2000:]
    assert "0 rendered" in result.stderr, "the second failing build did not come from the cache"
