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

# The published warehouse (what `make build` publishes, `make sql` and `make metrics` read).
DB := $(or $(TIKTOK_DUCKDB_PATH),tiktok.duckdb)
# `make queue EXPORT=2026-11-02` (default the newest export); `make synthetic DAYS=7 OUT=exports`
EXPORT ?=
DAYS ?= 7
OUT ?= exports
# `make test` runs pytest in this many processes (pytest-xdist; 1 runs it in one process)
TEST_WORKERS ?= 2
# `make metrics METRICS=videos,claim_rate GROUP_BY=video__claim_status`
METRICS ?= claims,claim_rate
GROUP_BY ?= video__author_ban_status

SQL_DIRS := models macros tests/dbt analyses
PY_DIRS := ml report warehouse synthetic bench tests

.PHONY: help setup setup-spark seed synthetic build train score stats queue report docs sql \
	metrics run lint test test-fast bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements.txt
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

setup: $(BIN)/.installed ## Create .venv/ and install the pinned dependencies

$(BIN)/.installed-spark: $(BIN)/.installed requirements-spark.txt
	$(BIN)/python -m pip install --quiet -r requirements-spark.txt
	@touch $@

setup-spark: $(BIN)/.installed-spark ## Also install the optional Spark extra (dbt-spark, PySpark; needs Java 17)

seed: setup ## Regenerate the synthetic seed (seeds/tiktok_dataset.csv) from the generator
	$(BIN)/python -m synthetic

synthetic: setup ## Synthetic daily exports to try the daily load on (DAYS=7 OUT=exports)
	$(BIN)/python -m synthetic --days $(DAYS) --out "$(OUT)"

build: setup ## Load the new exports (EXPORTS=/abs/dir, default the embedded one) into a copy, publish on success
	$(BIN)/python -m warehouse $(if $(EXPORTS),-- --vars '{raw_videos_path: "$(abspath $(EXPORTS))"}')

train: setup ## Train the claim classifier on marts.claim_features (artifacts/, ml.model_runs)
	$(BIN)/python -m ml train

score: setup ## Score every video into ml.claim_predictions, the review queue
	$(BIN)/python -m ml score

queue: setup ## Today's review queue (EXPORT=YYYY-MM-DD for another export's)
	$(BIN)/python -m ml queue $(if $(EXPORT),--export $(EXPORT))

stats: setup ## The t-test and the regression of the original analysis (ml.* tables)
	$(BIN)/python -m ml stats

report: setup ## The stakeholder report: reports/index.html (offline, self-contained)
	$(BIN)/python -m report

docs: setup ## The dbt docs site as one file: target/static_index.html
	$(DBT) docs generate --static

sql: setup ## A read-only SQL shell on the published warehouse (the duckdb CLI, DuckDB 1.5)
	@test -f "$(DB)" || { echo "error: no DuckDB file at $(DB): run make build first" >&2; exit 2; }
	$(BIN)/duckdb -readonly "$(DB)"

metrics: setup ## mf query (METRICS=..., GROUP_BY=...) on a private copy of the warehouse
	$(BIN)/python -m ml.metrics --db-path "$(DB)" query --metrics $(METRICS) --group-by $(GROUP_BY)

run: build train score stats report docs ## Everything, in order, on the embedded default data

lint: setup ## sqlfluff (dbt templater, DuckDB dialect) and ruff
	$(BIN)/sqlfluff lint $(SQL_DIRS)
	$(BIN)/ruff check $(PY_DIRS)
	$(BIN)/ruff format --check $(PY_DIRS)

test: setup-spark lint build ## Every test: lint, dbt build with its tests, pytest (incl. Spark equivalence)
	$(BIN)/python -m pytest $(if $(filter-out 1,$(TEST_WORKERS)),-n $(TEST_WORKERS) --dist loadgroup)

test-fast: setup ## The fast tests only (tests/unit: no dbt build, no training on real data)
	$(BIN)/python -m pytest -m "not slow"

bench: setup ## Benchmarks (not part of make test): dbt build on 19k rows, then 1M and 10M rows
	$(BIN)/python bench/dbt_build_bench.py
	$(BIN)/python bench/ml_bench.py
	$(BIN)/python bench/report_bench.py
	$(BIN)/python bench/scale_bench.py

clean: ## Remove build outputs (keeps .venv/)
	rm -rf target logs artifacts reports tiktok.duckdb
