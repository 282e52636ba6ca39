"""The learner's commands: ``progress``, ``join``, ``leave`` and ``restore``.

``support/__main__.py`` adds them with ``add_commands(sub)`` and runs them with ``run(args)``;
``main(argv)`` runs one on its own (``main(["progress"])``).
"""

from __future__ import annotations

import argparse
import sys

COMMANDS = ("progress", "join", "leave", "restore")


def add_commands(sub: argparse._SubParsersAction) -> None:
    sub.add_parser("progress", help="your exercises, per notebook: done, tried, not started")
    join = sub.add_parser("join", help="share your checks' outcomes with your instructor's class")
    join.add_argument("link", help="the join link your instructor gives: http://HOST:8100/c/CODE")
    join.add_argument("--name", help="the name your instructor will see (asked if not given)")
    sub.add_parser("leave", help="stop sharing your checks' outcomes with a class")
    restore = sub.add_parser("restore", help="start a notebook over (yours is kept as a copy)")
    restore.add_argument("notebook", help="its number (04) or file name (04_crud.ipynb)")


def run(args: argparse.Namespace) -> int:
    return {"progress": _progress, "join": _join, "leave": _leave, "restore": _restore}[
        args.command
    ](args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m support")
    add_commands(parser.add_subparsers(dest="command", required=True))
    return run(parser.parse_args(argv))


def _progress(_: argparse.Namespace) -> int:
    from support import classroom_client, outbox
    from support.progress import log_path, summary_text

    print(summary_text())
    member = classroom_client.membership()
    if member is not None:
        waiting = len(outbox.pending())
        print(
            f"Class {member.class_code} as {member.name!r}: "
            + (f"{waiting} outcome(s) waiting to be sent." if waiting else "everything sent.")
        )
    print(f"(from {log_path()})")
    return 0


def _join(args: argparse.Namespace) -> int:
    from support import classroom_client

    name = args.name
    while not name or not name.strip():
        try:
            name = input("Your name, as your instructor will see it: ")
        except EOFError:
            print("A name is needed: pass --name.", file=sys.stderr)
            return 2
    try:
        member = classroom_client.join(args.link, name.strip())
    except classroom_client.JoinError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(
        f"Joined class {member.class_code} as {member.name!r}. From now on each check sends "
        "your name, the notebook, the exercise, its status and diagnosis (never your code) "
        "to the instructor. `python -m support leave` stops it."
    )
    return 0


def _leave(_: argparse.Namespace) -> int:
    from support import classroom_client

    if classroom_client.leave():
        print("Left the class: checks are no longer shared. Your own progress is kept.")
    else:
        print("You had not joined a class.")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from support.restore import RestoreError, restore

    try:
        done = restore(args.notebook)
    except RestoreError as exc:
        print(exc, file=sys.stderr)
        return 1
    if done.backup is None:
        print(f"{done.path.name} is as stored ({done.source}): nothing to restore.")
        return 0
    print(f"{done.path.name} is back as stored ({done.source}). Yours is kept as {done.backup}.")
    print("If it is open in JupyterLab, close its tab without saving, then open it again.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
