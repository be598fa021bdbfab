"""The dbt project's models (and seeds, snapshots) as assets; its data tests become asset checks."""

import os
import signal
from collections.abc import Iterator

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


@dbt_assets(
    manifest=dbt_project.manifest_path, project=dbt_project, dagster_dbt_translator=TRANSLATOR, pool=WRITER_POOL
)
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator[object]:
    # dbt's artifacts of the latest build, beside the data they describe (not a new folder in dbt/ per run)
    settings = load_settings()
    ensure_claim_files(settings)  # the claims sources read the actions log and the register: they must exist
    target = settings.data_dir / ".dagster" / "dbt_target"
    os.environ.setdefault("PYTHONFAULTHANDLER", "1")  # a crashing dbt leaves its threads' stacks in the log
    build = dbt.cli(BUILD_ARGS, context=context, target_path=target, raise_on_error=False)
    yield from build.stream()
    code = build.process.wait()
    if code < 0 and -code in CRASH_SIGNALS and context.retry_number == 0:  # a second crash fails the step
        raise dg.RetryRequested(max_retries=1) from RuntimeError(
            f"dbt crashed ({signal.Signals(-code).name}); building again from the start")
    error = build.get_error()
    if error is not None:
        raise error
