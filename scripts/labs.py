"""Execute lab notebooks once per change.

A lab's executed copy is cached under ``.cache/labs/`` by a content hash of everything that can
change its outputs: the notebook's cells (not its outputs or metadata noise), the locked
environment (``requirements.lock``), the Python version, this runner's settings, and any data
files the notebook declares in its metadata (``"inside_llm": {"reads": ["data.csv"]}``, paths
relative to the notebook). The MkDocs build and the test suite both call ``execute``, so a build
followed by a test run executes each lab once.

Run it by hand: ``python scripts/labs.py [LAB.ipynb ...]`` executes the given labs (default: all)
and prints how long each took.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CACHE = Path(os.environ.get("LAB_CACHE_DIR", ROOT / ".cache" / "labs"))
LOCK = ROOT / "requirements.lock"
CELL_TIMEOUT_S = int(os.environ.get("LAB_CELL_TIMEOUT", "120"))
RUNNER_VERSION = "1"  # bump when execution settings change in a way that alters outputs


class LabError(RuntimeError):
    """A lab failed to execute; the message names the lab and the cell."""


@dataclass
class LabRun:
    source: Path  # the notebook as stored in git, without outputs
    executed: Path  # the cached executed copy
    seconds: float  # execution time when it was last executed
    cached: bool  # True when this call reused an earlier execution


def all_labs(docs: Path = DOCS) -> list[Path]:
    return sorted(docs.glob("*/labs/*.ipynb"))


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def read_notebook(path: Path) -> nbformat.NotebookNode:
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # malformed JSON or not a notebook at all
        raise LabError(f"{_rel(path)}: not a readable notebook ({exc})") from exc
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        raise LabError(f"{_rel(path)}: invalid notebook: {exc.message}") from exc
    return nb


def cache_key(path: Path, nb: nbformat.NotebookNode | None = None) -> str:
    nb = nb if nb is not None else read_notebook(path)
    h = hashlib.sha256()
    h.update(f"runner={RUNNER_VERSION};timeout={CELL_TIMEOUT_S};".encode())
    h.update(f"python={sys.version_info[:3]};".encode())
    h.update(LOCK.read_bytes() if LOCK.exists() else b"no-lock")
    for cell in nb.cells:
        h.update(cell.cell_type.encode() + b"\0" + cell.source.encode() + b"\0")
    for rel in nb.metadata.get("inside_llm", {}).get("reads", []):
        data = path.parent / rel
        if not data.exists():
            raise LabError(f"{_rel(path)}: declares it reads {rel!r}, which does not exist")
        h.update(rel.encode() + b"\0" + data.read_bytes())
    return h.hexdigest()[:20]


def _cell_error(path: Path, nb: nbformat.NotebookNode, exc: Exception) -> LabError:
    """Turn an nbclient failure into a message that names the lab and the cell."""
    index = None
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                index = i
    if index is None:  # time-outs leave no error output: find the last cell that started
        started = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.get("execution_count")]
        index = started[-1] if started else None
    name = type(exc).__name__
    summary = str(exc).strip().splitlines()
    detail = next((line for line in reversed(summary) if line.strip()), name)
    if index is None:
        return LabError(f"{_rel(path)}: failed before any cell ran: {detail}")
    first_line = nb.cells[index].source.strip().splitlines()[0] if nb.cells[index].source.strip() else ""
    return LabError(
        f"{_rel(path)}: cell {index + 1} failed ({name}): {detail}\n"
        f"    the cell begins: {first_line[:100]}"
    )


def execute(path: Path, force: bool = False) -> LabRun:
    """Execute one lab (or reuse its cached execution) and return where the result is."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    path = Path(path).resolve()
    nb = read_notebook(path)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count")):
            raise LabError(
                f"{_rel(path)}: cell {i + 1} has stored outputs; labs are committed clean "
                f"(run `python3 tasks.py strip`)"
            )
    key = cache_key(path, nb)
    CACHE.mkdir(parents=True, exist_ok=True)
    stem = f"{path.parent.parent.name}-{path.stem}-{key}"
    executed, meta = CACHE / f"{stem}.ipynb", CACHE / f"{stem}.json"
    if executed.exists() and meta.exists() and not force:
        return LabRun(path, executed, json.loads(meta.read_text())["seconds"], cached=True)

    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT_S,
        kernel_name="python3",
        allow_errors=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    try:
        client.execute()
    except CellTimeoutError as exc:
        raise _cell_error(path, nb, TimeoutError(f"cell exceeded the {CELL_TIMEOUT_S} s time-out")) from exc
    except (CellExecutionError, DeadKernelError) as exc:
        raise _cell_error(path, nb, exc) from exc
    seconds = time.perf_counter() - start
    tmp = executed.with_suffix(".tmp")
    nbformat.write(nb, tmp)
    tmp.replace(executed)
    meta.write_text(json.dumps({"seconds": round(seconds, 2), "source": _rel(path)}))
    return LabRun(path, executed, seconds, cached=False)


def execute_all(paths: list[Path] | None = None, workers: int = 2) -> list[LabRun]:
    """Execute labs in parallel; raise one LabError that lists every lab that failed."""
    paths = paths if paths is not None else all_labs()
    runs, errors = [], []

    def one(p: Path):
        try:
            return execute(p)
        except LabError as exc:
            errors.append(str(exc))
            return None

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        runs = [r for r in pool.map(one, paths) if r is not None]
    if errors:
        raise LabError("\n".join(sorted(errors)))
    return runs


def main(argv: list[str]) -> int:
    force = "--force" in argv
    paths = [Path(a) for a in argv if not a.startswith("--")] or all_labs()
    status = 0
    for p in paths:
        try:
            run = execute(p, force=force)
        except LabError as exc:
            print(f"FAIL {exc}", file=sys.stderr)
            status = 1
            continue
        how = "cached" if run.cached else "executed"
        print(f"ok   {_rel(run.source)}  {run.seconds:6.1f} s  ({how})")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
