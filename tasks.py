#!/usr/bin/env python3
"""One entry point for everything: set-up, serve, build, test, benchmark.

    python3 tasks.py serve     set up, then serve the book at http://127.0.0.1:8000
    python3 tasks.py test      set up, then run the whole test suite (extra args go to pytest)
    python3 tasks.py build     set up, then build the site into site/ (strict)
    python3 tasks.py bench     set up, then print the build, page-weight and lab benchmarks
    python3 tasks.py strip     remove outputs from every lab notebook (labs are committed clean)

Set-up needs only Python 3.11+: it creates .venv/ and installs the exact versions pinned in
requirements.lock, and does nothing more while the lock is unchanged.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".lock-sha256"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"


def setup() -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"Inside the LLM needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    want = hashlib.sha256(LOCK.read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == want and PY.exists():
        return
    if not PY.exists():
        print("Creating .venv/ ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    print("Installing the pinned dependencies from requirements.lock ...", flush=True)
    subprocess.run([str(PY), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([str(PY), "-m", "pip", "install", "--quiet", "-r", str(LOCK)], check=True)
    STAMP.write_text(want)


def env() -> dict[str, str]:
    e = dict(os.environ)
    e["NO_MKDOCS_2_WARNING"] = "1"
    e["PATH"] = f"{BIN}{os.pathsep}{e.get('PATH', '')}"
    e.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    return e


def run(*args: str) -> int:
    return subprocess.run([str(a) for a in args], cwd=ROOT, env=env()).returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"serve", "test", "build", "bench", "strip"}:
        print(__doc__)
        return 2
    cmd, rest = argv[0], argv[1:]
    setup()
    if cmd == "serve":
        return run(PY, "-m", "mkdocs", "serve", "--dev-addr", "127.0.0.1:8000", *rest)
    if cmd == "build":
        return run(PY, "-m", "mkdocs", "build", "--strict", *rest)
    if cmd == "test":
        return run(PY, "-m", "pytest", *rest)
    if cmd == "bench":
        return run(PY, "scripts/bench.py", *rest)
    return run(PY, "scripts/strip_outputs.py", *rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
