# tiktok-claims: `make run` builds everything, `make test` runs every test.
# Both create the virtual environment in .venv/ (pinned requirements.txt) when it is missing.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DBT := $(BIN)/dbt
# dbt reads profiles.yml from the repository root.
export DBT_PROFILES_DIR := $(CURDIR)

SQL_DIRS := models macros tests analyses
PY_DIRS := ml bench integration_tests conftest.py

.PHONY: help setup seed build run lint test bench docs clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements.txt
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

setup: $(BIN)/.installed ## Create .venv/ and install the pinned dependencies

seed: setup ## Regenerate the synthetic seed (seeds/tiktok_dataset.csv) from the generator
	$(BIN)/python -m ml.synthetic

build: setup ## dbt build (seed, models, unit and data tests) into a new file, published atomically
	$(BIN)/python -m ml.build

run: build ## Everything: set up, build the warehouse (later steps: train, score, report)

lint: setup ## sqlfluff (dbt templater, DuckDB dialect) and ruff
	$(BIN)/sqlfluff lint $(SQL_DIRS)
	$(BIN)/ruff check $(PY_DIRS)
	$(BIN)/ruff format --check $(PY_DIRS)

test: lint build ## Every test: lint, dbt build with all its tests, pytest (oracle on the real data)
	$(BIN)/python -m pytest

bench: setup ## Benchmarks (not part of make test)
	$(BIN)/python bench/dbt_build_bench.py

clean: ## Remove build outputs (keeps .venv/)
	rm -rf target logs artifacts reports tiktok.duckdb
