"""``make bench-notebooks``: how long the workbook takes to execute, and its slowest cells.

Compares executing every notebook with executing as many notebooks that only start a kernel and
import the stack (the floor no notebook can go below), both measured in this one run, and lists
every cell that makes a learner wait more than two seconds. Figures are printed, never asserted.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime

import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from support.notebooks import NOTEBOOKS, kernel_config, notebook_paths

SLOW_CELL = 2.0
IMPORTS = """import fastapi, fastapi.testclient, sqlalchemy.ext.asyncio, pydantic
import jose, passlib.context
import support, app.main"""


def run(nb) -> float:
    client = NotebookClient(
        nb,
        config=kernel_config(),
        timeout=300,
        kernel_name="python3",
        record_timing=True,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def cell_seconds(cell) -> float:
    timing = cell.get("metadata", {}).get("execution", {})
    try:
        began = datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))
        ended = datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
    except KeyError:
        return 0.0
    return (ended - began).total_seconds()


def main() -> int:
    paths = notebook_paths()
    floor = sum(run(new_notebook(cells=[new_code_cell(IMPORTS)])) for _ in paths)
    total, slow = 0.0, []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        seconds = run(nb)
        total += seconds
        print(f"{path.name:<32} {seconds:5.1f} s", flush=True)
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and cell_seconds(cell) > SLOW_CELL:
                first = cell.source.splitlines()[0][:60] if cell.source else ""
                slow.append(f"  {path.name} cell {index}: {cell_seconds(cell):.1f} s  {first}")
    print(
        f"{len(paths)} notebooks: {total:.1f} s; {len(paths)} kernels that only import the "
        f"stack: {floor:.1f} s; ratio {total / floor:.2f} (target: at most 2)"
    )
    print(f"cells over {SLOW_CELL:g} s: {len(slow)}")
    print("\n".join(slow))
    return 0


if __name__ == "__main__":
    sys.exit(main())
