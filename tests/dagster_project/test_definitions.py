"""The code location: asset keys follow the catalog and the dbt manifest, checks, pools, automation."""

import json

import dagster as dg
import yaml

from dagster_project.assets.lake import NO_QUARANTINED_FILES, lake_key, lake_tables
from dagster_project.assets.sp_api import PULLED, sp_api_key
from dagster_project.assets.transform import incremental_code
from dagster_project.cli import INSTANCE_CONFIG
from dagster_project.project import dbt_project
from ingestion.catalog import REPORTS
from ingestion.lake import DOCUMENTS, QUARANTINE

DBT_ASSET_TYPES = {"model", "seed", "snapshot"}


def manifest() -> dict:
    return json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))


def test_asset_keys_are_the_catalog_reports_and_the_dbt_nodes(defs):
    keys = defs.resolve_asset_graph().get_all_asset_keys()
    lake = {k for k in keys if k.path[0] == "lake"}
    assert lake == {lake_key(spec.name) for spec in REPORTS} | {lake_key(DOCUMENTS), lake_key(QUARANTINE)}
    dbt_nodes = {n["name"] for n in manifest()["nodes"].values() if n["resource_type"] in DBT_ASSET_TYPES}
    assert dbt_nodes, "the manifest declares no models"
    reports = {k for k in keys if k.path[0] == "reports"}
    assert reports == {dg.AssetKey(["reports", "published_warehouse"]), dg.AssetKey(["reports", "dashboards"])}
    pulled = {k for k in keys if k.path[0] == "sp_api"}
    assert pulled == {sp_api_key(spec.name) for spec in PULLED}
    queue = {k for k in keys if k.path[0] == "claim_queue"}
    assert queue == {dg.AssetKey(["claim_queue", "register"]), dg.AssetKey(["claim_queue", "packets"])}
    claim_files = {dg.AssetKey([s["source_name"], s["name"]]) for s in manifest()["sources"].values()
                   if s["source_name"] != "lake"}
    assert claim_files == {dg.AssetKey(["claims", "actions"]), dg.AssetKey(["claims", "register"])}
    assert sorted(k.path[-1] for k in keys - lake - reports - pulled - queue - claim_files) == sorted(dbt_nodes)


def test_each_pulled_report_reads_sp_api_then_lake_then_staging(defs):
    graph = defs.resolve_asset_graph()
    for spec in PULLED:
        assert graph.get(lake_key(spec.name)).parent_keys == {sp_api_key(spec.name)}
        assert graph.get(sp_api_key(spec.name)).partitions_def is not None
    dg.Definitions.validate_loadable(defs)


def test_every_lake_source_of_dbt_is_a_lake_asset_upstream_of_its_models(defs):
    graph = defs.resolve_asset_graph()
    sources = [s for s in manifest()["sources"].values() if s["source_name"] == "lake"]
    assert {lake_key(s["name"]) for s in sources} == {k for k in graph.get_all_asset_keys() if k.path[0] == "lake"}
    for source in sources:
        downstream = graph.get(lake_key(source["name"])).child_keys
        assert downstream, f"no dbt model reads lake.{source['name']}"


def test_dbt_data_tests_are_asset_checks(defs):
    checks = {k.name for k in defs.resolve_asset_graph().asset_check_keys}
    # A test on one model, seed or source, or a singular test naming the model it checks in its dagster meta.
    data_tests = {
        n["name"] for n in manifest()["nodes"].values()
        if n["resource_type"] == "test" and (n.get("attached_node") or len(n["depends_on"]["nodes"]) == 1
                                             or n["config"]["meta"].get("dagster", {}).get("ref"))
    }
    assert "assert_inventory_reconciliation_balances_with_ledger_summary" in data_tests
    assert data_tests, "the manifest declares no data tests"
    assert data_tests <= checks
    assert dg.AssetCheckKey(lake_key(QUARANTINE), NO_QUARANTINED_FILES) in defs.resolve_asset_graph().asset_check_keys


def test_the_lake_and_dbt_steps_write_in_the_single_writer_pool(defs):
    from dagster_project.assets.transform import dbt_models  # needs the manifest the fixture made

    assert {lake_tables, dbt_models} <= set(defs.assets)
    assert lake_tables.op.pool == dbt_models.op.pool == "duckdb"


def test_instance_config_limits_every_pool_to_one_writer(tmp_path, monkeypatch):
    (tmp_path / "dagster.yaml").write_text(INSTANCE_CONFIG.read_text())
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    assert yaml.safe_load(INSTANCE_CONFIG.read_text())["concurrency"]["pools"]["default_limit"] == 1
    with dg.DagsterInstance.get() as instance:
        assert instance.get_concurrency_config().pool_config.default_pool_limit == 1


def test_daily_job_selects_every_executable_asset_and_runs_at_six_utc(defs):
    job = defs.resolve_job_def("daily_refresh_job")
    assert job.asset_layer.selected_asset_keys == set(defs.resolve_asset_graph().executable_asset_keys)
    schedule = defs.resolve_schedule_def("daily_refresh_schedule")
    assert (schedule.job_name, schedule.cron_schedule, schedule.execution_timezone) == (
        "daily_refresh_job", "0 6 * * *", "UTC"
    )
    assert defs.resolve_sensor_def("inbox_sensor").job_name == "daily_refresh_job"


def test_the_incremental_code_digest_changes_with_what_incremental_rows_were_made_by(tmp_path):
    base = manifest()
    path = tmp_path / "manifest.json"

    def digest_after(change) -> str:
        edited = json.loads(json.dumps(base))
        change(edited)
        path.write_text(json.dumps(edited), encoding="utf-8")
        return incremental_code(path)

    def checksum(uid: str):
        def change(m: dict) -> None:
            m["nodes"][uid]["checksum"]["checksum"] = "0" * 64
        return change

    def macro(m: dict) -> None:
        m["macros"]["macro.fbaudit.latest_document_rows"]["macro_sql"] += "\n"

    def dbt_version(m: dict) -> None:
        m["metadata"]["dbt_version"] = "9.9.9"

    unchanged = digest_after(lambda m: None)
    assert base["nodes"]["model.fbaudit.stg_lake__ledger_detail"]["config"]["materialized"] == "incremental"
    for change in (checksum("model.fbaudit.stg_lake__ledger_detail"), checksum("seed.fbaudit.marketplaces"),
                   macro, dbt_version):
        assert digest_after(change) != unchanged
    # a table model is rebuilt in full by every build: its code does not outlive a build
    assert digest_after(checksum("model.fbaudit.fct_claim_opportunities")) == unchanged
