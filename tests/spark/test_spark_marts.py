"""make test-spark (and make test): every mart of the demo seller is the same on Spark as on DuckDB."""

import pytest

pytest.importorskip("pyspark", reason="the spark dependency group is not installed: uv sync --group spark")

from tests.spark.marts import build_and_compare  # noqa: E402


@pytest.mark.spark
@pytest.mark.timeout(3600)
def test_every_mart_is_identical_on_duckdb_and_spark(tmp_path, capsys) -> None:
    comparisons, text = build_and_compare(tmp_path)
    with capsys.disabled():  # the row counts compared, in every run's output
        print("\n" + text)
    assert comparisons, "DuckDB built no marts"
    different = [c.name for c in comparisons if not c.identical]
    assert different == [], f"marts differ between DuckDB and Spark: {different}\n{text}"
