"""The built book in a real browser (Chromium driven by Playwright, served on 127.0.0.1)."""

import json
import re

import nbformat
import pytest
from book import DOCS, load_outline
from sitecheck import html_pages, page_url

pytestmark = pytest.mark.browser

PILOT = "/hardware/roofline/"
PILOT_LAB = "/hardware/labs/roofline/"
# $...$ holding something only TeX has: a command, a sub- or superscript, or braces.
UNRENDERED_MATH = re.compile(r"\$[^$\n]{0,120}[\\^_{}][^$\n]{0,120}\$")


def goto(page, server, path):
    page.goto(server + path, wait_until="networkidle")


def all_paths(site):
    return [page_url(site, p) for p in html_pages(site) if p.name == "index.html"]


def test_no_console_errors_and_no_request_to_another_host_on_any_page(page, server, site):
    problems = []
    for path in all_paths(site):
        page.console_errors.clear()
        page.foreign_requests.clear()
        goto(page, server, path)
        problems += [f"{path}: console error: {e}" for e in page.console_errors]
        problems += [f"{path}: request to another host: {u}" for u in page.foreign_requests]
    assert not problems, "\n".join(problems)


def test_math_is_rendered_as_mathml_not_shown_as_tex(page, server, site):
    goto(page, server, PILOT)
    assert page.locator("article math").count() > 0, "no MathML on the pilot chapter"
    for path in all_paths(site):
        goto(page, server, path)
        # Prose only: a code span may legitimately show TeX (`\\frac` in a sentence about LaTeX).
        text = page.locator("article").evaluate(
            "a => { const c = a.cloneNode(true); c.querySelectorAll('code, pre').forEach(e => e.remove()); return c.textContent; }"
        )
        for marker in ("\\(", "\\[", "$$", "\\frac", "\\sqrt", "\\text{"):
            assert marker not in text, f"{path}: TeX source {marker!r} is visible"
        leftover = UNRENDERED_MATH.search(text)
        assert leftover is None, f"{path}: math left as source: {leftover.group(0)!r}"


def test_math_in_a_lab_is_rendered(page, server):
    goto(page, server, PILOT_LAB)
    text = page.locator("article").inner_text()
    assert "\\frac" not in text and "$$" not in text


def test_every_chapter_figure_loads(page, server):
    for ch in load_outline().live_chapters():
        goto(page, server, "/" + ch.url)
        figures = page.locator("article figure img")
        assert figures.count() >= 1, f"{ch.path} has no figure"
        for i in range(figures.count()):
            img = figures.nth(i)
            ok = img.evaluate("el => el.complete && el.naturalWidth > 0")
            assert ok, f"{ch.path}: figure {img.get_attribute('src')} did not render"


def test_search_for_roofline_lands_on_the_roofline_chapter_first(page, server):
    goto(page, server, "/")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially("roofline", delay=30)
    first = page.locator(".md-search-result__item a").first
    first.wait_for(timeout=15000)
    href = first.get_attribute("href")
    assert "hardware/roofline/" in href and "labs" not in href, f"first result is {href}"
    first.click()
    page.wait_for_url("**/hardware/roofline/**")
    page.locator("article mark").first.wait_for(timeout=5000)  # search.highlight marks the term


@pytest.mark.parametrize("query, expected", [("HBM", "hardware/roofline/"), ("arithmetic intensity", "hardware/roofline/")])
def test_search_finds_topics(page, server, query, expected):
    goto(page, server, "/")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially(query, delay=30)
    page.locator(".md-search-result__item a").first.wait_for(timeout=15000)
    hrefs = [a.get_attribute("href") for a in page.locator(".md-search-result__item > a").all()[:3]]
    assert any(expected in h for h in hrefs), f"{query!r}: top results {hrefs}"


def test_dark_mode_toggles_and_changes_the_page_and_the_lab(page, server):
    goto(page, server, PILOT_LAB)
    light_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    for _ in range(3):
        if page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate":
            break
        page.locator("form[data-md-component=palette] label:visible").first.click()
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    dark_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert dark_bg != light_bg
    cell_bg = page.evaluate(
        "getComputedStyle(document.querySelector('.jupyter-wrapper .jp-OutputArea-output pre') || document.body).color"
    )
    # Output text must be light on the dark page (JupyterLab's dark theme applies).
    r, g, b = [int(x) for x in cell_bg[cell_bg.index("(") + 1 : cell_bg.index(")")].split(",")[:3]]
    assert (r + g + b) / 3 > 128, f"lab output text is dark ({cell_bg}) on a dark page"


def test_lab_page_has_working_download_colab_and_chapter_buttons(page, server):
    goto(page, server, PILOT_LAB)
    download = page.locator(".lab-bar a[download]")
    assert download.count() == 1
    response = page.request.get(download.evaluate("a => a.href"))
    assert response.ok
    nb = nbformat.reads(response.text(), as_version=4)
    nbformat.validate(nb)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    colab = page.locator(".lab-bar a", has_text="Colab").get_attribute("href")
    assert colab.startswith("https://colab.research.google.com/github/") and colab.endswith("docs/hardware/labs/roofline.ipynb")
    page.locator(".lab-bar a", has_text="Chapter").click()
    page.wait_for_url("**" + PILOT)


def test_lab_page_shows_executed_outputs(page, server):
    goto(page, server, PILOT_LAB)
    assert page.locator(".jp-OutputArea-output img").count() >= 1, "no plot on the lab page"
    assert page.locator(".jp-OutputArea-output").count() >= 3


def test_glossary_tooltip_appears_on_hover(page, server):
    goto(page, server, PILOT)
    abbr = page.locator("article abbr[title]", has_text="HBM").first
    assert abbr.count() == 1, "HBM is not marked as a glossary term on the pilot chapter"
    abbr.scroll_into_view_if_needed()
    abbr.hover()
    tooltip = page.locator(".md-tooltip2, .md-tooltip")
    tooltip.filter(has_text="High Bandwidth Memory").first.wait_for(state="visible", timeout=5000)


def test_glossary_tooltips_survive_instant_navigation(page, server):
    goto(page, server, "/hardware/")
    page.locator("article a[href*='roofline']").first.click()
    page.wait_for_url("**" + PILOT)
    abbr = page.locator("article abbr", has_text="HBM").first
    abbr.scroll_into_view_if_needed()
    abbr.hover()
    page.locator(".md-tooltip2, .md-tooltip").filter(has_text="High Bandwidth Memory").first.wait_for(state="visible", timeout=5000)


A11Y_PAGES = ["/", "/hardware/", PILOT, PILOT_LAB, "/reference/glossary/"]
# Every page that hosts a calculator or a quiz widget is checked too (their markup is ours).
A11Y_PAGES += sorted({"/" + c.url for c in load_outline().live_chapters() if "```calculator" in (DOCS / c.path).read_text()} - set(A11Y_PAGES))


@pytest.mark.parametrize("path", A11Y_PAGES)
@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_accessibility_has_no_serious_or_critical_violations(page, server, path, scheme):
    from axe_playwright_python.sync_playwright import Axe

    goto(page, server, path)
    page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
    page.wait_for_timeout(700)  # let Material's colour transitions finish before measuring contrast
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    detail = json.dumps(
        [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:5]]} for v in bad], indent=1
    )
    assert not bad, f"{path} ({scheme}): {detail}"


@pytest.mark.parametrize("path", [PILOT, PILOT_LAB, "/"])
def test_pages_fit_a_phone_screen(browser, server, path):
    context = browser.new_context(viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True)
    pg = context.new_page()
    pg.goto(server + path, wait_until="networkidle")
    overflow = pg.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    context.close()
    assert overflow <= 1, f"{path} scrolls sideways by {overflow}px at phone width"
