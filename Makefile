# Every target does its own set-up first: `make lab` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# JupyterLab gives its kernels CurveZMQ keys (ipykernel 7 warns about kernels on plain TCP).
JUPYTER_CONFIG := jupyter-config/jupyter_server_config.json
PORT   ?= 8000
# JupyterLab refuses to run as root unless told; containers (and some hubs) run learners as root.
LAB_ARGS ?= $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

.PHONY: setup lab test test-fast notebooks docs serve migrate bench bench-notebooks lint format lock doctor clean

setup: $(STAMP)

# Redone only when the lock, the project metadata or the Jupyter configuration changes.
$(STAMP): requirements.lock pyproject.toml $(JUPYTER_CONFIG)
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 to 3.13 is needed, found " + sys.version.split()[0]) if not ((3, 11) <= sys.version_info[:2] <= (3, 13)) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	mkdir -p $(VENV)/etc/jupyter
	cp $(JUPYTER_CONFIG) $(VENV)/etc/jupyter/
	touch $(STAMP)

lab: setup
	$(BIN)/jupyter lab notebooks/00_start_here.ipynb $(LAB_ARGS)

test: setup
	$(BIN)/python -m pytest

# The package and checker tests only, without executing notebooks.
test-fast: setup
	$(BIN)/python -m pytest -m "not notebooks"

notebooks: setup
	$(BIN)/python -m support run-notebooks
	$(BIN)/python tools/refresh_docs.py

# The course map in README.md and the generated half of INSTRUCTORS.md, from support/catalog.
docs: setup
	$(BIN)/python tools/refresh_docs.py

doctor: setup
	$(BIN)/python -m support doctor

migrate: setup
	cd solutions && ../$(BIN)/alembic upgrade head

serve: migrate
	cd solutions && ../$(BIN)/uvicorn app.main:app --host 127.0.0.1 --port $(PORT)

bench: setup
	$(BIN)/python benchmarks/bench.py

bench-notebooks: setup
	$(BIN)/python benchmarks/notebooks.py

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check solutions support tests benchmarks

format: setup
	$(BIN)/ruff format solutions support tests benchmarks
	$(BIN)/ruff check --fix .

# Maintainers only: re-resolve the pins for Linux, macOS and Windows at once.
lock: setup
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra postgres --universal --python-version 3.11 -o requirements.lock
	$(BIN)/python tools/write_environment_yml.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
