# Link Lab. `make lab` to learn, `make test` to check everything (CI: .ci/run runs `make test`).
SHELL := /bin/bash
.DEFAULT_GOAL := lab

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
EMULATOR_PORT ?= 12111
# `make test` and `make notebooks` run the notebooks on a fresh emulator of their own on this port
# (and their checkout pages on 4400+), with every setting blanked so a local .env cannot change
# their outputs, and a running `make lab` is left alone.
NOTEBOOK_EMULATOR_PORT ?= 12112
NOTEBOOK_PAGE_PORTS ?= 4400
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
BENCH_ARGS ?=

.PHONY: lab test test-live bench bench-pipeline bench-memory bench-scale bench-checkouts bench-state bench-webhooks bench-notebooks notebooks stop page react react-optional

# --- the guide's React checkout (embedded_page/react/, served at /react) ----------------------
# Built with npm when npm is installed; without it /react says how to get it and all else works.
REACT_DIR := embedded_page/react
NPM := $(shell command -v npm 2>/dev/null)
REACT_BUILD := $(REACT_DIR)/dist/index.html
REACT_IF_NPM := $(if $(NPM),$(REACT_BUILD))

# npm ci: exactly package-lock.json; --ignore-scripts: no package runs code at install time.
$(REACT_DIR)/node_modules/.package-lock.json: $(REACT_DIR)/package.json $(REACT_DIR)/package-lock.json
	cd $(REACT_DIR) && npm ci --ignore-scripts --no-audit --no-fund

$(REACT_BUILD): $(REACT_DIR)/node_modules/.package-lock.json $(REACT_DIR)/index.html \
		$(REACT_DIR)/vite.config.js $(wildcard $(REACT_DIR)/src/*)
	cd $(REACT_DIR) && npm run build

ifdef NPM
react: $(REACT_BUILD)
else
react:
	@echo "npm not found: install Node.js and npm (Debian: apt install nodejs npm), then make react." >&2
	@exit 1
endif

# make lab / make page try to build it too, but a failed build (no network for npm) only warns:
# the lessons and the plain page need none of it. make test fails instead.
react-optional:
ifdef NPM
	@$(MAKE) --no-print-directory react \
		|| echo "warning: the React checkout (/react) is not built; all else works. Retry: make react" >&2
endif

# JupyterLab without the pop-ups a learner did not ask for (news, update checks): app-level
# settings of this virtual environment only (jupyter/overrides.json).
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json

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

$(LAB_SETTINGS): jupyter/overrides.json | $(VENV)/.installed
	mkdir -p $(dir $@) && cp $< $@

# default_url, not a file argument: both the browser JupyterLab opens and the link it prints land
# on the first lesson (tests/test_make_lab.py starts this very command).
lab: $(VENV)/.installed $(LAB_SETTINGS) react-optional
	$(PY) scripts/servers.py start --port $(EMULATOR_PORT)
	@echo "JupyterLab opens 00_start_here.ipynb; if no browser opens, use the http://127.0.0.1:8888/lab/tree/00_start_here.ipynb?token=… link below."
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks --LabApp.default_url=/lab/tree/00_start_here.ipynb --ip=127.0.0.1 \
		--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate $(ALLOW_ROOT)

# The guide's checkout page on the emulator, for a browser tab: http://127.0.0.1:4242/ (a demo
# account; runs in the background with the emulator until `make stop`); the React one at /react.
page: $(VENV)/.installed react-optional
	$(PY) scripts/servers.py start --port $(EMULATOR_PORT)

# Stops the emulator and every checkout page the lessons and `make lab` started.
stop: $(VENV)/.installed
	$(PY) scripts/servers.py stop

# Runs $(1) with the lessons on the notebook emulator, then stops that emulator (even on failure).
define with_notebook_emulator
$(PY) scripts/servers.py stop --port $(NOTEBOOK_EMULATOR_PORT) --page-ports $(NOTEBOOK_PAGE_PORTS); \
LINKLAB_BACKEND=emulator STRIPE_API_BASE=http://127.0.0.1:$(NOTEBOOK_EMULATOR_PORT) \
LINKLAB_PAGE_PORTS=$(NOTEBOOK_PAGE_PORTS) \
STRIPE_SECRET_KEY= STRIPE_PUBLISHABLE_KEY= STRIPE_JS_URL= STRIPE_WEBHOOK_SECRET= \
STRIPE_API_VERSION= STRIPE_CUSTOMER= JUPYTERHUB_USER= JUPYTERHUB_SERVICE_PREFIX= $(1); status=$$?; \
$(PY) scripts/servers.py stop --port $(NOTEBOOK_EMULATOR_PORT) --page-ports $(NOTEBOOK_PAGE_PORTS); exit $$status
endef

# The same notebooks on the code path real Stripe test mode takes (LINKLAB_BACKEND=stripe with
# test keys: no resets, no control routes, one account kept between runs), served here by an
# emulator so that no network is needed; outputs are not compared (--nbval-lax), as on Stripe.
# The key is random per run; its publishable key is the emulator's rule (stripe_emulator/keys.py).
REAL_PATH_PORT ?= 12113
REAL_PATH_PAGE_PORTS ?= 4500
define with_real_mode_path
$(PY) scripts/servers.py stop --port $(REAL_PATH_PORT) --page-ports $(REAL_PATH_PAGE_PORTS); \
$(PY) -c 'from helpers.servers import ensure_emulator; ensure_emulator($(REAL_PATH_PORT))' && \
key=sk_test_$$($(PY) -c 'import secrets; print(secrets.token_hex(12))')_real_path && \
LINKLAB_BACKEND=stripe STRIPE_SECRET_KEY=$$key STRIPE_PUBLISHABLE_KEY=$$($(PY) -m stripe_emulator publishable-key $$key) \
STRIPE_API_BASE=http://127.0.0.1:$(REAL_PATH_PORT) STRIPE_JS_URL=http://127.0.0.1:$(REAL_PATH_PORT)/v3/ \
LINKLAB_PAGE_PORTS=$(REAL_PATH_PAGE_PORTS) STRIPE_WEBHOOK_SECRET= STRIPE_API_VERSION= STRIPE_CUSTOMER= \
JUPYTERHUB_USER= JUPYTERHUB_SERVICE_PREFIX= \
$(1); status=$$?; \
$(PY) scripts/servers.py stop --port $(REAL_PATH_PORT) --page-ports $(REAL_PATH_PAGE_PORTS); exit $$status
endef

# configurable-http-proxy, JupyterHub's proxy, for tests/hub (a real hub on loopback): from npm
# into node_modules/ (ignored by git), once.
CHP := node_modules/.bin/configurable-http-proxy
$(CHP):
	npm install --no-save --no-package-lock --no-audit --no-fund --prefix . configurable-http-proxy@5.3.0

test: $(VENV)/.installed-test $(REACT_IF_NPM) $(CHP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest
	$(call with_notebook_emulator,$(VENV)/bin/pytest --nbval --nbval-current-env notebooks -p no:cacheprovider)
	$(call with_real_mode_path,$(VENV)/bin/pytest --nbval-lax --nbval-current-env notebooks -p no:cacheprovider)

# The contract run (tests/live_stripe.py): the tests marked `live_stripe` against real Stripe test
# mode, the emulator's drift check. Needs STRIPE_SECRET_KEY=sk_test_… in the environment (live
# keys are refused); deletes the customers and cancels the open intents its tests create.
test-live: $(VENV)/.installed-test
	LINKLAB_LIVE_STRIPE=1 $(VENV)/bin/pytest tests/emulator -p no:cacheprovider

bench: $(VENV)/.installed
	$(PY) scripts/bench.py $(BENCH_ARGS)

# Where the emulator's own time goes: the card flow in-process, each pipeline step timed.
bench-pipeline: $(VENV)/.installed
	$(PY) scripts/bench_pipeline.py $(BENCH_ARGS)

# Memory per object, per card flow in steady state, per unknown key, per idempotent POST.
bench-memory: $(VENV)/.installed
	$(PY) scripts/bench_memory.py $(BENCH_ARGS)

# What durable state costs: memory only vs --state vs --state-sync full (scripts/bench_state.py).
bench-state: $(VENV)/.installed
	$(PY) scripts/bench_state.py $(BENCH_ARGS)

# Webhook delivery: threads with 304 hung endpoints, throughput, isolation, a 10-minute outage.
bench-webhooks: $(VENV)/.installed
	$(PY) scripts/bench_webhooks.py $(BENCH_ARGS)

# One account filled to 100,000 objects: create, retrieve and list latency per size (scripts/bench_scale.py).
bench-scale: $(VENV)/.installed
	$(PY) scripts/bench_scale.py $(BENCH_ARGS)

# 30 concurrent card checkouts in Chromium on the embedded page (scripts/bench_checkouts.py).
bench-checkouts: $(VENV)/.installed
	$(PY) scripts/bench_checkouts.py $(BENCH_ARGS)

# Each lesson's time in a fresh kernel, against a baseline kernel (scripts/bench_notebooks.py).
bench-notebooks: $(VENV)/.installed-test
	$(call with_notebook_emulator,$(PY) scripts/bench_notebooks.py $(BENCH_ARGS))

# Re-executes every notebook on a fresh emulator, then strips volatile metadata (outputs kept).
notebooks: $(VENV)/.installed-test
	$(call with_notebook_emulator,$(VENV)/bin/jupyter nbconvert --to notebook --execute --inplace $(NOTEBOOKS))
	$(PY) scripts/normalize_notebooks.py $(NOTEBOOKS)
