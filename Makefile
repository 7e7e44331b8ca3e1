PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
# Test processes (pytest-xdist), each taking whole files (their shared fixtures are made
# once); TEST_WORKERS=0 runs the suite in one process.
TEST_WORKERS ?= 2
# Python's bytecode cache stays on for tests even where the shell turns it off
# (PYTHONDONTWRITEBYTECODE): without it each worker, and each command a test starts, compiles
# the package and pytest rewrites every test module's asserts again (2-3 s of CPU a worker).
PYTEST := env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

.PHONY: demo test test-fast bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test,bench]'
	touch $@ $(STAMP)

demo: $(STAMP)
	$(BIN)/rcm evaluate scenarios/guide-example.yaml
	$(BIN)/rcm report scenarios/guide-example.yaml -o reports/ --format html,pdf
	@echo "The guide example's decision report: $(CURDIR)/reports/guide-example-decision.html (and .pdf)"

test: $(TEST_STAMP)
	$(PYTEST)

test-fast: $(TEST_STAMP)
	$(PYTEST) -m "not slow"

bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build *.egg-info
