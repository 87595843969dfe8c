"""Benchmark the build and the pages, against mkdocs-jupyter's defaults as a baseline.

    python3 tasks.py bench            # everything (a few minutes on 2 cores)
    python3 tasks.py bench --no-baseline

Prints, measured now on this machine: cold build (no caches), warm rebuild (no change), rebuild
after editing one chapter, per-lab execution time, the HTML weight of every lab page and of the
heaviest chapter page, bytes transferred on a first and a repeat view (in Chromium, when one is
installed), and the search-index size. The baseline is the same book built with mkdocs-jupyter
executing the labs itself and inlining its CSS (its defaults), measured in the same run because
timings on a shared machine drift. Budgets (from the platform issue) are checked and reported.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from book import load_outline  # noqa: E402

BUDGET_LAB_HTML_KB = 100
BUDGET_WARM_S = 10
INLINE_IMG = re.compile(r'src="data:image/[^"]+"')
KB = 1024


def copy_repo(dest: Path) -> Path:
    ignore = shutil.ignore_patterns(".venv", "site", ".cache", ".bench", "__pycache__", ".git", ".pytest_cache")
    shutil.copytree(ROOT, dest, ignore=ignore)
    return dest


def build(root: Path, config: str = "mkdocs.yml", site: str = "site") -> float:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    start = time.perf_counter()
    res = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", config, "--site-dir", site],
        cwd=root, env=env, capture_output=True, text=True,
    )
    elapsed = time.perf_counter() - start
    if res.returncode != 0:
        raise SystemExit(f"build failed in {root}:\n{res.stderr[-3000:]}")
    return elapsed


def html_weight(path: Path) -> tuple[int, int]:
    """(bytes of HTML, bytes of HTML with inline images removed)."""
    text = path.read_text(encoding="utf-8")
    return len(text.encode()), len(INLINE_IMG.sub('src=""', text).encode())


def transfer(site: Path, paths: list[str]) -> dict[str, tuple[int, int]] | None:
    """Bytes over the wire for a first view and a repeat view of each page, not counting the search
index (printed separately), or None without Chromium."""
    chromium = shutil.which(os.environ.get("CHROMIUM", "chromium")) or shutil.which("chromium-browser")
    if not chromium:
        return None
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *a):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for path in paths:
            ctx = browser.new_context()
            page = ctx.new_page()
            cdp = ctx.new_cdp_session(page)
            cdp.send("Network.enable")
            total = [0]
            # The search index is fetched by Material's worker, sometimes inside the measuring window
            # and sometimes after it; it is the same file for every page and is reported on its own.
            index_requests: set[str] = set()
            cdp.on("Network.requestWillBeSent", lambda e: e["request"]["url"].endswith("search_index.json") and index_requests.add(e["requestId"]))
            cdp.on(
                "Network.loadingFinished",
                lambda e: e["requestId"] in index_requests or total.__setitem__(0, total[0] + int(e["encodedDataLength"])),
            )
            page.goto(base + path, wait_until="networkidle")
            first = total[0]
            total[0] = 0
            page.goto(base + "/", wait_until="networkidle")  # leave, then come back as a reader would
            total[0] = 0
            page.goto(base + path, wait_until="networkidle")
            out[path] = (first, total[0])
            ctx.close()
        browser.close()
    httpd.shutdown()
    return out


def measure(root: Path, config: str, label: str) -> dict:
    print(f"\n== {label} ==", flush=True)
    r = {"cold_s": build(root, config)}
    print(f"cold build (no caches):       {r['cold_s']:6.1f} s", flush=True)
    r["warm_s"] = build(root, config)
    print(f"warm rebuild (no change):     {r['warm_s']:6.1f} s", flush=True)
    chapter = root / "docs" / load_outline().live_chapters()[0].path
    chapter.write_text(chapter.read_text() + "\n\nAn edited sentence.\n")
    r["edit_s"] = build(root, config)
    print(f"rebuild after a chapter edit: {r['edit_s']:6.1f} s", flush=True)
    site = root / "site"
    r["labs"] = {}
    for ch in load_outline().live_chapters():
        page = site / ch.lab_url / "index.html"
        if page.exists():
            r["labs"][ch.lab_url] = html_weight(page)
    chapters = {ch.url: html_weight(site / ch.url / "index.html") for ch in load_outline().live_chapters()}
    r["heaviest_chapter"] = max(chapters.items(), key=lambda kv: kv[1][0]) if chapters else None
    idx = site / "search" / "search_index.json"
    r["search_index"] = idx.stat().st_size if idx.exists() else 0
    r["site"] = site
    return r


def baseline_config(root: Path) -> str:
    """The same book with mkdocs-jupyter's defaults: it executes the labs and inlines its CSS."""
    cfg = (root / "mkdocs.yml").read_text()
    cfg = cfg.replace("  - scripts/hooks/lab_pages.py\n", "")
    cfg = re.sub(r"  - mkdocs-jupyter:\n(?:      .*\n)+", "  - mkdocs-jupyter:\n      execute: true\n      ignore: [\"*.md\", \"*.py\"]\n", cfg)
    (root / "mkdocs.baseline.yml").write_text(cfg)
    return "mkdocs.baseline.yml"


def main(argv: list[str]) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        ours = measure(copy_repo(tmp / "ours"), "mkdocs.yml", "this book's pipeline")
        runs = sorted((tmp / "ours" / ".cache" / "labs").glob("*.json"))
        print("\nper-lab execution time (cold):")
        for meta in runs:
            m = json.loads(meta.read_text())
            print(f"  {m['source']:48s} {m['seconds']:6.1f} s")
        print("\nlab page HTML (whole / without inline images), budget ≤ 100 KB without images:")
        worst = 0
        for url, (whole, lean) in ours["labs"].items():
            worst = max(worst, lean)
            print(f"  /{url:40s} {whole / KB:7.1f} KB / {lean / KB:6.1f} KB")
        if ours["heaviest_chapter"]:
            url, (whole, lean) = ours["heaviest_chapter"]
            print(f"heaviest chapter page: /{url} {whole / KB:.1f} KB")
        print(f"search index: {ours['search_index'] / KB:.1f} KB")
        lab_urls = ["/" + u for u in list(ours["labs"])[:1]]
        chapter_urls = ["/" + ours["heaviest_chapter"][0]] if ours["heaviest_chapter"] else []
        t = transfer(ours["site"], lab_urls + chapter_urls)
        if t is None:
            print("bytes transferred: skipped (no Chromium installed)")
        else:
            for path, (first, repeat) in t.items():
                print(f"bytes transferred {path}: first view {first / KB:.1f} KB, repeat view {repeat / KB:.1f} KB")

        base = None
        if "--no-baseline" not in argv:
            root_b = copy_repo(tmp / "baseline")
            base = measure(root_b, baseline_config(root_b), "baseline: mkdocs-jupyter defaults (execute: true, inline CSS)")
            for url, (whole, lean) in base["labs"].items():
                print(f"  /{url:40s} {whole / KB:7.1f} KB / {lean / KB:6.1f} KB")
            tb = transfer(base["site"], lab_urls)
            if tb:
                for path, (first, repeat) in tb.items():
                    print(f"bytes transferred {path}: first view {first / KB:.1f} KB, repeat view {repeat / KB:.1f} KB")

        print("\n== budgets ==")
        ok_html = worst <= BUDGET_LAB_HTML_KB * KB
        ok_warm = ours["warm_s"] <= BUDGET_WARM_S
        print(f"lab HTML ≤ {BUDGET_LAB_HTML_KB} KB (inline images excluded): worst {worst / KB:.1f} KB  {'OK' if ok_html else 'OVER'}")
        print(f"warm rebuild ≤ {BUDGET_WARM_S} s: {ours['warm_s']:.1f} s  {'OK' if ok_warm else 'OVER'}")
        if base:
            bw = max((lean for _, lean in base["labs"].values()), default=0)
            print(f"baseline for comparison: cold {base['cold_s']:.1f} s, warm {base['warm_s']:.1f} s, worst lab HTML {bw / KB:.1f} KB")
        return 0 if ok_html and ok_warm else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
