# Two commands: `make run` serves the demo partnership on http://127.0.0.1:5000;
# `make test` runs the whole suite (SQLite, then PostgreSQL when TEST_DATABASE_URL is set).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app safeguarding
HOST ?= 127.0.0.1
PORT ?= 5000
# Links in emails point at the port served (unless the environment says otherwise).
SERVICE_BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test setup install assets fonts instance db demo chromium lint bench load clean

# Served as in production (gunicorn: 2 workers × 4 threads, no debugger), with the
# scheduler (daily jobs, the email outbox) beside it; both stop on Ctrl-C. Plain HTTP on
# loopback, so the session cookie is not marked Secure here (production: HTTPS in front).
run: setup
	@echo "Serving the demo partnership on http://$(HOST):$(PORT) (sign in as office@demo.test, password demo-password-2026)"
	@echo "The scheduler runs beside it (daily jobs, email outbox); Ctrl-C stops both."
	export SERVICE_BASE_URL="$(SERVICE_BASE_URL)"; \
	$(FLASK) scheduler & SCHEDULER_PID=$$!; trap 'kill $$SCHEDULER_PID 2>/dev/null' EXIT; \
	SESSION_COOKIE_SECURE=0 $(FLASK) serve --host $(HOST) --port $(PORT)

setup: install assets fonts instance db demo

# --- Python ------------------------------------------------------------------------------
install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@

# --- GOV.UK Frontend and axe-core from the npm registry (pinned in package-lock.json) ----
assets: safeguarding/static/build/app.css

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

safeguarding/static/build/app.css: node_modules/.package-lock.json $(wildcard safeguarding/assets/scss/*.scss)
	npm run --silent build:css

# --- the font the PDFs embed (documents/ asks WeasyPrint for DejaVu Sans) ----------------
fonts:
	@fc-list 2>/dev/null | grep -q "DejaVu Sans" || { \
	  echo "Installing Debian's fonts-dejavu-core for the PDFs"; \
	  (apt-get install -y --no-install-recommends fonts-dejavu-core >/dev/null 2>&1 || \
	   (apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends fonts-dejavu-core >/dev/null)); }

# --- instance/: local config with a generated secret key, and the SQLite database --------
instance: instance/config.py

instance/config.py: | $(VENV)/.installed
	$(BIN)/python -m safeguarding.instance_setup

db: instance/config.py $(VENV)/.installed
	$(FLASK) db upgrade

demo: db
	$(FLASK) seed-demo --if-empty

# --- tests -------------------------------------------------------------------------------
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  (apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 || \
	   (apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends chromium >/dev/null)); }

# TEST_WORKERS pytest-xdist workers share each run (TEST_WORKERS=0: one process).
TEST_WORKERS ?= 2

test: install assets fonts chromium lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "== again on PostgreSQL ($$TEST_DATABASE_URL) =="; \
	  SAFEGUARDING_TEST_DB=postgresql $(BIN)/python -m pytest -n $(TEST_WORKERS); \
	fi

# Gates before the suite: ruff's rules and its formatter (`ruff format` fixes the latter),
# and mypy over the files [tool.mypy] lists (strict).
LINTED := safeguarding tests bench migrations wsgi.py
lint: install
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy

# The benchmark on SQLite (bench/out/), then on PostgreSQL when BENCH_DATABASE_URL names an
# existing database (generated when empty); REGENERATE=1 rebuilds the data of both. Both
# run and report before an over-budget page fails the target.
bench: install assets
	@echo "== SQLite (bench/out/bench.db) =="; \
	$(BIN)/python -m bench.run $(if $(REGENERATE),--regenerate); status=$$?; \
	if [ -n "$$BENCH_DATABASE_URL" ]; then \
	  echo "== again on PostgreSQL ($$BENCH_DATABASE_URL) =="; \
	  $(BIN)/python -m bench.run --database-url "$$BENCH_DATABASE_URL" $(if $(REGENERATE),--regenerate) || status=1; \
	fi; exit $$status

# The load test (bench/load.py): gunicorn with 4 workers over LOAD_DATABASE_URL (the
# benchmark's PostgreSQL data), 50 users for 60 s; never part of `make test`.
load: install assets
	@test -n "$(LOAD_DATABASE_URL)" || { echo "make load LOAD_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench"; exit 2; }
	$(BIN)/python -m bench.load --postgres "$(LOAD_DATABASE_URL)"

clean:
	rm -rf $(VENV) node_modules safeguarding/static/build .pytest_cache
