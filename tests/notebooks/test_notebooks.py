"""The notebooks as stored: hygiene, exercise wiring, and runs beyond nbval's single pass.

nbval (``--nbval``, configured in pyproject.toml) executes each notebook from a fresh kernel and
compares every output with the stored one. These tests add what nbval does not check.
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys

import nbformat
import pytest

from support.catalog import NUMBERS, course, exercises_for
from support.notebooks import (
    execute,
    exercise_id,
    feedback_of,
    inject_solutions,
    notebook_paths,
    number_of,
)

PATHS = notebook_paths()
IDS = [p.name for p in PATHS]
MACHINE_SPECIFIC = re.compile(
    r"(/root/|/home/\w+|/Users/\w+|/tmp/|[A-Z]:\\\\|site-packages|0x[0-9a-f]{8,})"
)


def load(path):
    return nbformat.read(path, as_version=4)


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def test_every_lesson_has_its_notebook():
    assert [p.name for p in PATHS] == [lesson.filename for lesson in course()]
    assert [number_of(p) for p in PATHS] == list(NUMBERS)


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_stored_outputs_come_from_one_clean_run(path):
    nb = load(path)
    # A cell tagged skip-execution (the capstone: a minute long, and its result is the
    # learner's own work) is run by learners only: never by nbval, nbclient or make notebooks.
    skipped = [c for c in code_cells(nb) if "skip-execution" in c.metadata.get("tags", [])]
    for cell in skipped:
        assert "nbval-skip" in cell.metadata.tags, f"{path.name}: skip-execution without nbval-skip"
        assert cell.execution_count is None and not cell.outputs, f"{path.name}: a skipped cell ran"
    counts = [c.execution_count for c in code_cells(nb) if c not in skipped]
    assert counts == list(range(1, len(counts) + 1)), (
        f"{path.name}: execution counts {counts} are not 1..n; run `make notebooks`"
    )
    assert nb.metadata.kernelspec.name == "python3"
    for index, cell in enumerate(nb.cells):
        tags = cell.get("metadata", {}).get("tags", [])
        for out in cell.get("outputs", []):
            where = f"{path.name} cell {index}"
            assert out.output_type != "error" or "raises-exception" in tags, f"{where}: error"
            assert not (out.output_type == "stream" and out.name == "stderr"), (
                f"{where}: stderr {out.text[:120]!r}; remove the warning's cause"
            )
            assert not MACHINE_SPECIFIC.search(json.dumps(out)), f"{where}: machine path"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_ignored_outputs_say_why(path):
    """An ignored output is marked so nbval sees it (the tag; a marker comment must stand alone:
    nbval ignores `# NBVAL_IGNORE_OUTPUT: because ...`), and its first line says why."""
    for cell in code_cells(load(path)):
        for line in cell.source.splitlines():
            if "NBVAL_IGNORE_OUTPUT" in line:
                assert line.strip().lstrip("#").strip() == "NBVAL_IGNORE_OUTPUT", (
                    f"{path.name}: nbval does not read {line!r}; use the tag nbval-ignore-output"
                )
        ignored = "nbval-ignore-output" in cell.get("metadata", {}).get("tags", [])
        if ignored or "# NBVAL_IGNORE_OUTPUT" in cell.source:
            first = cell.source.splitlines()[0]
            assert first.startswith("#") and len(first) > 30, (
                f"{path.name}: say why the output is not compared, in the cell's first line"
            )


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_exercise_cells_match_the_catalogue(path):
    nb = load(path)
    declared = exercises_for(number_of(path)).ids()
    stubs = [exercise_id(c) for c in nb.cells if exercise_id(c)]
    assert sorted(stubs) == sorted(declared), (
        f"{path.name}: stub cells tagged {stubs}, catalogue declares {declared}"
    )
    sources = "\n".join(c.source for c in code_cells(nb))
    for ident in declared:
        assert f"ex.{ident}.check(" in sources, f"{path.name}: no check cell for {ident}"


# Run in the kernel after every cell: a full garbage collection with every warning recorded and
# every "Exception ignored" caught, so whatever a cell abandoned surfaces right under that cell,
# not in a random later one (nbval would see it there only when the collector happened to run).
PROBE_DEFINITION = """
def __workbook_probe__(final=False):
    import gc, sys, warnings
    found = []
    previous = sys.unraisablehook
    sys.unraisablehook = lambda u: found.append(
        f"Exception ignored in: {u.object!r}: {u.exc_type.__name__}: {u.exc_value}")
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if final:  # everything, and what the notebook still holds, is collected too
                gc.unfreeze()
                get_ipython().run_line_magic("reset", "-f")
            gc.collect()
            gc.freeze()  # what survived is alive: the next probe looks only at newer objects
    finally:
        sys.unraisablehook = previous
    found += [f"{w.category.__name__}: {w.message}" for w in caught]
    if found:
        sys.stderr.write("\\n".join(found) + "\\n")
"""
LEFT_BEHIND = re.compile(r"Exception ignored|was never awaited")


def with_probes(nb):
    """``nb`` with a probe cell after every code cell; each probe remembers the cell it follows."""
    probed = copy.deepcopy(nb)
    cells = [nbformat.v4.new_code_cell(PROBE_DEFINITION)]
    for index, cell in enumerate(probed.cells):
        cells.append(cell)
        if cell.cell_type == "code":
            probe = nbformat.v4.new_code_cell("__workbook_probe__()")
            probe.metadata["probe_after"] = index
            cells.append(probe)
    final = nbformat.v4.new_code_cell("__workbook_probe__(final=True)")
    final.metadata["probe_after"] = "the end of the run"
    probed.cells = [*cells, final]
    return probed


def stderr_of(cell) -> str:
    return "".join(o.text for o in cell.get("outputs", []) if o.get("name") == "stderr")


@pytest.mark.notebooks
@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_runs_twice_in_one_kernel_and_solutions_pass(path, capfd):
    """The stored notebook, then the same notebook with solutions injected, in one kernel.

    The first pass shows every check "not attempted"; the second proves that the notebook
    survives a re-run and that every reference answer is accepted where the learner meets it,
    and again at the end of the notebook, after every later cell has run.
    Throughout, a probe after every cell collects garbage: nothing a cell abandons (a coroutine
    never awaited, a finaliser that fails) may surface, under that cell, a later one, or on the
    kernel's own stderr.
    """
    stored = load(path)
    solved = inject_solutions(stored, number_of(path))
    both = copy.deepcopy(stored)
    first = len(both.cells)
    both.cells += copy.deepcopy(solved.cells)
    both.cells[first]["metadata"]["second_pass"] = True
    # Every check again at the very end, after all the cells below its exercise have run: a
    # learner goes back to an exercise (the capstone sends them), and a later cell must not
    # have re-bound a name the answer uses.
    both.cells += [
        copy.deepcopy(c) for c in solved.cells if c.cell_type == "code" and ".check(" in c.source
    ]
    ran = execute(with_probes(both))  # raises CellExecutionError, with the cell, on any error

    probes = [c for c in ran.cells if "probe_after" in c.metadata]
    left = [f"after cell {c.metadata.probe_after}: {stderr_of(c)}" for c in probes if stderr_of(c)]
    left = [line for line in left if LEFT_BEHIND.search(line)]
    assert not left, f"{path.name}: abandoned objects surfaced when collected:\n" + "\n".join(left)
    real = [c for c in ran.cells[1:-1] if "probe_after" not in c.metadata]
    noisy = [f"cell {i}: {stderr_of(c)[:300]}" for i, c in enumerate(real) if stderr_of(c)]
    assert not noisy, f"{path.name}: a cell wrote to stderr:\n" + "\n".join(noisy)
    kernel_stderr = capfd.readouterr().err
    assert not LEFT_BEHIND.search(kernel_stderr), kernel_stderr

    second = next(i for i, c in enumerate(real) if c.metadata.get("second_pass"))
    first_pass = [s for c in real[:second] for s in feedback_of(c)]
    second_pass = [s for c in real[second:] for s in feedback_of(c)]
    declared = len(exercises_for(number_of(path)))
    assert first_pass.count("not attempted") >= declared
    assert "incorrect" not in first_pass
    assert second_pass.count("correct") >= declared, second_pass
    assert set(second_pass) <= {"correct"}, second_pass


def test_the_workbooks_kernels_start_and_stop_without_a_word_on_stderr():
    """`make notebooks` prints one line per notebook: no kernel complaint between them.

    ipykernel 7 warns on stderr that a kernel on plain TCP can be eavesdropped on (the workbook's
    kernels get CurveZMQ keys: support.notebooks.kernel_config), and a kernel nobody shut down
    warns when its parent exits. The whole stderr of a process that runs a notebook is read,
    until every process that could write to it has gone.
    """
    script = (
        "import nbformat.v4 as v4\n"
        "from support.notebooks import execute\n"
        "nb = execute(v4.new_notebook(cells=[v4.new_code_cell('print(6 * 7)')]))\n"
        "print(nb.cells[0].outputs[0]['text'], end='')\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )

    assert run.returncode == 0 and run.stdout == "42\n", run.stderr
    assert run.stderr == ""


MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_relative_links_open_in_jupyterlab(path):
    """Every relative link in a notebook's prose and in its stored Markdown outputs resolves from
    the notebook's own folder, where JupyterLab resolves it (notebook 00's course map once
    pointed at notebooks/notebooks/...)."""
    nb = load(path)
    texts = [c.source for c in nb.cells if c.cell_type == "markdown"]
    for cell in code_cells(nb):
        texts += [o.get("data", {}).get("text/markdown", "") for o in cell.get("outputs", [])]
    broken = []
    for target in (m[1] for text in texts for m in MARKDOWN_LINK.finditer("".join(text))):
        if re.match(r"^[a-z]+:|^#", target):
            continue  # a web address or an anchor
        if not (path.parent / target.split("#")[0]).exists():
            broken.append(target)
    assert not broken, f"{path.name}: links that do not resolve from notebooks/: {broken}"
