# Every target does its own set-up first: `make lab` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Jupyter's configuration, laid out as it goes into the environment (jupyter-config/README.md).
JUPYTER_CONFIG := $(shell find jupyter-config -type f ! -name README.md)
PORT   ?= 8000
# uv installs the lock several times faster than pip (benchmarks/README.md); `make setup
# INSTALLER=pip` takes the slower path, which shows the same progress.
INSTALLER ?= uv
UV_VERSION := $(shell sed -n 's/^uv==\([^ ;]*\).*/\1/p' requirements.lock)
SUPPORTED := import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))

.PHONY: setup repair classroom lab test test-fast test-pythons notebooks docs serve migrate bench bench-notebooks bench-setup lint format lock doctor clean

setup: $(STAMP)

# Redone only when the lock, the project metadata or the Jupyter configuration changes.
$(STAMP): requirements.lock pyproject.toml $(JUPYTER_CONFIG)
	@$(PYTHON) -c '$(SUPPORTED)' || { echo "Python 3.11 to 3.13 is needed; $(PYTHON) is $$($(PYTHON) -V 2>&1). Run: make setup PYTHON=python3.12 (or another)"; exit 1; }
	@if [ -x $(BIN)/python ] && ! $(BIN)/python -c '$(SUPPORTED)'; then echo "$(VENV) was made by $$($(BIN)/python -V 2>&1), which the workbook does not support. Run: make clean setup"; exit 1; fi
	@test -x $(BIN)/python || { echo "Creating $(VENV) with $$($(PYTHON) -V)"; $(PYTHON) -m venv $(VENV); }
ifeq ($(INSTALLER),pip)
	@echo "Installing the locked packages with pip (a few minutes)"
	$(BIN)/python -m pip install --disable-pip-version-check --progress-bar on -r requirements.lock
	$(BIN)/python -m pip install --disable-pip-version-check --quiet --no-deps -e .
else
	@echo "Installing uv $(UV_VERSION), then the locked packages with it"
	$(BIN)/python -m pip install --disable-pip-version-check --quiet "uv==$(UV_VERSION)"
	$(BIN)/python -m uv pip install --python $(BIN)/python -r requirements.lock
	$(BIN)/python -m uv pip install --python $(BIN)/python --quiet --no-deps -e .
endif
	$(BIN)/python -m support install-config
	@touch $(STAMP)
	@echo "Set-up done. Next: make lab (the course) or make test (every test)."

# Puts .venv back exactly as the lock says (what `make doctor` prints as the fix).
repair:
	@test -x $(BIN)/python || { echo "No $(VENV) yet: run make setup"; exit 1; }
	$(BIN)/python -m support repair
	@touch $(STAMP)

# At the repository root (README, solutions/ and the notebooks side by side), on notebook 00.
lab: setup
	$(BIN)/python -m support lab

test: setup
	$(BIN)/python -m pytest

# The package and checker tests only, without executing notebooks.
test-fast: setup
	$(BIN)/python -m pytest -m "not notebooks"

# The checker tests and every notebook on each other Python from 3.11 to 3.13 that is installed.
test-pythons: setup
	tools/test-pythons.sh

notebooks: setup
	$(BIN)/python -m support run-notebooks
	$(BIN)/python tools/refresh_docs.py

# The course map in README.md and the generated half of INSTRUCTORS.md, from support/catalog.
docs: setup
	$(BIN)/python tools/refresh_docs.py

doctor: setup
	$(BIN)/python -m support doctor

# Your notebooks' answers inside a copy of the finished package: its tests, then a real server.
.PHONY: capstone
capstone: setup
	$(BIN)/python -m support capstone

migrate: setup
	cd solutions && ../$(BIN)/alembic upgrade head

serve: migrate
	cd solutions && ../$(BIN)/uvicorn app.main:app --host 127.0.0.1 --port $(PORT)

bench: setup
	$(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/classroom.py

# The live classroom (classroom/README.md), on every interface so the room can join; port 8100.
classroom: setup
	$(BIN)/python -m classroom --host 0.0.0.0 $(if $(filter command line environment,$(origin PORT)),--port $(PORT))

bench-notebooks: setup
	$(BIN)/python benchmarks/notebooks.py

# A fresh set-up with pip and with uv, side by side, each into a new environment, no cache.
bench-setup: setup
	$(BIN)/python benchmarks/setup_time.py

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check solutions support tests benchmarks classroom

format: setup
	$(BIN)/ruff format solutions support tests benchmarks classroom
	$(BIN)/ruff check --fix .

# Maintainers only: re-resolve the pins for Linux, macOS and Windows at once.
lock: setup
	$(BIN)/python -m uv pip compile pyproject.toml --extra dev --extra postgres --universal --python-version 3.11 -o requirements.lock
	$(BIN)/python tools/write_environment_yml.py

clean:
	rm -rf $(VENV) .venv-pythons .pytest_cache .ruff_cache
