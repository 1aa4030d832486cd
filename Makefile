# One command per job; each creates the virtualenv and installs the project first when needed.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install test lint run migrate bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Run the whole test suite (SQLite always; PostgreSQL when reachable, required when CI=true).
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## Lint, format check, type check and the architecture's import contracts.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

## Start the product: the Slack bot when tokens are set (env or .env), else the console demo.
run: $(STAMP)
	$(BIN)/mentor-match start

migrate: $(STAMP)
	$(BIN)/mentor-match migrate

bench: $(STAMP)
	$(BIN)/python -m bench.search

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
