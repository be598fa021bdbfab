"""The Dagster assets that publish the warehouse and build the dashboards (no browser, no npm)."""

import duckdb
import pytest

from dagster_project.assets import reports


def test_publishing_copies_the_warehouse_and_replaces_the_previous_copy(settings):
    settings.data_dir.mkdir(parents=True)
    for rows in (1, 3):
        with duckdb.connect(str(settings.warehouse_path)) as con:
            con.execute(f"create or replace table t as select * from range({rows})")
        published = reports.publish_warehouse(settings)
        with duckdb.connect(str(published), read_only=True) as con:
            assert con.execute("select count(*) from t").fetchone() == (rows,)
    assert published == settings.data_dir / "published" / "warehouse.duckdb"
    assert [p.name for p in published.parent.iterdir()] == ["warehouse.duckdb"]  # no temp file left


def test_building_without_node_packages_says_how_to_install_them(tmp_path, monkeypatch):
    monkeypatch.setattr(reports, "REPORTS_DIR", tmp_path)
    with pytest.raises(RuntimeError, match="make dashboards-install"):
        reports.build_dashboards(tmp_path / "warehouse.duckdb")


def test_the_site_is_built_after_the_warehouse_is_published_after_dbt():
    from dagster_project.assets.transform import dbt_models

    published, site = reports.published_warehouse, reports.dashboards
    assert site.asset_deps[site.key] == {published.key}
    assert set(dbt_models.keys) <= published.asset_deps[published.key]
    assert published.op.pool == "duckdb"
