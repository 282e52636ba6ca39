#!/usr/bin/env bash
# A throwaway PostgreSQL on loopback for the package's tests (Debian/Ubuntu).
#   eval "$(tools/throwaway-postgres.sh start)"   # prints `export TEST_DATABASE_URL=...`
#   make test
#   tools/throwaway-postgres.sh stop
# Installs Debian's postgresql package if no server is found (needs root or sudo).
set -euo pipefail
# One server per clone: its folder and port come from the clone's path, so two clones (a
# developer's and CI's) never stop or delete each other's server.
CLONE_ID=$(cd "$(dirname "$0")/.." && pwd -P | cksum | cut -d' ' -f1)
PGPORT="${PGPORT:-$((55432 + CLONE_ID % 2000))}"
DIR="${PGDATA_DIR:-${TMPDIR:-/tmp}/workbook-postgres-$CLONE_ID}"
RUN_AS=()

find_bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$found" ] && echo "$found"
}

as_owner() {  # the server refuses to run as root
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    BIN=$(find_bin) || true
    if [ -z "${BIN:-}" ]; then
      echo "Installing Debian's postgresql package..." >&2
      SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
      $SUDO apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
      BIN=$(find_bin)
    fi
    if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
      useradd --system --home-dir "$DIR" --shell /usr/sbin/nologin postgres
    fi
    if [ -f "$DIR/data/postmaster.pid" ]; then
      as_owner "$BIN/pg_ctl" -D "$DIR/data" -m fast stop >&2 || true
    fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$PGPORT") 2>/dev/null; then
      echo "Port $PGPORT is taken by another program: run again with PGPORT=<a free port>" >&2
      exit 1
    fi
    rm -rf "$DIR"; mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres "$DIR"
    as_owner "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 >/dev/null
    as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $DIR -c fsync=off" start >&2
    as_owner "$BIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres workbook_test
    echo "export TEST_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:$PGPORT/workbook_test"
    ;;
  stop)
    BIN=$(find_bin) || exit 0
    if [ -f "$DIR/data/postmaster.pid" ]; then
      as_owner "$BIN/pg_ctl" -D "$DIR/data" -m fast stop >&2
    fi
    rm -rf "$DIR"
    ;;
  *)
    echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
