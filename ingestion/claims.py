"""The claim vocabulary of CONTRACT.md, in its order: what the marts, the demo's ground truth and the
benchmarks speak of."""

CLAIM_TYPES: tuple[str, ...] = (
    "inbound_shortage", "inbound_damaged", "warehouse_lost", "warehouse_damaged", "disposed_without_order",
    "refund_not_returned", "replacement_not_returned", "return_not_restocked", "return_amazon_damaged",
    "reimbursement_short", "reimbursement_reversal", "removal_lost", "fulfillment_fee_overcharge",
    "storage_fee_overcharge", "referral_fee_overcharge", "refund_fee_error",
)
