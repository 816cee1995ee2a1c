# Two commands set everything up on a fresh machine: `make demo` and `make test`.
# Each creates the virtual environment first when needed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VNU := node_modules/vnu-jar/build/dist/vnu.jar

.PHONY: install demo test lint format lock clean

install: $(STAMP)

# Reinstalls only when the pinned list changes, so a second `make install` is instant.
$(STAMP): requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

# The Nu HTML Checker the tests run (needs npm and Java), pinned in package-lock.json.
$(VNU): package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

demo: install
	$(BIN)/invoke demo

test: install $(VNU)
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
