"""The dbt files rendered from the catalog are committed; they must match what the catalog renders now."""

from ingestion import dbt_sources


def test_committed_dbt_files_match_the_catalog() -> None:
    stale = [str(path) for path in dbt_sources.stale_files()]
    assert stale == [], f"stale generated files {stale}: run `python -m ingestion.dbt_sources`"


def test_check_names_a_stale_file(tmp_path, monkeypatch, capsys) -> None:
    stale_seed = tmp_path / "marketplaces.csv"
    stale_seed.write_text("code\nUS\n", encoding="utf-8")
    monkeypatch.setattr(dbt_sources, "MARKETPLACES_FILE", stale_seed)
    assert dbt_sources.main(["--check"]) == 1
    assert f"{stale_seed} is stale" in capsys.readouterr().err


def test_lake_tables_read_the_lake_from_the_data_dir() -> None:
    location = dbt_sources.lake_location("reimbursements")
    assert location == (
        "read_parquet('{{ env_var('FBAUDIT_DATA_DIR') }}/lake/report=reimbursements/**/*.parquet', "
        "hive_partitioning=false, union_by_name=true)"
    )
