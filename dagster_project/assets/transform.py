"""The dbt project's models (and seeds, snapshots) as assets; its data tests become asset checks."""

import hashlib
import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from ingestion.queue.log import ensure_claim_files
from ingestion.settings import load_settings

from ..project import BUILD_ARGS, dbt_project
from ..resources import WRITER_POOL

# dbt tests on the `lake` sources show as checks on the lake assets, which another step materialises.
TRANSLATOR = DagsterDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_source_tests_as_checks=True))
# A dbt process killed by one of these crashed (dbt died of SIGSEGV once in CI, before writing its results, over
# hundreds of clean builds): every table is rebuilt from the lake anyway, so the build is run once more. Not
# SIGKILL (the OOM killer, a user) nor SIGINT/SIGTERM (a stop): those would only happen again, or were asked for.
CRASH_SIGNALS = frozenset({signal.SIGSEGV, signal.SIGBUS, signal.SIGABRT, signal.SIGILL, signal.SIGFPE})
# Beside dbt's artifacts: the code the incremental tables were last built with (incremental_code).
INCREMENTAL_CODE = "incremental-code.sha256"


def incremental_code(manifest_path: Path) -> str:
    """A digest of what the incremental models' rows depend on besides the lake: their SQL, the seeds they read,
    the project's macros and dbt's version. Rows an incremental build keeps were made by the code of an earlier
    build, so when this changes every table is built again in full."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    nodes = manifest["nodes"]
    incremental = [uid for uid, node in nodes.items() if node["config"].get("materialized") == "incremental"]
    read = {uid for model in incremental for uid in [model, *nodes[model]["depends_on"]["nodes"]] if uid in nodes}
    macros = sorted((uid, macro) for uid, macro in manifest["macros"].items()
                    if macro["package_name"] == manifest["metadata"]["project_name"])
    parts = [manifest["metadata"]["dbt_version"],
             *(f"{uid} {nodes[uid]['checksum']['checksum']}" for uid in sorted(read)),
             *(f"{uid} {macro['macro_sql']}" for uid, macro in macros)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


class DbtBuildConfig(dg.Config):
    full_refresh: bool = False  # build every table in full, the incremental ones too (fbaudit run --full-refresh)


@dbt_assets(
    manifest=dbt_project.manifest_path, project=dbt_project, dagster_dbt_translator=TRANSLATOR, pool=WRITER_POOL
)
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, config: DbtBuildConfig) -> Iterator[object]:
    # dbt's artifacts of the latest build, beside the data they describe (not a new folder in dbt/ per run)
    settings = load_settings()
    ensure_claim_files(settings)  # the claims sources read the actions log and the register: they must exist
    target = settings.data_dir / ".dagster" / "dbt_target"
    os.environ.setdefault("PYTHONFAULTHANDLER", "1")  # a crashing dbt leaves its threads' stacks in the log
    code_file, code = target / INCREMENTAL_CODE, incremental_code(dbt_project.manifest_path)
    changed = not code_file.exists() or code_file.read_text(encoding="utf-8") != code
    full = config.full_refresh or changed
    if full:
        context.log.info("building every table in full: " + (
            "as asked" if config.full_refresh else "the dbt project changed since the last build (or none finished)"))
    build = dbt.cli([*BUILD_ARGS, "--full-refresh"] if full else BUILD_ARGS, context=context, target_path=target,
                    raise_on_error=False)
    yield from build.stream()
    exit_code = build.process.wait()
    if exit_code < 0 and -exit_code in CRASH_SIGNALS and context.retry_number == 0:  # a 2nd crash fails the step
        raise dg.RetryRequested(max_retries=1) from RuntimeError(
            f"dbt crashed ({signal.Signals(-exit_code).name}); building again from the start")
    error = build.get_error()
    if error is not None:
        raise error
    code_file.write_text(code, encoding="utf-8")
