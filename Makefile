# fbaudit — two commands do everything on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export UV_PYTHON_DOWNLOADS := never
# Installed modules are compiled once, at install: where PYTHONDONTWRITEBYTECODE is set (as on this machine), every
# dbt and fbaudit process would otherwise compile its imports again (dbt --version: 7.3 s -> 5.0 s).
export UV_COMPILE_BYTECODE := 1
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
# uv's folder on the PATH of everything make runs: tests start `uv run fbaudit ...` as users do, and a uv installed
# by `pip install --user` (below) is in ~/.local/bin, which a fresh machine's PATH may lack
export PATH := $(dir $(UV)):$(PATH)
RUN := $(UV) run --frozen
DBT := $(RUN) dbt --no-use-colors
DBT_DIRS := --project-dir $(CURDIR)/dbt --profiles-dir $(CURDIR)/dbt
DATA := $(abspath $(or $(FBAUDIT_DATA_DIR),data))

.PHONY: help install manifest demo run test test-spark lint dagster clean bench bench-accuracy docs dashboards-install \
	browser-setup java-setup

help:
	@echo "make demo   - install, generate the demo seller, run the whole pipeline, print what was found"
	@echo "make test   - the whole test suite"
	@echo "make test-spark - the demo's marts built on Apache Spark too, compared with DuckDB's"
	@echo "make dagster - the Dagster UI on http://127.0.0.1:3000 (after make demo)"

install: .venv/.installed manifest

.venv/.installed: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || test -x $(UV) || python3 -m pip install --quiet --user uv==0.13.9
	$(UV) sync --frozen --python python3.11
	@touch $@

# dagster-dbt loads dbt's manifest at import time: produce it before anything imports the definitions.
manifest: .venv/.installed
	@FBAUDIT_DATA_DIR=$(DATA) $(DBT) parse $(DBT_DIRS) --quiet

# The demo seller's reports come through the SP-API emulator (the real client code path): the emulator runs in
# the background (stopped on exit, failure included), `fbaudit demo --no-reports` writes only the ground truth
# and the seller's own costs file, `fbaudit pull` backfills the demo's 300 days, `fbaudit run` pulls what is
# due, lands and builds. The fake credentials exist only in these commands' environment.
DEMO_SELLERS := $(DATA)/sellers.yml
DEMO_ENV := FBAUDIT_DATA_DIR=$(DATA) FBAUDIT_SELLERS=$(DEMO_SELLERS) FBAUDIT_SP_API_SPEEDUP=1000 \
	DEMO1_LWA_CLIENT_ID=demo-client-id DEMO1_LWA_CLIENT_SECRET=demo-client-secret \
	DEMO1_REFRESH_TOKEN=demo-refresh-DEMO1
FREE_PORT := import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])
DEMO_SINCE := from datetime import timedelta; from ingestion.settings import load_settings; \
	print(load_settings().as_of - timedelta(days=300))

demo: install dashboards-install
	@mkdir -m 700 -p $(DATA) && rm -f $(DEMO_SELLERS)
	@set -e; \
	port=$$($(RUN) python -c '$(FREE_PORT)'); \
	$(DEMO_ENV) $(RUN) fbaudit emulator --port $$port --sellers-file $(DEMO_SELLERS) > $(DATA)/emulator.log 2>&1 & \
	emulator=$$!; \
	trap 'kill $$emulator 2>/dev/null; wait $$emulator 2>/dev/null || true' EXIT; \
	for _ in $$(seq 300); do \
		test -s $(DEMO_SELLERS) && break; \
		kill -0 $$emulator 2>/dev/null || { cat $(DATA)/emulator.log; echo "the SP-API emulator exited"; exit 1; }; \
		sleep 0.2; \
	done; \
	test -s $(DEMO_SELLERS) || { echo "the SP-API emulator did not answer (see $(DATA)/emulator.log)"; exit 1; }; \
	echo "SP-API emulator on 127.0.0.1:$$port"; \
	$(DEMO_ENV) $(RUN) fbaudit demo --no-reports; \
	$(DEMO_ENV) $(RUN) fbaudit pull --since $$($(DEMO_ENV) $(RUN) python -c '$(DEMO_SINCE)') > $(DATA)/pull.log \
		|| { tail -n 30 $(DATA)/pull.log; exit 1; }; \
	tail -n 1 $(DATA)/pull.log; \
	$(DEMO_ENV) $(RUN) fbaudit run
	@echo
	@echo "Next: 'make dagster' opens the Dagster UI (lineage, runs) on http://127.0.0.1:3000;"
	@echo "      the warehouse is data/warehouse.duckdb (duckdb -readonly data/warehouse.duckdb)."
	@echo "      The dashboards: python3 -m http.server 4173 --bind 127.0.0.1 -d reports/build"
	@echo "      then open http://127.0.0.1:4173 (or: cd reports && npm run preview)."

run: install dashboards-install
	$(RUN) fbaudit run

lint: install
	$(RUN) ruff check ingestion dagster_project tests
	$(RUN) python -m ingestion.dbt_sources --check

# Every test, the Spark comparison included (its dependency group and Java are set up first).
test: install lint dashboards-install browser-setup java-setup
	$(RUN) --group spark pytest

# The demo seller's dbt build on Apache Spark (local mode, in this process) against DuckDB's, every mart row for
# row (tests/spark/marts.py). Adds the spark dependency group (pyspark, dbt-spark) and needs Java 17.
test-spark: install java-setup
	$(RUN) --group spark pytest -m spark -s tests/spark

# Java for Spark (pyspark starts a JVM), from Debian (CI runs as root on Debian).
java-setup:
	@command -v java >/dev/null || { apt-get update && apt-get install -y openjdk-17-jre-headless; }

# The UI shows the runs `fbaudit run` recorded in $(DATA)/.dagster, with the same single-writer pool.
dagster: install
	mkdir -m 700 -p $(DATA) $(DATA)/.dagster && cp dagster_project/dagster.yaml $(DATA)/.dagster/dagster.yaml
	FBAUDIT_DATA_DIR=$(DATA) DAGSTER_HOME=$(DATA)/.dagster $(RUN) dagster dev -m dagster_project.definitions \
		-h 127.0.0.1 -p 3000

# Performance at seller scale against the DuckDB floor (benchmarks/bench.py; 20-25 minutes here, half of it 10^7 rows):
# make bench ARGS="--sizes 1e5,1e6 --no-evidence"; writes benchmarks/RESULTS.md
bench: install dashboards-install
	$(RUN) python -m benchmarks.bench $(ARGS)

# Claim detection vs the demo's ground truth over seeds and sizes (minutes): make bench-accuracy ARGS="--seeds 1"
bench-accuracy: install
	$(RUN) python -m benchmarks.accuracy $(ARGS)

# dbt's documentation site (every mart column described) into dbt/target; browse it with `dbt docs serve`.
docs: install
	FBAUDIT_DATA_DIR=$(DATA) $(DBT) docs generate $(DBT_DIRS)

# The dashboards' Node packages (Evidence, about 640 MB), exactly as reports/package-lock.json pins them.
dashboards-install: reports/node_modules/.installed

reports/node_modules/.installed: reports/package.json reports/package-lock.json
	cd reports && npm ci
	@touch $@

# Headless Chromium for the dashboards' browser tests, from Debian (CI runs as root on Debian).
browser-setup:
	@test -x /usr/bin/chromium || { apt-get update && apt-get install -y chromium; }

clean:
	rm -rf data dbt/target dbt/logs .pytest_cache
