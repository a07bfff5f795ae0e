# autogradviz developer commands. Everything runs inside ./.venv, created on first use.
#
#   make test    venv + '.[test]' + graphviz/chromium if missing, then ruff check and pytest
#   make lab     venv + '.[lab]' + graphviz if missing, then JupyterLab on 127.0.0.1
#   make bench   venv + '.[bench]' (torch, HIPS autograd), then benchmarks/run.py
#   make lint    ruff check + ruff format --check      make format   ruff format + ruff check --fix
#   make typecheck   mypy on the package               make clean / distclean
#
# Installs are remembered with stamp files inside .venv: they rerun only when pyproject.toml
# changes (the package itself is installed editable, so code edits need no reinstall).

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
PYTEST_ARGS ?=
BENCH_ARGS ?=
LAB_NOTEBOOK := notebooks/01-autograd.ipynb

export PIP_DISABLE_PIP_VERSION_CHECK := 1

.DEFAULT_GOAL := help
.PHONY: help venv install test lint format typecheck bench lab system-deps system-dot \
        clean distclean

help:
	@sed -n '3,7p' Makefile | sed 's/^# \{0,1\}//'

# --- the virtual environment -------------------------------------------------------------

$(VENV)/.stamp-venv:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' || { \
	    echo "autogradviz needs Python >= 3.10; '$(PYTHON)' is $$($(PYTHON) -V 2>&1)." \
	         "Run: make PYTHON=python3.11 ..." >&2; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip
	touch $@

$(VENV)/.stamp-test: pyproject.toml $(VENV)/.stamp-venv
	$(PIP) install -e '.[test]'
	touch $@

$(VENV)/.stamp-lab: pyproject.toml $(VENV)/.stamp-venv
	$(PIP) install -e '.[lab]'
	touch $@

$(VENV)/.stamp-bench: pyproject.toml $(VENV)/.stamp-venv
	$(PIP) install -e '.[bench]'
	touch $@

venv: $(VENV)/.stamp-venv
install: $(VENV)/.stamp-test

# --- system programs (Debian packages) ---------------------------------------------------

system-deps:
	@bash .ci/system-deps dot chromium

system-dot:
	@bash .ci/system-deps dot

# --- checks ------------------------------------------------------------------------------

# ruff and pytest both run even if the first fails, so one CI log shows every problem.
test: system-deps $(VENV)/.stamp-test
	@status=0; \
	echo "+ ruff check ."; $(VENV)/bin/ruff check --output-format=concise . || status=1; \
	echo "+ pytest $(PYTEST_ARGS)"; $(PY) -m pytest $(PYTEST_ARGS) || status=1; \
	exit $$status

lint: $(VENV)/.stamp-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.stamp-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

typecheck: $(VENV)/.stamp-test
	$(VENV)/bin/mypy

# --- benchmarks and the lab --------------------------------------------------------------

bench: $(VENV)/.stamp-bench
	@test -f benchmarks/run.py || { echo "benchmarks/run.py is missing." >&2; exit 1; }
	$(PY) benchmarks/run.py $(BENCH_ARGS)

# JupyterLab listens on 127.0.0.1 only and prints its URL (with the token) itself.
lab: system-dot $(VENV)/.stamp-lab
	@if [ -f $(LAB_NOTEBOOK) ]; then open=$(LAB_NOTEBOOK); else open=; \
	    echo "The teaching notebooks arrive with a later issue; starting JupyterLab" \
	         "on the repository root instead."; fi; \
	root=; [ "$$(id -u)" != 0 ] || root=--allow-root; \
	set -x; exec $(VENV)/bin/jupyter lab --ServerApp.ip=127.0.0.1 --no-browser $$root $$open

# --- housekeeping ------------------------------------------------------------------------

clean:
	rm -rf build dist .pytest_cache .ruff_cache .mypy_cache .hypothesis *.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
