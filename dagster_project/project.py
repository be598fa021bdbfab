"""The dbt project Dagster runs. Kept alone in this module: importing it needs no manifest."""

from __future__ import annotations

from pathlib import Path

from dagster_dbt import DbtProject

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_DIR = REPO_ROOT / "dbt"
# The pipeline's dbt command: models, seeds and data tests. dbt unit tests check SQL logic on fixtures: they
# belong in `make test`, not in scheduled builds.
BUILD_ARGS = ["build", "--exclude-resource-type", "unit_test"]

dbt_project = DbtProject(project_dir=DBT_DIR, profiles_dir=DBT_DIR)
dbt_project.prepare_if_dev()  # re-parses only under `dagster dev`
