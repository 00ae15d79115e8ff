# Link Lab. `make lab` to learn, `make test` to check everything (CI: .ci/run runs `make test`).
SHELL := /bin/bash
.DEFAULT_GOAL := lab

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
EMULATOR_PORT ?= 12111
# `make test` and `make notebooks` run the notebooks on a fresh emulator of their own on this port,
# with every setting blanked so a local .env cannot change their outputs.
NOTEBOOK_EMULATOR_PORT ?= 12112
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
BENCH_ARGS ?=

.PHONY: lab test bench notebooks stop page

# --- the virtual environment: created once, reinstalled only when pyproject.toml changes ------

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Link Lab needs Python >= 3.11: run make PYTHON=python3.11 ..." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(UV): | $(PY)
	$(PY) -m pip install --quiet uv

$(VENV)/.installed: pyproject.toml | $(UV)
	$(UV) pip install --python $(PY) --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(UV)
	$(UV) pip install --python $(PY) --quiet -e '.[test]'
	@touch $@

# --- commands -------------------------------------------------------------------------------

lab: $(VENV)/.installed
	$(PY) scripts/emulator.py start --port $(EMULATOR_PORT)
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks --ip=127.0.0.1 $(ALLOW_ROOT)

# The guide's checkout page on the emulator, with a demo account's keys: http://127.0.0.1:4242/
page: $(VENV)/.installed
	$(PY) scripts/emulator.py start --port $(EMULATOR_PORT)
	STRIPE_SECRET_KEY=sk_test_linklab_page STRIPE_PUBLISHABLE_KEY=pk_test_linklab_page \
	STRIPE_API_BASE=http://127.0.0.1:$(EMULATOR_PORT) STRIPE_JS_URL=http://127.0.0.1:$(EMULATOR_PORT)/v3/ \
	$(PY) -m embedded_page --port 4242

stop: $(VENV)/.installed
	$(PY) scripts/emulator.py stop --port $(EMULATOR_PORT)

# Runs $(1) with the lessons on the notebook emulator, then stops that emulator (even on failure).
define with_notebook_emulator
$(PY) scripts/emulator.py stop --port $(NOTEBOOK_EMULATOR_PORT); \
LINKLAB_BACKEND=emulator STRIPE_API_BASE=http://127.0.0.1:$(NOTEBOOK_EMULATOR_PORT) \
STRIPE_SECRET_KEY= STRIPE_PUBLISHABLE_KEY= STRIPE_JS_URL= STRIPE_WEBHOOK_SECRET= \
STRIPE_API_VERSION= STRIPE_CUSTOMER= $(1); status=$$?; \
$(PY) scripts/emulator.py stop --port $(NOTEBOOK_EMULATOR_PORT); exit $$status
endef

test: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest
	$(call with_notebook_emulator,$(VENV)/bin/pytest --nbval --nbval-current-env notebooks)

bench: $(VENV)/.installed
	$(PY) scripts/bench.py $(BENCH_ARGS)

# Re-executes every notebook on a fresh emulator, then strips volatile metadata (outputs kept).
notebooks: $(VENV)/.installed-test
	$(call with_notebook_emulator,$(VENV)/bin/jupyter nbconvert --to notebook --execute --inplace $(NOTEBOOKS))
	$(PY) scripts/normalize_notebooks.py $(NOTEBOOKS)
