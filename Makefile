# The whole set-up on a fresh machine: `make run`, `make test`, `make lint`, `make demo`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Everything that touches the database runs again on PostgreSQL.
DB_TESTS := tests/storage tests/services tests/scheduler tests/inventory tests/api tests/security tests/cli tests/reports
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/postgres
# Where `make run` and `make demo` listen: `make run PORT=8080 HOST=0.0.0.0`.
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-dev run demo test test-sqlite test-postgres lint format clean bench-aws

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed $(VENV)/.installed-demo

$(VENV)/.installed-demo: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[demo]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/cloudconnectors serve --host $(HOST) --port $(PORT)

demo: $(VENV)/.installed-demo
	$(BIN)/cloudconnectors demo --host $(HOST) --port $(PORT)

# The whole suite on SQLite, then everything that touches the database again on PostgreSQL.
test: install-dev
	$(BIN)/python -m pytest -n 2 --dist loadfile -q
	CLOUDCONNECTORS_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest -n 2 --dist loadfile -q -m "not browser" $(DB_TESTS)

test-sqlite: install-dev
	$(BIN)/python -m pytest -n 2 --dist loadfile -q

test-postgres: install-dev
	CLOUDCONNECTORS_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest -n 2 --dist loadfile -q -m "not browser" $(DB_TESTS)

# Our AWS poll + CIS report against a seeded moto account; Prowler and ScoutSuite too with
# PROWLER=<venv> and SCOUTSUITE=<venv> (each installed in a venv of its own).
SCALES ?= 1,10,30
bench-aws: install-dev
	$(BIN)/python benchmarks/aws_vs_peers.py --scale $(SCALES) $(if $(PROWLER),--prowler $(PROWLER)) $(if $(SCOUTSUITE),--scoutsuite $(SCOUTSUITE))

lint: install-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

format: install-dev
	$(BIN)/ruff check --fix src tests benchmarks
	$(BIN)/ruff format src tests benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-output
