# Quick start: `make demo` (virtual environment + install + audit of the bundled example)
# and `make test` (test extras + lint + type check + the whole suite, with a short fuzz profile).
# `make fuzz` runs the long fuzz profile: FUZZ_EXAMPLES (default 720) examples per loader.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
EXAMPLE := examples/qinzhou-justice/inventory.yaml

.PHONY: demo test browser fuzz bench coverage-doc clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# setuptools builds in ./build; a stale copy there would carry deleted rule files into the install
demo: $(BIN)/python
	rm -rf build
	$(BIN)/python -m pip install --quiet .
	$(BIN)/compliance-audit audit $(EXAMPLE) --as-of 2021-03-10 --fail-on never

# The HTML summary is tested in Debian's headless Chromium, with CJK fonts so that Chinese renders;
# installed here when missing (root, Debian's apt), never downloaded by Playwright.
browser:
	@test -x /usr/bin/chromium && fc-list :lang=zh | grep -q . || { \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; }

test: $(BIN)/python browser
	rm -rf build
	$(BIN)/python -m pip install --quiet ".[test]"
	$(BIN)/ruff check src tests benchmarks setup.py
	$(BIN)/ruff format --check src tests benchmarks setup.py
	$(BIN)/mypy
	$(BIN)/pytest

fuzz: $(BIN)/python
	rm -rf build
	$(BIN)/python -m pip install --quiet ".[test]"
	HYPOTHESIS_PROFILE=long FUZZ_STATS=fuzz-stats.json $(BIN)/pytest tests/fuzz

bench: $(BIN)/python
	rm -rf build
	$(BIN)/python -m pip install --quiet .
	$(BIN)/python benchmarks/bench_audit.py
	$(BIN)/python benchmarks/bench_harvest.py
	cd benchmarks && ../$(BIN)/python bench_batch.py
	$(BIN)/python benchmarks/bench_inputs.py
	$(BIN)/python benchmarks/bench_startup.py

coverage-doc: $(BIN)/python
	rm -rf build
	$(BIN)/python -m pip install --quiet .
	$(BIN)/compliance-audit rules coverage -o docs/coverage.md

clean:
	rm -rf $(VENV) build dist src/*.egg-info .mypy_cache .pytest_cache .ruff_cache .hypothesis fuzz-stats.json
