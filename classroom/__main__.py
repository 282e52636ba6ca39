"""``python -m classroom``: serve the classroom and print the links to share and to keep."""

from __future__ import annotations

import argparse
import asyncio
import socket
import sys

from sqlalchemy.engine import make_url

from classroom.config import Settings

ANY_ADDRESS = ("0.0.0.0", "::", "")  # noqa: S104 - what the instructor binds to on purpose


def room_address() -> str:
    """This machine's address on the room's network, for the join link.

    Connecting a UDP socket sends nothing: it only asks the kernel which interface would be used.
    """
    for probe in ("192.168.0.1", "10.0.0.1", "172.16.0.1"):
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                sock.connect((probe, 9))
                address = sock.getsockname()[0]
            if not address.startswith("127."):
                return address
        except OSError:
            continue
    try:
        return socket.gethostbyname(socket.gethostname())
    except OSError:
        return "127.0.0.1"


def port_taken(host: str, port: int) -> str:
    """Why the port cannot be listened on ("" if it can): checked before any link is printed."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # As uvicorn binds: SO_REUSEADDR, so a port a stopped classroom just left is not "taken".
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            return exc.strerror or str(exc)
    return ""


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m classroom",
        description="Serve the classroom: learners' check outcomes, live on the instructor's page.",
    )
    parser.add_argument(
        "--host", help="address to listen on (default 127.0.0.1; 0.0.0.0 lets the room in)"
    )
    parser.add_argument("--port", type=int, help="port (default: $PORT, else 8100)")
    parser.add_argument("--new-class", action="store_true", help="start a new class code")
    parser.add_argument("--wipe", action="store_true", help="delete every class and outcome")
    parser.add_argument("--yes", action="store_true", help="with --wipe: do not ask")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    import uvicorn

    from classroom.main import create_app, open_class, wipe

    args = parse(argv)
    overrides = {"HOST": args.host, "PORT": args.port}
    settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
    database = make_url(settings.DATABASE_URL).render_as_string()
    if args.wipe:
        if not args.yes:
            answer = input(f"Delete every class, learner and outcome in {database}? [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                print("Nothing deleted.")
                return 1
        print("Deleted " + asyncio.run(wipe(settings)) + ".")
        return 0

    taken = port_taken(settings.HOST, settings.PORT)
    if taken:
        print(
            f"Cannot listen on {settings.HOST}:{settings.PORT} ({taken}): is a classroom already "
            f"running? Another port: --port {settings.PORT + 1}",
            file=sys.stderr,
        )
        return 2
    code, key = asyncio.run(open_class(settings, new=args.new_class))
    shared = room_address() if settings.HOST in ANY_ADDRESS else settings.HOST
    local = "127.0.0.1" if settings.HOST in ANY_ADDRESS else settings.HOST
    base = f"http://{_bracketed(shared)}:{settings.PORT}"
    print(f"Classroom {code}, database {database}", flush=True)
    print("Learners join once, in a terminal in the workbook's folder:")
    print(f"    python -m support join {base}/c/{code}")
    print("Your page (keep this link to yourself; each start makes a new key):")
    print(f"    http://{_bracketed(local)}:{settings.PORT}/c/{code}/board#key={key}")
    if settings.HOST not in ANY_ADDRESS and settings.HOST.startswith("127."):
        print("Only this machine can join: start with --host 0.0.0.0 to let the room in.")
    print("Stop with Ctrl+C. Wipe everything afterwards: python -m classroom --wipe", flush=True)
    uvicorn.run(
        create_app(settings),
        host=settings.HOST,
        port=settings.PORT,
        log_level="warning",
        access_log=False,
    )
    return 0


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host else host


if __name__ == "__main__":
    sys.exit(main())
