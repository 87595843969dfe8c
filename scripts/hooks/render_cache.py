"""Reuse the work of the last build for chapter pages whose input has not changed.

Two steps dominate a rebuild where nothing changed: converting each chapter's Markdown to HTML,
and Material's search plugin re-parsing each page's HTML into index entries. Both are pure
functions of their inputs, so their results are kept in ``.cache/render`` and reused:

- **Markdown to HTML.** The key is the page's final Markdown (after every ``on_page_markdown``
  hook, so glossary abbreviations and fences are part of it), its path, the set of files in the
  build (a link's validity depends on it), and a fingerprint of everything else that shapes the
  output: ``mkdocs.yml``, the hooks and scripts, the pinned environment and the Python version.
  Alongside the HTML the cache keeps what MkDocs records during a render, so nothing downstream
  can tell a hit from a miss: the table of contents, the title, the anchors the page defines,
  the links it makes to anchors in other pages (checked after all pages are rendered), and every
  warning the render logged. A hit logs those warnings again, so ``--strict`` fails a build with a
  broken link exactly as it would without the cache.
- **Search entries.** Keyed by the page's URL, title, metadata, table of contents and HTML.

Notebook pages are rendered by mkdocs-jupyter through its own path and are not touched here.
Entries unused by a successful build are removed at its end, so the cache does not grow.
Set ``BOOK_RENDER_CACHE=0`` to turn the cache off.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
from pathlib import Path

import markdown as markdown_lib
from material.plugins.search.plugin import SearchIndex
from mkdocs.structure import pages as mkpages
from mkdocs.structure.toc import get_toc

ROOT = Path(__file__).resolve().parent.parent.parent
CACHE = Path(os.environ.get("BOOK_RENDER_CACHE_DIR", ROOT / ".cache" / "render"))
FORMAT = "render-cache-1"
ENABLED = os.environ.get("BOOK_RENDER_CACHE", "1") != "0"

_state: dict = {"fingerprint": "", "files": "", "used": set(), "hits": 0, "misses": 0}
log = logging.getLogger("mkdocs.hooks.render_cache")


def _fingerprint() -> str:
    h = hashlib.sha256(FORMAT.encode() + sys.version.encode())
    inputs = [ROOT / "mkdocs.yml", ROOT / "requirements.lock", *sorted((ROOT / "scripts").rglob("*.py"))]
    for path in inputs:
        h.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _key(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()


def _load(key: str) -> dict | None:
    path = CACHE / f"{key}.json"
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    _state["used"].add(path.name)
    return entry


def _store(key: str, entry: dict) -> None:
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = CACHE / f"{key}.tmp"
    tmp.write_text(json.dumps(entry), encoding="utf-8")
    tmp.replace(CACHE / f"{key}.json")
    _state["used"].add(f"{key}.json")


class _Recorder(logging.Handler):
    """Collects what a render logs, so a cache hit can log the same."""

    def __init__(self):
        super().__init__(level=logging.INFO)
        self.records: list[list] = []

    def emit(self, record):
        self.records.append([record.name, record.levelno, record.getMessage()])


def _render_uncached(page, config, files, recorder: _Recorder) -> dict:
    """MkDocs 1.6's Page.render, keeping the by-products it would otherwise drop."""
    md = markdown_lib.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {})
    raw_html = mkpages._RawHTMLPreprocessor()
    raw_html._register(md)
    anchors = mkpages._ExtractAnchorsTreeprocessor(page.file, files, config)
    anchors._register(md)
    relative = mkpages._RelativePathTreeprocessor(page.file, files, config)
    relative._register(md)
    title = mkpages._ExtractTitleTreeprocessor()
    title._register(md)
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(recorder)
    try:
        content = md.convert(page.markdown)
    finally:
        mkdocs_log.removeHandler(recorder)
    return {
        "content": content,
        "toc_tokens": getattr(md, "toc_tokens", []),
        "title": title.title,
        "anchors": sorted(anchors.present_anchor_ids | raw_html.present_anchor_ids),
        "links": {f.src_uri: links for f, links in relative.links_to_anchors.items()},
        "log": recorder.records,
    }


def _apply(page, files, entry: dict) -> None:
    page.content = entry["content"]
    page.toc = get_toc(entry["toc_tokens"])
    page._title_from_render = entry["title"]
    page.present_anchor_ids = set(entry["anchors"])
    if mkpages.log.getEffectiveLevel() > logging.DEBUG:
        page.links_to_anchors = {files.get_file_from_path(src): links for src, links in entry["links"].items()}


def cached_render(page, config, files) -> None:
    if page.markdown is None:
        raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
    key = _key("page", _state["fingerprint"], _state["files"], page.file.src_uri, page.markdown)
    entry = _load(key)
    if entry is None:
        _state["misses"] += 1
        entry = _render_uncached(page, config, files, _Recorder())
        _store(key, entry)
    else:
        _state["hits"] += 1
        for name, level, message in entry["log"]:
            logging.getLogger(name).log(level, message)
    _apply(page, files, entry)


_index_uncached = SearchIndex.add_entry_from_context


def cached_index(self, page) -> None:
    toc = json.dumps([[i.id, i.url, i.title, i.level] for i in _flatten(page.toc)])
    meta = json.dumps(page.meta, sort_keys=True, default=str)
    key = _key("search", _state["fingerprint"], page.url, str(page.title), meta, toc, page.content or "")
    entry = _load(key)
    if entry is None:
        start = len(self.entries)
        _index_uncached(self, page)
        entry = {"entries": self.entries[start:]}
        _store(key, entry)
    else:
        self.entries.extend(entry["entries"])


def _flatten(toc):
    for item in toc or []:
        yield item
        yield from _flatten(item.children)


def on_config(config):
    if ENABLED:
        _state["fingerprint"] = _fingerprint()
        mkpages.Page.render = cached_render
        SearchIndex.add_entry_from_context = cached_index
    return config


def on_files(files, config):
    _state["files"] = _key(*sorted(f.src_uri for f in files))
    _state.update(used=set(), hits=0, misses=0)
    return files


def on_post_build(config):
    if not ENABLED or not CACHE.is_dir():
        return
    log.info(f"Render cache: {_state['hits']} pages reused, {_state['misses']} rendered")
    for path in CACHE.glob("*.json"):
        if path.name not in _state["used"]:
            path.unlink(missing_ok=True)
