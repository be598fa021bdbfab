"""Resources, named by role, and the pool every writer of the lake or the warehouse runs in."""

from __future__ import annotations

import sys
from pathlib import Path

from dagster_dbt import DbtCliResource

from .project import dbt_project

# DuckDB allows one writing process: the instance config (dagster.yaml) limits every pool to one slot.
WRITER_POOL = "duckdb"

# The dbt next to this interpreter, so it runs whether or not the venv is on PATH.
DBT_EXECUTABLE = str(Path(sys.executable).with_name("dbt"))

RESOURCES = {"dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)}
