"""The dbt project's models (and seeds, snapshots) as assets; its data tests become asset checks."""

from collections.abc import Iterator

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from ingestion.queue.log import ensure_claim_files
from ingestion.settings import load_settings

from ..project import BUILD_ARGS, dbt_project
from ..resources import WRITER_POOL

# dbt tests on the `lake` sources show as checks on the lake assets, which another step materialises.
TRANSLATOR = DagsterDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_source_tests_as_checks=True))


@dbt_assets(
    manifest=dbt_project.manifest_path, project=dbt_project, dagster_dbt_translator=TRANSLATOR, pool=WRITER_POOL
)
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator[object]:
    # dbt's artifacts of the latest build, beside the data they describe (not a new folder in dbt/ per run)
    settings = load_settings()
    ensure_claim_files(settings)  # the claims sources read the actions log and the register: they must exist
    target = settings.data_dir / ".dagster" / "dbt_target"
    yield from dbt.cli(BUILD_ARGS, context=context, target_path=target).stream()
