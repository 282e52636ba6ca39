#!/usr/bin/env bash
# The checker tests (but the slow capstone run) and one nbval run of every notebook on each other
# supported Python.
#   tools/test-pythons.sh                 # 3.11, 3.12 and 3.13, except .venv's own (make test covers it)
#   REQUIRE_ALL_PYTHONS=1 tools/test-pythons.sh   # CI: a missing version fails the run
#   SERIAL=1 tools/test-pythons.sh                # one version at a time, not side by side
# Each version gets its own environment in .venv-pythons/3.X, installed from the lock with uv.
set -uo pipefail
cd "$(dirname "$0")/.."
VERSIONS=(3.11 3.12 3.13)
own=$(.venv/bin/python -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || echo none)
failed=(); missing=(); proven=("$own (.venv, make test)")

find_python() {  # a python3.X that really runs: pyenv's shim answers "command not found" otherwise
  local version=$1 candidate
  for candidate in "$(command -v "python$version" 2>/dev/null)" \
                   $(ls -d "$(pyenv root 2>/dev/null)/versions/$version".*/bin/"python$version" 2>/dev/null | sort -V -r); do
    [ -n "$candidate" ] && "$candidate" -c 'import sys' >/dev/null 2>&1 && { echo "$candidate"; return 0; }
  done
  return 1
}

prove() {  # one version, its output in .venv-pythons/$1.log; run side by side (one per core)
  local version=$1 python=$2 env=".venv-pythons/$1"
  echo "== Python $version: $("$python" -V) from $python, environment $env"
  if [ ! -x "$env/bin/python" ] || [ requirements.lock -nt "$env/.installed" ] || [ pyproject.toml -nt "$env/.installed" ]; then
    rm -rf "$env"
    .venv/bin/python -m uv venv --quiet -p "$python" "$env" \
      && .venv/bin/python -m uv pip install --quiet --python "$env/bin/python" -r requirements.lock \
      && .venv/bin/python -m uv pip install --quiet --python "$env/bin/python" --no-deps -e . \
      && "$env/bin/python" -m support install-config >/dev/null \
      && touch "$env/.installed" \
      || { echo "== Python $version: set-up failed"; return 1; }
  fi
  "$env/bin/python" -m pytest -q -p no:cacheprovider -m "not slow" tests/checks \
    && "$env/bin/python" -m pytest -q -p no:cacheprovider notebooks
}

mkdir -p .venv-pythons
started=()
for version in "${VERSIONS[@]}"; do
  [ "$version" = "$own" ] && continue
  if ! python=$(find_python "$version"); then
    echo "== Python $version: not found on this machine (install it, e.g. pyenv install $version)"
    missing+=("$version"); continue
  fi
  if [ -n "${SERIAL:-}" ]; then  # one after the other (CI runs this beside make test)
    prove "$version" "$python" > ".venv-pythons/$version.log" 2>&1
    started+=("$version:done:$?")
  else
    prove "$version" "$python" > ".venv-pythons/$version.log" 2>&1 &
    started+=("$version:$!")
  fi
done
for entry in "${started[@]}"; do
  version=${entry%%:*}
  case $entry in
    *:done:0) proven+=("$version") ;;
    *:done:*) failed+=("$version") ;;
    *) if wait "${entry##*:}"; then proven+=("$version"); else failed+=("$version"); fi ;;
  esac
  cat ".venv-pythons/$version.log"
done

echo "Proven here: ${proven[*]}"
[ ${#missing[@]} -eq 0 ] || echo "Not found, so not proven: ${missing[*]}"
[ ${#failed[@]} -eq 0 ] || { echo "FAILED on: ${failed[*]}"; exit 1; }
if [ ${#missing[@]} -ne 0 ] && [ -n "${REQUIRE_ALL_PYTHONS:-}" ]; then exit 1; fi
exit 0
