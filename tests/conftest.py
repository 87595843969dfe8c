"""Shared fixtures: one strict build of the book per test session, and a browser.

The build runs into a temporary directory with the real lab cache, so a build followed by the lab
tests executes every lab once. Browser tests drive an installed Chromium with Playwright; where
none is installed they skip with a loud reason, unless REQUIRE_BROWSER=1 (set by .ci/run), in
which case they fail.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests"))


def pytest_addoption(parser):
    parser.addoption("--network", action="store_true", help="also check external links over the network")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--network"):
        return
    skip = pytest.mark.skip(reason="network checks are opt-in: pass --network")
    for item in items:
        if "network" in item.keywords:
            item.add_marker(skip)


def mkdocs_build(root: Path, site_dir: Path, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **(env_extra or {}))
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,  # catches a hang; labs are cached after their first execution
    )


@pytest.fixture(scope="session")
def build(tmp_path_factory) -> subprocess.CompletedProcess:
    site = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT, site)
    result.site = site  # type: ignore[attr-defined]
    return result


@pytest.fixture(scope="session")
def site(build) -> Path:
    if build.returncode != 0:
        pytest.fail(f"the strict build failed:\n{build.stderr[-4000:]}")
    return build.site


# --- a static server and a browser ---------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def server(site):
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def find_chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if candidate and (path := shutil.which(candidate) or (candidate if Path(candidate).exists() else None)):
            return path
    return None


CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    chromium = find_chromium()
    if chromium is None:
        message = (
            "NO CHROMIUM FOUND: browser tests cannot run. Install it (Debian: apt-get install chromium) "
            "or set CHROMIUM=/path/to/chrome. CI installs it via .ci/run."
        )
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        print("\n" + "!" * 80 + "\n" + message + "\n" + "!" * 80, file=sys.stderr)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    """A fresh page that records console errors and every request to another host."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.console_errors = []
    pg.foreign_requests = []
    pg.on("console", lambda m: m.type == "error" and pg.console_errors.append(m.text))
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))

    def route(r):
        if r.request.url.startswith(server) or r.request.url.startswith("data:"):
            return r.continue_()
        pg.foreign_requests.append(r.request.url)
        return r.abort()

    context.route("**/*", route)
    yield pg
    context.close()
