# fbaudit — two commands do everything on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export UV_PYTHON_DOWNLOADS := never
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
RUN := $(UV) run --frozen
DBT := $(RUN) dbt --no-use-colors
DBT_DIRS := --project-dir $(CURDIR)/dbt --profiles-dir $(CURDIR)/dbt
DATA := $(abspath $(or $(FBAUDIT_DATA_DIR),data))

.PHONY: help install manifest demo run test lint dagster clean bench-accuracy

help:
	@echo "make demo   - install, generate the demo seller, run the whole pipeline, print what was found"
	@echo "make test   - the whole test suite"
	@echo "make dagster - the Dagster UI on http://127.0.0.1:3000 (after make demo)"

install: .venv/.installed manifest

.venv/.installed: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || test -x $(UV) || python3 -m pip install --quiet --user uv==0.13.9
	$(UV) sync --frozen --python python3.11
	@touch $@

# dagster-dbt loads dbt's manifest at import time: produce it before anything imports the definitions.
manifest: .venv/.installed
	@FBAUDIT_DATA_DIR=$(DATA) $(DBT) parse $(DBT_DIRS) --quiet

demo: install
	$(RUN) fbaudit demo
	$(RUN) fbaudit run
	@echo
	@echo "Next: 'make dagster' opens the Dagster UI (lineage, runs) on http://127.0.0.1:3000;"
	@echo "      the warehouse is data/warehouse.duckdb (duckdb -readonly data/warehouse.duckdb)."

run: install
	$(RUN) fbaudit run

lint: install
	$(RUN) ruff check ingestion dagster_project tests
	$(RUN) python -m ingestion.dbt_sources --check

test: install lint
	$(RUN) pytest

# The UI shows the runs `fbaudit run` recorded in $(DATA)/.dagster, with the same single-writer pool.
dagster: install
	mkdir -p $(DATA)/.dagster && cp dagster_project/dagster.yaml $(DATA)/.dagster/dagster.yaml
	FBAUDIT_DATA_DIR=$(DATA) DAGSTER_HOME=$(DATA)/.dagster $(RUN) dagster dev -m dagster_project.definitions \
		-h 127.0.0.1 -p 3000

# Claim detection vs the demo's ground truth over seeds and sizes (minutes): make bench-accuracy ARGS="--seeds 1"
bench-accuracy: install
	$(RUN) python -m benchmarks.accuracy $(ARGS)

clean:
	rm -rf data dbt/target dbt/logs .pytest_cache
