# Pramen: the everyday commands. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: help browser install lock run serve demo migrate test test-fast e2e smoke lint format migrations-check messages screenshots bench clean

help: ## List the commands
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# The exact versions and hashes of every dependency: requirements.lock for production,
# requirements-dev.lock (the same versions plus the dev tools) for development and CI. `make lock`
# writes both from the ranges in pyproject.toml.
LOCK := requirements.lock
DEV_LOCK := requirements-dev.lock

$(STAMP): $(DEV_LOCK)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r $(DEV_LOCK)
	@touch $(STAMP)

install: $(STAMP) ## Create the virtual environment and install the locked dependencies with the dev tools

# LOCK_FLAGS=--upgrade (the default) moves every package to the newest version pyproject.toml
# allows; LOCK_FLAGS= keeps the locked versions and only adds what pyproject.toml added.
LOCK_FLAGS ?= --upgrade
# Resolved on PyPI alone for the oldest Python Pramen supports (3.11.0, so Debian 12's 3.11.2 too).
UV_COMPILE := $(BIN)/uv pip compile --quiet --no-config --index-url https://pypi.org/simple \
	--python-version 3.11 --generate-hashes --custom-compile-command "make lock" $(LOCK_FLAGS)

lock: install ## Refresh requirements.lock and requirements-dev.lock (with hashes) from pyproject.toml
	$(UV_COMPILE) --output-file $(LOCK) pyproject.toml
	$(UV_COMPILE) --extra dev --constraints $(LOCK) --output-file $(DEV_LOCK) pyproject.toml

migrate: install ## Apply database migrations
	$(MANAGE) migrate --noinput

DEMO_SUPPLY_POINTS ?= 1000
DEMO_YEARS ?= 5

demo: migrate ## Load the demo website and the demo utility's data (idempotent); print the demo logins
	$(MANAGE) setup_groups
	$(MANAGE) load_demo_content
	$(MANAGE) create_portal_pages
	$(MANAGE) zis_demo_load --supply-points $(DEMO_SUPPLY_POINTS) --years $(DEMO_YEARS)
	$(MANAGE) notices_demo

run: demo ## Set everything up and serve the site on 127.0.0.1:8000 with a task worker
	@echo "Serving on http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/); Ctrl+C stops both processes."
	@trap 'kill 0' INT TERM EXIT; \
	  $(MANAGE) run_huey --workers 2 & \
	  $(MANAGE) runserver $(HOST):$(PORT)

browser: ## Make sure Debian's Chromium is there for the browser tests (installs it when root)
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else echo "Install Chromium first: sudo apt-get install chromium"; exit 1; fi; }

# pytest-xdist workers for the parallel runs ("auto": one per CPU).
WORKERS ?= auto
# SMOKE=0 leaves the smoke test out of `make test`: it installs its own Pramen on PostgreSQL and
# Redis whatever DATABASE_URL says, so CI runs it once, in its PostgreSQL pass.
SMOKE ?= 1

test: install browser ## Run the whole suite on DATABASE_URL or SQLite: in parallel (browser tests included), then the smoke test
	$(BIN)/pytest -n $(WORKERS) -m "not smoke"
ifeq ($(SMOKE),0)
	@echo "The smoke test is left out (SMOKE=0): run it with 'make smoke'."
else
	$(BIN)/pytest -m smoke
endif

test-fast: install ## Run the suite in parallel without the browser tests and the smoke test
	$(BIN)/pytest -n $(WORKERS) -m "not e2e and not smoke"

e2e: install browser ## Run only the browser tests
	$(BIN)/pytest -m e2e

smoke: install ## Install Pramen as in production (gunicorn, huey, PostgreSQL, Redis) and check that it answers
	$(BIN)/pytest -m smoke

lint: install ## Check code style, the import rules between packages and that no migration is missing
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(MAKE) --no-print-directory migrations-check

format: install ## Format the code and fix what ruff can fix
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install ## Fail when a model change has no migration
	$(MANAGE) makemigrations --check --dry-run

messages: install ## Refresh the Czech translation catalogue and compile it
	$(MANAGE) makemessages -l cs --ignore=".venv/*" --ignore="node_modules/*" --ignore="static_collected/*"
	$(MANAGE) compilemessages -l cs --ignore=".venv/*"

# The demo `make screenshots` photographs: start it first with `make run` (in another terminal).
SCREENSHOTS_BASE ?= http://$(HOST):$(PORT)

screenshots: install browser ## Retake the pictures of docs/operators.md and docs/editors.md from the running demo (make run)
	$(MANAGE) guide_screenshots --base $(SCREENSHOTS_BASE)

BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/pramen_bench

BENCH_SIZES ?= 1000,10000,100000
# Years of history of each demo utility (e.g. BENCH_SIZES=500000 BENCH_YEARS=2).
BENCH_YEARS ?= 10
# The benchmark's databases are $(BENCH_DATABASE)_<size> on the server of BENCH_DATABASE_URL.
BENCH_DATABASE ?= pramen_bench
# More flags for bench/run_bench.py, e.g. BENCH_ARGS="--load-size 100000 --skip insights".
BENCH_ARGS ?=

bench: install ## Measure Pramen's speed on PostgreSQL at BENCH_SIZES supply points × BENCH_YEARS; writes bench/results.json and docs/images/bench-*.svg
	DATABASE_URL=$(BENCH_DATABASE_URL) BENCH_DATABASE=$(BENCH_DATABASE) $(PY) bench/run_bench.py --sizes $(BENCH_SIZES) --years $(BENCH_YEARS) $(BENCH_ARGS)

clean: ## Remove the virtual environment, local data and caches
	rm -rf $(VENV) var static_collected .pytest_cache .ruff_cache
