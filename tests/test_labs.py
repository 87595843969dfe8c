"""Labs: each executes without error inside its time-out (through the same cache the build uses,
so it runs once), is committed without outputs, asserts something, and plots something."""

import ast
import json
import subprocess

import nbformat
import pytest
from book import DOCS, ROOT, load_outline
from labs import CELL_TIMEOUT_S, all_labs, execute

LABS = all_labs()


def test_there_are_labs():
    assert LABS, "no lab notebooks found under docs/*/labs/"


@pytest.mark.parametrize("lab", LABS, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_lab_executes_within_its_timeout(lab):
    run = execute(lab)
    assert run.seconds < CELL_TIMEOUT_S * 10, f"{lab.name} took {run.seconds:.0f} s"
    nb = nbformat.read(run.executed, as_version=4)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors


@pytest.mark.parametrize("lab", LABS, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_lab_is_committed_without_outputs(lab):
    tracked = subprocess.run(["git", "ls-files", "--error-unmatch", str(lab)], cwd=ROOT, capture_output=True)
    assert tracked.returncode == 0, f"{lab.relative_to(ROOT)} is not tracked by git"
    committed = subprocess.run(["git", "show", f"HEAD:{lab.relative_to(ROOT)}"], cwd=ROOT, capture_output=True, text=True)
    source = committed.stdout if committed.returncode == 0 else lab.read_text()
    for i, cell in enumerate(json.loads(source)["cells"], start=1):
        if cell["cell_type"] == "code":
            assert not cell.get("outputs") and not cell.get("execution_count"), f"{lab.name}: cell {i} has outputs"


@pytest.mark.parametrize("lab", LABS, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_lab_asserts_and_plots_and_follows_the_house_shape(lab):
    nb = nbformat.read(lab, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    cleaned = "\n".join(line for line in code.splitlines() if not line.lstrip().startswith(("%", "!")))
    asserts = [n for n in ast.walk(ast.parse(cleaned)) if isinstance(n, ast.Assert)]
    assert len(asserts) >= 3, f"{lab.name} checks only {len(asserts)} claims with assert"
    assert "plt.show()" in code or "savefig" in code, f"{lab.name} draws no plot"
    first, last = nb.cells[0], nb.cells[-1]
    assert first.cell_type == "markdown" and first.source.startswith("# Lab "), f"{lab.name}: first cell must be '# Lab N.M: ...'"
    assert "predict" in first.source.lower(), f"{lab.name}: first cell must ask the reader to predict"
    assert last.cell_type == "markdown" and "try this next" in last.source.lower(), f"{lab.name}: last cell must be 'Try this next'"
    imports = {n.names[0].name.split(".")[0] for n in ast.walk(ast.parse(cleaned)) if isinstance(n, ast.Import)}
    imports |= {n.module.split(".")[0] for n in ast.walk(ast.parse(cleaned)) if isinstance(n, ast.ImportFrom) and n.module}
    import sys

    allowed = {"numpy", "matplotlib"} | set(sys.stdlib_module_names)
    assert imports <= allowed, f"{lab.name} imports {sorted(imports - allowed)}: labs use numpy, matplotlib and the standard library only"


@pytest.mark.parametrize("lab", LABS, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_executed_lab_shows_a_plot(lab):
    nb = nbformat.read(execute(lab).executed, as_version=4)
    images = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {})]
    assert images, f"{lab.name} produced no image output"


def test_every_live_chapter_has_a_lab_and_links_it():
    for ch in load_outline().live_chapters():
        assert (DOCS / ch.lab_path).exists(), f"{ch.path} has no lab at docs/{ch.lab_path}"
        text = (DOCS / ch.path).read_text()
        assert f"labs/{ch.slug}.ipynb" in text, f"{ch.path} does not link its lab"
