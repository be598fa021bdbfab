"""Working the claim queue after each build: the claims register, the case packets and the day's batch; and
the daily deadline digest (a job of its own on a schedule, so `fbaudit run` never sends anything).

The register and packets read the warehouse itself, read-only, inside the writer pool right after dbt; the
digest reads the published copy, as a person's commands do.

The keys are claim_queue/...: claims/register and claims/actions are the dbt sources over the two files, and
an asset of that key would make dbt depend on the asset that runs after it."""

from collections import Counter

import dagster as dg

from ingestion.queue.digest import DigestNotSent, build_digest, send_digest, write_digest
from ingestion.queue.log import register_new_claims
from ingestion.queue.packets import amount_to_claim, export_day
from ingestion.settings import load_settings

from ..resources import WRITER_POOL
from .transform import dbt_models


@dg.asset(
    key=["claim_queue", "register"],
    deps=[dbt_models],
    group_name="claims",
    kinds={"python"},
    pool=WRITER_POOL,
    description="Claims the build found for the first time, appended to $FBAUDIT_DATA_DIR/claims/register.jsonl.",
)
def claims_register() -> dg.MaterializeResult:
    settings = load_settings()
    added = register_new_claims(settings, settings.warehouse_path)
    return dg.MaterializeResult(metadata={"new claims registered": added})


@dg.asset(
    key=["claim_queue", "packets"],
    deps=[dbt_models, claims_register],
    group_name="claims",
    kinds={"python"},
    pool=WRITER_POOL,
    description="A case packet per claim open for filing, and today's filing batch per seller and marketplace "
                "within the account pace ($FBAUDIT_DATA_DIR/claims/packets, claims/batches/<as_of>).",
)
def claim_packets() -> dg.MaterializeResult:
    settings = load_settings()
    folders, batches = export_day(settings, warehouse=settings.warehouse_path)
    money: Counter[str] = Counter()
    for batch in batches:
        if not batch.review:
            for claim in batch.claims:
                money[str(claim["currency_code"])] += amount_to_claim(claim)
    return dg.MaterializeResult(metadata={
        "packets written": len(folders),
        "batch sizes": {batch.path.name: len(batch.claims) for batch in batches},
        "money in today's batch": {currency: str(amount) for currency, amount in sorted(money.items())},
    })


@dg.op(description="Build the deadline digest from the published warehouse, write it, send it if configured.")
def deadline_digest(context: dg.OpExecutionContext) -> None:
    settings = load_settings()
    warehouse = settings.published_warehouse_path
    if not warehouse.is_file():
        raise dg.Failure(f"no published warehouse at {warehouse}: run `fbaudit run` first")
    digest = build_digest(settings, warehouse)
    path = write_digest(settings, digest)
    context.log.info(f"digest: {len(digest.due)} claim(s) due, {len(digest.gaps)} data gap(s), in {path}")
    try:
        sent = send_digest(digest)
    except (DigestNotSent, ValueError) as error:
        raise dg.Failure(f"{error} (the digest is kept at {path})") from None
    context.log.info(f"digest sent via {', '.join(sent)}" if sent else "no webhook or SMTP configured: not sent")


@dg.job(description="The daily deadline digest: claims due within 7 days and data gaps that may hide claims.")
def deadline_digest_job() -> None:
    deadline_digest()


deadline_digest_schedule = dg.ScheduleDefinition(
    name="deadline_digest_schedule",
    job=deadline_digest_job,
    cron_schedule="0 7 * * *",  # an hour after the 06:00 daily refresh
    execution_timezone="UTC",
)
