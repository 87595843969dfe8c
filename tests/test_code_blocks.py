"""Every Python block in the Markdown pages runs, in order, in one namespace per page.

A block opts out only with a visible reason in an HTML comment on the line before it:
``<!-- no-run: needs a GPU -->``.
"""

import json
import re
import subprocess
import sys
import textwrap

import pytest
from book import DOCS

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<ticks>`{3,}|~{3,})\s*(?P<info>[^\n]*)$")
NO_RUN = re.compile(r"<!--\s*no-run:\s*(?P<reason>.*?)\s*-->")


def python_blocks(text: str):
    """Yield (line number, code, skip reason or None) for each Python fence."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, ticks, info = m.group("indent"), m.group("ticks"), m.group("info").strip()
        start = i
        body = []
        i += 1
        while i < len(lines) and not (lines[i].strip().startswith(ticks) and lines[i].strip().strip(ticks[0]) == ""):
            body.append(lines[i])
            i += 1
        i += 1
        lang = info.lstrip("{.").split()[0].rstrip("}") if info else ""
        if lang not in ("python", "py"):
            continue
        prev = next((lines[j] for j in range(start - 1, -1, -1) if lines[j].strip()), "")
        skip = NO_RUN.search(prev)
        yield start + 1, textwrap.dedent("\n".join(line[len(indent):] if line.startswith(indent) else line for line in body)), (skip.group("reason") if skip else None)


PAGES = sorted(p for p in DOCS.rglob("*.md") if "```python" in p.read_text() or "``` python" in p.read_text())


def test_parser_finds_blocks_and_reasons():
    sample = "text\n```python\nx = 1\n```\n<!-- no-run: needs a GPU -->\n```python\nimport torch\n```\n    ```python\n    y = 2\n    ```\n"
    blocks = list(python_blocks(sample))
    assert [(b[1].strip(), b[2]) for b in blocks] == [("x = 1", None), ("import torch", "needs a GPU"), ("y = 2", None)]


@pytest.mark.parametrize("md", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_python_blocks_execute(md):
    blocks = list(python_blocks(md.read_text()))
    for line, _, reason in blocks:
        if reason is not None:
            assert reason.strip(), f"{md.relative_to(DOCS)}:{line}: a no-run block must give its reason"
    runnable = [(line, code) for line, code, reason in blocks if reason is None]
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, str(md.relative_to(DOCS))],
        input=json.dumps(runnable), capture_output=True, text=True, timeout=300, cwd=md.parent,
    )
    assert result.returncode == 0, result.stderr[-3000:]


RUNNER = """
import json, sys, traceback
import matplotlib
matplotlib.use("Agg")
namespace = {"__name__": "__main__"}
for line, code in json.load(sys.stdin):
    try:
        exec(compile(code, f"{sys.argv[1]}:{line}", "exec"), namespace)
    except BaseException:
        traceback.print_exc()
        sys.exit(f"{sys.argv[1]}: the Python block at line {line} failed")
"""
