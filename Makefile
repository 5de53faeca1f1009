# Siklus: `make run` serves a populated demo on http://127.0.0.1:5000 (with its worker); `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
# One pytest worker per core (pytest-xdist); each worker has its own databases.
PYTEST_ARGS ?= -n auto
export FLASK_APP := web:create_app

.PHONY: run test install install-test db demo bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml tests/rule_plugin/pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]' -e tests/rule_plugin
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

db: install
	$(BIN)/siklus db upgrade

demo: db
	$(BIN)/siklus demo --if-empty

# The worker (background jobs, notices, e-mail) runs beside the server and stops with it.
run: demo
	$(BIN)/siklus worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/siklus serve --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

$(VENV)/.installed-lint: pyproject.toml $(VENV)/.installed-test
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[lint]'
	touch $@

lint: $(VENV)/.installed-lint
	$(BIN)/ruff check engine web rules workflows tests benchmarks
	$(BIN)/mypy

bench: install-test
	$(BIN)/python benchmarks/bench_engine.py
	$(BIN)/python benchmarks/bench_rules.py

clean:
	rm -rf $(VENV) instance .pytest_cache test-output
