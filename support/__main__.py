"""``python -m support doctor``, ``repair``, ``install-config``, ``lab``, ``run-notebooks``,
``capstone`` and the progress commands.

Standard library only until a command runs: ``doctor`` and ``repair`` must work in a Python that
lacks the workbook's packages.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m support")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("doctor", help="check this machine is ready for the workshop")
    sub.add_parser(
        "repair", help="re-install requirements.lock and the workbook into this environment"
    )
    sub.add_parser(
        "install-config", help="copy jupyter-config/ into this environment (make setup does)"
    )
    lab = sub.add_parser("lab", help="JupyterLab at the repository root, on notebook 00")
    lab.add_argument("lab_args", nargs=argparse.REMAINDER, help="passed on to JupyterLab")
    run = sub.add_parser("run-notebooks", help="re-execute notebooks in place (with a backup)")
    run.add_argument(
        "notebooks", nargs="*", type=Path, help="paths or numbers (02); default: every notebook"
    )
    sub.add_parser("course-map", help="print the course map (Markdown) from the lesson cards")
    sub.add_parser("instructor-guide", help="print INSTRUCTORS.md's generated part")
    capstone = sub.add_parser(
        "capstone", help="run the package's tests and server with your notebooks' answers in it"
    )
    capstone.add_argument(
        "--fuzz", action="store_true", help="also run the generated-requests tests (slow)"
    )
    capstone.add_argument("--notebooks", type=Path, help="read the notebooks from this folder")
    capstone.add_argument("--no-smoke", action="store_true", help="skip the round trip on uvicorn")
    capstone.add_argument(
        "select", nargs="*", help="pytest arguments choosing some of tests/app (default: all)"
    )
    from support.progress_cli import COMMANDS, add_commands
    from support.progress_cli import run as run_progress_command

    add_commands(sub)  # progress, join, leave, restore
    args = parser.parse_args(argv)
    if args.command in COMMANDS:
        return run_progress_command(args)

    if args.command == "capstone":
        from support.capstone import main as run_capstone

        return run_capstone(args)
    if args.command == "course-map":
        from support.course import course_map

        print(course_map())
        return 0
    if args.command == "instructor-guide":
        from support.guide import generated

        print(generated())
        return 0

    if args.command == "install-config":
        from support.labsetup import install_config

        for path in install_config():
            print(f"wrote {path}")
        return 0
    if args.command == "lab":
        from support.labsetup import run_lab

        return run_lab(args.lab_args)
    if args.command == "doctor":
        from support.doctor import run_doctor

        return run_doctor()
    if args.command == "repair":
        from support.repair import run_repair

        return run_repair()
    from support.notebooks import notebook_paths, run_in_place

    every = notebook_paths()
    # A number names a notebook too: `run-notebooks 02 04`.
    by_number = {path.name[:2]: path for path in every}
    paths = [by_number.get(str(p), p) for p in args.notebooks] or every
    missing = [p for p in paths if not p.is_file()]
    if missing:
        print("No such notebook: " + ", ".join(str(p) for p in missing), file=sys.stderr)
        return 2
    return run_in_place(paths)


if __name__ == "__main__":
    sys.exit(main())
