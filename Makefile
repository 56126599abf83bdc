# make run  : create .venv if needed, install, start the bot (console when no tokens are set)
# make test : ruff, mypy and pytest, exactly what CI runs
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest schema catalog bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "roastbot needs Python 3.11 or newer: set PYTHON=python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/roastbot run

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

schema: $(STAMP)
	$(BIN)/python -m bot.catalog.schema > dossiers/schema.json

catalog: $(STAMP)
	$(BIN)/roastbot catalog --markdown > dossiers/CATALOG.md

bench: $(STAMP)
	PYTHONPATH=. $(BIN)/python bench/core.py
	$(BIN)/python -m bench.adapters

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
