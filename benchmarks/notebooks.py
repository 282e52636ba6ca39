"""``make bench-notebooks``: how long the workbook takes to execute, and its slowest cells.

Compares executing every notebook with executing as many notebooks that only start a kernel and
import the stack (the floor no notebook can go below), both measured in this one run, and lists
every cell that makes a learner wait more than two seconds. Figures are printed, never asserted.

The machine's speed drifts by 20% or more within a minute (a 2-core VM), so a floor measured as
one block before the notebooks can land on a fast or a slow minute. Each notebook is therefore
paired with a floor kernel run right beside it, the pair's order alternating (so neither side
always runs after the other), and the whole is repeated: the ratio reported is the median of the
rounds, with their range.
"""

from __future__ import annotations

import argparse
import statistics
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


def run_floor() -> float:
    return run(new_notebook(cells=[new_code_cell(IMPORTS)]))


def slow_cells(name: str, nb) -> list[str]:
    found = []
    for number, cell in enumerate(nb.cells):
        took = cell_seconds(cell) if cell.cell_type == "code" else 0.0
        if took > SLOW_CELL:
            first = cell.source.splitlines()[0][:60] if cell.source else ""
            found.append(f"  {name} cell {number}: {took:.1f} s  {first}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="default: 3")
    args = parser.parse_args()
    paths = notebook_paths()
    seconds: dict[str, list[float]] = {path.name: [] for path in paths}
    ratios, slow = [], []
    for round_number in range(args.rounds):
        floor = total = 0.0
        for index, path in enumerate(paths):
            nb = nbformat.read(path, as_version=4)
            if (round_number + index) % 2 == 0:
                floor += run_floor()
                took = run(nb)
            else:
                took = run(nb)
                floor += run_floor()
            total += took
            seconds[path.name].append(took)
            if round_number == 0:
                slow += slow_cells(path.name, nb)
        ratios.append(total / floor)
        print(
            f"round {round_number + 1}: {len(paths)} notebooks {total:.1f} s, {len(paths)} kernels"
            f" that only import the stack {floor:.1f} s, ratio {total / floor:.2f}",
            flush=True,
        )
    for name, times in seconds.items():
        print(f"{name:<32} {statistics.median(times):5.1f} s (median)")
    print(
        f"ratio: {statistics.median(ratios):.2f} (median of {args.rounds} rounds;"
        f" {min(ratios):.2f} to {max(ratios):.2f}); target: at most 2"
    )
    print(f"cells over {SLOW_CELL:g} s (first round): {len(slow)}")
    print("\n".join(slow))
    return 0


if __name__ == "__main__":
    sys.exit(main())
