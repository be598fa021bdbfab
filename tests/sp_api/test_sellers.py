"""The sellers file and credentials from the environment."""

from pathlib import Path

import pytest

from ingestion.sp_api.sellers import SellersFileError, load_sellers

GOOD = """\
sellers:
  - seller_id: S1
    region: EU
    marketplaces: [DE, UK]
    lwa_client_id_env: S1_ID
    lwa_client_secret_env: S1_SECRET
    refresh_token_env: S1_REFRESH
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sellers.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_sellers_and_credentials_from_the_named_variables(tmp_path, monkeypatch):
    (seller,) = load_sellers(write(tmp_path, GOOD))
    assert (seller.seller_id, seller.region, seller.marketplaces, seller.endpoint) == (
        "S1",
        "EU",
        ("DE", "UK"),
        None,
    )
    for name, value in {"S1_ID": "id-1", "S1_SECRET": "secret-1", "S1_REFRESH": "refresh-1"}.items():
        monkeypatch.setenv(name, value)
    assert seller.credentials() == {
        "lwa_app_id": "id-1",
        "lwa_client_secret": "secret-1",
        "refresh_token": "refresh-1",
    }


def test_a_missing_variable_is_named_and_no_value_is_shown(tmp_path, monkeypatch):
    (seller,) = load_sellers(write(tmp_path, GOOD))
    monkeypatch.setenv("S1_ID", "id-value-xyz")
    monkeypatch.delenv("S1_SECRET", raising=False)
    monkeypatch.delenv("S1_REFRESH", raising=False)
    with pytest.raises(SellersFileError) as error:
        seller.credentials()
    assert "S1_SECRET" in str(error.value) and "S1_REFRESH" in str(error.value)
    assert "id-value-xyz" not in str(error.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sellers: [\n  - seller_id: [", "line 2"),
        ("nobody: 1\n", "top-level 'sellers:'"),
        (GOOD.replace("    refresh_token_env: S1_REFRESH\n", ""), "seller #1: missing refresh_token_env"),
        (GOOD.replace("[DE, UK]", "[DE, US]"), "marketplace US is in region NA, not EU"),
        (GOOD.replace("[DE, UK]", "[XX]"), "unknown marketplace 'XX'"),
        (GOOD + "    password: x\n", "unknown key(s) password"),
    ],
)
def test_bad_files_are_named_with_the_problem(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(SellersFileError) as error:
        load_sellers(path)
    assert str(path) in str(error.value) and message in str(error.value)
