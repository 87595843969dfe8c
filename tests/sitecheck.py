"""Checks over a built site, used by the tests and by the fault-planting tests.

Each check returns a list of problems, one string each, naming the page (relative to the site)
and what is wrong, so a failure says exactly where to look.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
SKIP_SCHEMES = ("mailto:", "javascript:", "data:", "tel:")
HOSTNAME = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$", re.I)


@dataclass
class Page:
    rel: str  # path relative to the site, e.g. "hardware/roofline/index.html"
    soup: BeautifulSoup
    ids: set[str] = field(default_factory=set)


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")


@lru_cache(maxsize=4096)
def _parse(path: str, mtime: float) -> Page:
    soup = BeautifulSoup(Path(path).read_text(encoding="utf-8"), "html.parser")
    ids = {el["id"] for el in soup.find_all(id=True)} | {el["name"] for el in soup.find_all("a", attrs={"name": True})}
    return Page("", soup, ids)


def parse(site: Path, path: Path) -> Page:
    page = _parse(str(path), path.stat().st_mtime)
    return Page(str(path.relative_to(site)), page.soup, page.ids)


def page_url(site: Path, path: Path) -> str:
    return "/" + str(path.relative_to(site)).removesuffix("index.html")


def _target(site: Path, url_path: str) -> Path | None:
    """The file a site-absolute URL path serves, or None."""
    p = site / unquote(url_path).lstrip("/")
    if url_path.endswith("/") or p.is_dir():
        p = p / "index.html"
    return p if p.is_file() else None


def links(page: Page):
    for tag, attr in (("a", "href"), ("img", "src"), ("link", "href"), ("script", "src"), ("source", "src")):
        for el in page.soup.find_all(tag):
            value = el.get(attr)
            if value:
                yield tag, value


def check_internal_links(site: Path) -> list[str]:
    problems = []
    for path in html_pages(site):
        page = parse(site, path)
        base = page_url(site, path)
        for tag, href in links(page):
            if href.startswith(SKIP_SCHEMES) or urlparse(href).scheme in ("http", "https"):
                continue
            resolved = urlparse(urljoin("http://site" + base, href))
            target = _target(site, resolved.path)
            if target is None:
                what = "image" if tag == "img" else "link"
                problems.append(f"{page.rel}: broken {what} {href!r} (no file at {resolved.path})")
                continue
            frag = unquote(resolved.fragment)
            if frag and target.suffix == ".html" and frag not in parse(site, target).ids:
                problems.append(f"{page.rel}: link {href!r} points to a missing anchor #{frag} in {target.relative_to(site)}")
    return problems


def external_links(site: Path) -> dict[str, set[str]]:
    """External URL -> the pages that link to it (theme furniture excluded)."""
    furniture = furniture_prefixes()
    found: dict[str, set[str]] = {}
    for path in html_pages(site):
        page = parse(site, path)
        for tag, href in links(page):
            if urlparse(href).scheme in ("http", "https") and not href.startswith(furniture):
                found.setdefault(href, set()).add(page.rel)
    return found


def furniture_prefixes() -> tuple[str, ...]:
    """Links the theme and the lab buttons add: the site's own canonical URLs, the repository, Colab."""
    cfg = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    repo = cfg["repo_url"].rstrip("/")
    colab = "https://colab.research.google.com/github/" + repo.removeprefix("https://github.com/")
    return (cfg["site_url"], repo, colab)


def malformed(url: str) -> str | None:
    parsed = urlparse(url)
    if parsed.scheme != "https" and parsed.scheme != "http":
        return "not http(s)"
    if not parsed.hostname or not HOSTNAME.match(parsed.hostname):
        return f"bad host {parsed.hostname!r}"
    if any(c.isspace() for c in url) or "<" in url or ">" in url or '"' in url:
        return "contains whitespace or markup"
    return None


def check_external_links(site: Path) -> list[str]:
    problems = []
    bib = site / "reference" / "bibliography" / "index.html"
    listed = {href for _, href in links(parse(site, bib))} if bib.exists() else set()
    for url, pages in sorted(external_links(site).items()):
        where = sorted(pages)[0]
        if (reason := malformed(url)) is not None:
            problems.append(f"{where}: malformed external link {url!r} ({reason})")
        elif url not in listed:
            problems.append(f"{where}: external link {url!r} is not a reference listed in the bibliography")
    return problems
