# jixiao — every target installs what it needs into .venv first.
PY     ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    ?= out/sample

.DEFAULT_GOAL := help
.PHONY: help install sample test lint typecheck pytest bench schema docs clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml scripts/system-deps.sh
	bash scripts/system-deps.sh
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)  ## Create .venv and install jixiao with its dev tools

sample: install  ## Convert the bundled sample archive (fixtures/sample) to $(OUT)
	$(BIN)/jixiao convert fixtures/sample -o $(OUT) --to json,xml
	@echo "outputs in $(OUT)/"

test: lint typecheck pytest  ## The whole test suite: lint, type check, tests

lint: install  ## ruff
	$(BIN)/ruff check jixiao tests benchmarks fixtures

typecheck: install  ## mypy (strict) on the package
	$(BIN)/mypy

pytest: install  ## pytest (warnings are errors)
	$(BIN)/pytest

bench: install  ## Speed and memory benchmarks (never part of the tests)
	$(BIN)/python -m pip install -q -e '.[dev,bench]'
	$(BIN)/python benchmarks/bench_docx.py
	$(BIN)/python benchmarks/bench_pdf.py
	$(BIN)/python benchmarks/bench_batch.py

schema: install  ## Regenerate the committed JSON Schema and XSD from the model
	$(BIN)/python -m jixiao.schemas.generate

docs: install  ## The Python API reference from the docstrings (pdoc) → docs/api/index.html
	$(BIN)/python scripts/build_api_docs.py docs/api

clean:  ## Remove .venv and outputs
	rm -rf $(VENV) out
