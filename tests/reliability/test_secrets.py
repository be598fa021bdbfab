"""Secrets and data protection after a demo run through the SP-API emulator with known fake credentials.

Covered elsewhere, not repeated here: the SP-API client's own logs and error paths (throttling, FATAL, torn
downloads) leak nothing: tests/sp_api/test_secrets_and_resume.py; a PII column is dropped by the parser:
tests/ingestion/test_parse.py::test_pii_column_is_dropped; claim packets hold no PII column:
tests/queue/test_packets.py; the emulator refuses a non-loopback host: tests/emulator/test_server.py::
test_the_server_binds_loopback_only.
"""

import gzip
import json
import stat
from pathlib import Path

import duckdb
import pytest

from dagster_project.project import REPO_ROOT
from ingestion.catalog import REPORTS

# A presigned download URL's signature, and the access tokens the emulator issues.
SIGNATURES = ("X-Amz-Signature", "Signature=", "demo-access-")


def readable_text(path: Path) -> str:
    """A file's content as text: Parquet and DuckDB files decoded through DuckDB, gzip decompressed."""
    if path.suffix == ".parquet":
        text = duckdb.sql(f"select string_agg(t::text, ' ') from read_parquet('{path}') t").fetchone()[0]
        return text or ""
    if path.suffix == ".duckdb":
        with duckdb.connect(str(path), read_only=True) as con:
            tables = con.execute("select schema_name, table_name from duckdb_tables()").fetchall()
            return " ".join(con.execute(f'select string_agg(t::text, \' \') from "{s}"."{t}" t').fetchone()[0]
                            or "" for s, t in tables)
    data = path.read_bytes()
    return (gzip.decompress(data) if path.suffix == ".gz" else data).decode("latin-1")


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


@pytest.mark.slow
def test_no_credential_or_signature_in_any_file_log_or_output(secret_demo):
    files = files_under(secret_demo.data)
    texts = {f"output of fbaudit {args}": out for args, out in secret_demo.outputs.items()}
    texts |= {str(f): readable_text(f) for f in files}
    kinds = {f.suffix for f in files}
    assert {".parquet", ".gz", ".jsonl", ".duckdb"} <= kinds, kinds  # lake, landing, ledger, warehouse
    assert any(".dagster" in f.parts for f in files)  # Dagster's run storage and the run's log
    forbidden = [*secret_demo.secrets.values(), *SIGNATURES]
    leaks = [f"{secret!r} in {where}" for where, text in texts.items() for secret in forbidden
             if secret in text]
    assert leaks == []
    assert "landed" in texts[str(secret_demo.data / ".dagster" / "last-run.log")]  # the scan reads real text


@pytest.mark.slow
def test_no_credential_in_the_dashboards_site(secret_demo):
    if secret_demo.site is None:
        pytest.skip("the dashboards' Node packages are not installed (make dashboards-install)")
    files = files_under(secret_demo.site)
    assert any(f.suffix == ".parquet" for f in files), "the site has no data files"  # Evidence's static/data
    # DuckDB-WASM's own S3 signer carries the literal text "Signature=" in its worker scripts: look for the
    # presigned-URL parameter and the access tokens instead
    forbidden = [*secret_demo.secrets.values(), *(s for s in SIGNATURES if s != "Signature=")]
    leaks = [f"{secret!r} in {f}" for f in files for secret in forbidden if secret in readable_text(f)]
    assert leaks == []


@pytest.mark.slow
def test_every_file_and_folder_fbaudit_writes_is_its_owners_only(secret_demo):
    paths = [secret_demo.data, *secret_demo.data.rglob("*")]
    shared = [f"{oct(stat.S_IMODE(p.lstat().st_mode))} {p}" for p in paths
              if not p.is_symlink() and p.lstat().st_mode & 0o077]
    assert shared == []
    assert (secret_demo.data / "warehouse.duckdb").stat().st_mode & 0o777 == 0o600
    assert (secret_demo.data / "lake").stat().st_mode & 0o777 == 0o700


@pytest.mark.slow
def test_the_lake_and_the_warehouse_hold_no_buyer_personal_data_column(secret_demo):
    personal = {c.name for spec in REPORTS for c in spec.columns if c.pii}
    assert personal  # the catalog declares some
    lake_columns = {name for (name,) in duckdb.sql(
        f"select distinct name from parquet_schema('{secret_demo.data}/lake/**/*.parquet')").fetchall()}
    with duckdb.connect(str(secret_demo.data / "warehouse.duckdb"), read_only=True) as con:
        columns = con.execute("select column_name from duckdb_columns()").fetchall()
    warehouse_columns = {name for (name,) in columns}
    assert "sku" in lake_columns and "sku" in warehouse_columns
    assert personal & (lake_columns | warehouse_columns) == set()


def test_the_dagster_ui_and_the_dashboards_preview_bind_loopback_only():
    """Read from the Makefile, README and reports/package.json (starting `dagster dev` takes minutes): every
    command that serves something names 127.0.0.1, none 0.0.0.0."""
    texts = {name: (REPO_ROOT / name).read_text(encoding="utf-8") for name in ("Makefile", "README.md")}
    makefile = texts["Makefile"].replace("\\\n", " ").splitlines()  # continuation lines joined
    (dagster_dev,) = [line for line in makefile if "dagster dev" in line]
    assert "-h 127.0.0.1" in dagster_dev
    scripts = json.loads((REPO_ROOT / "reports" / "package.json").read_text(encoding="utf-8"))["scripts"]
    assert "--host 127.0.0.1" in scripts["preview"] and "--host 127.0.0.1" in scripts["dev"]
    servers = [line for text in texts.values() for line in text.splitlines()
               if "http.server" in line or "npm run preview" in line or "dagster dev" in line]
    assert servers
    for line in servers:
        assert "0.0.0.0" not in line and "--host" not in line and "-h 0" not in line, line
        if "http.server" in line:
            assert "--bind 127.0.0.1" in line, line
