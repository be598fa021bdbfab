"""The lake step lands the inbox, reports per report, and fails its check on a quarantined file."""

import shutil

import dagster as dg

from dagster_project.assets.lake import NO_QUARANTINED_FILES, lake_key, lake_tables
from ingestion.lake import DOCUMENTS, QUARANTINE


def test_lands_the_inbox_and_reports_a_quarantined_file_without_failing_the_others(reports_dir, data_dir):
    inbox = data_dir / "inbox" / "S1" / "US"
    inbox.mkdir(parents=True)
    shutil.copy(reports_dir / "reimbursements" / "reimbursements_us.tsv", inbox)
    shutil.copy(reports_dir / "bad" / "unknown_header.tsv", inbox)

    result = dg.materialize([lake_tables])

    assert result.success
    metadata = {m.asset_key: m.metadata for m in result.asset_materializations_for_node("land_inbox")}
    reimbursements = metadata[lake_key("reimbursements")]
    assert reimbursements["documents_landed"].value == 1 and reimbursements["rows"].value > 0
    assert metadata[lake_key("inventory")]["documents_landed"].value == 0
    assert metadata[lake_key(DOCUMENTS)]["quarantined"].value == 1
    assert metadata[lake_key(QUARANTINE)]["quarantined"].value == 1
    (check,) = result.get_asset_check_evaluations()
    assert (check.check_name, check.passed, check.severity) == (
        NO_QUARANTINED_FILES, False, dg.AssetCheckSeverity.ERROR
    )
    assert "unknown_header.tsv" in check.metadata["quarantined_files"].value[0]

    again = dg.materialize([lake_tables])
    metadata = {m.asset_key: m.metadata for m in again.asset_materializations_for_node("land_inbox")}
    assert metadata[lake_key("reimbursements")]["duplicates"].value == 1
    assert metadata[lake_key("reimbursements")]["documents_landed"].value == 0
