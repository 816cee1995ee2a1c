# Two commands set everything up on a fresh machine: `make demo` and `make test`.
# Each creates the virtual environment first when needed; before that, and before the
# tests, scripts/deps installs the Debian packages they need when run as root, and
# otherwise prints the apt-get command and stops.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VNU := node_modules/vnu-jar/build/dist/vnu.jar
# make demo PORT=8001: the site's port. REGISTRY_PORT=8766: the demo registry's, which
# the demo reads from REGISTRY_URL (by default http://127.0.0.1:8765/api/v1). Plain `=`:
# only the command line changes them, not a PORT some platform put in the environment.
PORT = 8000
REGISTRY_PORT =

.PHONY: install deps demo test lint format lock clean

install: $(STAMP)

# Reinstalls only when the pinned list changes, so a second `make install` is instant.
$(STAMP): requirements.lock
	test -x $(BIN)/python || { PYTHON=$(PYTHON) scripts/deps venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

# The Nu HTML Checker the tests run (needs npm and Java), pinned in package-lock.json.
$(VNU): package-lock.json | deps
	npm ci --silent --no-audit --no-fund
	touch $@

# What the tests need from Debian: Chromium, nginx, rsync, a Java runtime, npm.
deps:
	@scripts/deps test

demo: install
	$(if $(REGISTRY_PORT),REGISTRY_URL=http://127.0.0.1:$(REGISTRY_PORT)/api/v1 )$(BIN)/invoke demo --port $(PORT)

test: deps install $(VNU)
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Re-pin every dependency from pyproject.toml into requirements.lock.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --disable-pip-version-check '.[dev]'
	.lock-venv/bin/python -m pip freeze --exclude sunshine > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf output var .pytest_cache .mypy_cache .ruff_cache
