"""What goes wrong on purpose: every claim type, and the look-alikes that must not become claims.

Each fault records its ground-truth row when (and only if) its defining event happens inside the period.
docs/demo-seller.md states each rule; keep the two in step."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .business import Business, InboundShipment, Order
from .products import Product
from .rates import Dimensions, money

FAULT_POSITIONS = (0.12, 0.5, 0.85)  # fractions of the period: expired, claimable, waiting (for most types)
LOOKALIKE_POSITIONS = (0.3, 0.65)


class Picker:
    """Spreads episodes over the products; keeps fee and storage faults off the re-measured product."""

    def __init__(self, products: list[Product]) -> None:
        self.products = products
        self.turn = 0
        self.remeasured: Product | None = None

    def __call__(self, *, fees: bool = False, exclude: tuple[Product, ...] = ()) -> Product:
        while True:
            product = self.products[self.turn % len(self.products)]
            self.turn += 1
            if (fees and product is self.remeasured) or product in exclude:
                continue
            return product


def with_stock(biz: Business, day: int, product: Product, units: int, action: Callable[[int], None]) -> None:
    """Run `action(day)` on the first day from `day` on when `units` sellable units are free."""
    def attempt(today: int) -> None:
        if biz.available(product) >= units:
            action(today)
        else:
            biz.at(today + 1, lambda: attempt(today + 1))
    biz.at(day, lambda: attempt(day))


def customer_wait(biz: Business) -> int:
    """Days Amazon waits for a return before reimbursing a refund (EU 45, elsewhere 60)."""
    return 45 if biz.place.region == "EU" else 60


# --- faults: one function per claim type ---------------------------------------------------------------
def inbound_shortage(biz: Business, pick: Picker, day: int, i: int) -> None:
    product, short = pick(), 2 + i

    def closed(shipment: InboundShipment) -> None:
        last = max(d for d, _, _ in shipment.receipts)
        biz.record("inbound_shortage", shipment.shipment_id, product, short,
                   short * product.cost_at(biz.day_of(last)), last)
    biz.inbound(day, [(product, 40 + 5 * i)], short=short, on_close=closed)


def inbound_damaged(biz: Business, pick: Picker, day: int, i: int) -> None:
    product, damaged = pick(), 1 + i

    def closed(shipment: InboundShipment) -> None:
        last = max(d for d, _, _ in shipment.receipts)
        biz.record("inbound_damaged", shipment.shipment_id, product, damaged,
                   damaged * product.cost_at(biz.day_of(last)), last)
    biz.inbound(day, [(product, 30 + 5 * i)], damaged=damaged, on_close=closed)


def warehouse_lost(biz: Business, pick: Picker, day: int, i: int) -> None:
    product, units = pick(), 1 + i % 2

    def lose(today: int) -> None:
        row = biz.adjust(today, product, "M", -units)
        biz.record("warehouse_lost", row["reference_id"], product, units, units * product.cost_at(row["event_date"]),
                   today)
    with_stock(biz, day, product, units, lose)


def warehouse_damaged(biz: Business, pick: Picker, day: int, i: int) -> None:
    product, units = pick(), 1 + i % 2

    def damage(today: int) -> None:
        row = damage_in_warehouse(biz, today, product, units)
        biz.record("warehouse_damaged", row["reference_id"], product, units,
                   units * product.cost_at(row["event_date"]), today)
    with_stock(biz, day, product, units, damage)


def disposed_without_order(biz: Business, pick: Picker, day: int, i: int) -> None:
    product, units = pick(exclude=(pick.remeasured,) if pick.remeasured else ()), 1 + i % 3

    def dispose(today: int) -> None:
        row = biz.adjust(today, product, "D", -units)
        biz.record("disposed_without_order", row["reference_id"], product, units,
                   units * product.cost_at(row["event_date"]), today)
    with_stock(biz, day, product, units, dispose)


def refund_not_returned(biz: Business, pick: Picker, day: int, i: int) -> None:
    def hook(order: Order) -> None:
        refunded = order.day + 5

        def refund() -> None:
            amount = biz.refund(refunded, order)
            biz.record("refund_not_returned", order.order_id, order.product, order.quantity, amount, refunded)
        biz.at(refunded, refund)
    biz.on_next_order(pick(), day, hook)


def replacement_not_returned(biz: Business, pick: Picker, day: int, i: int) -> None:
    product = pick()

    def hook(order: Order) -> None:
        def replace(today: int) -> None:
            biz.replacement(today, order, ("2", "3")[i % 2])
            biz.record("replacement_not_returned", order.order_id, product, 1, order.unit_price, today)
        with_stock(biz, order.day + 4, product, 2, replace)
    biz.on_next_order(product, day, hook)


def return_not_restocked(biz: Business, pick: Picker, day: int, i: int) -> None:
    def hook(order: Order) -> None:
        back = order.day + 6

        def arrive() -> None:
            biz.customer_return(back, order, "SELLABLE", restock=False)
            amount = biz.refund(back, order)
            biz.record("return_not_restocked", order.order_id, order.product, 1, amount, back)
        biz.at(back, arrive)
    biz.on_next_order(pick(), day, hook)


def return_amazon_damaged(biz: Business, pick: Picker, day: int, i: int) -> None:
    disposition, ledger, reason = (("DAMAGED", "WAREHOUSE_DAMAGED", "DAMAGED_BY_FC"),
                                   ("CARRIER_DAMAGED", "CARRIER_DAMAGED", "DAMAGED_BY_CARRIER"))[i % 2]

    def hook(order: Order) -> None:
        back = order.day + 6

        def arrive() -> None:
            biz.customer_return(back, order, disposition, ledger_disposition=ledger, reason=reason)
            amount = biz.refund(back, order)
            biz.record("return_amazon_damaged", order.order_id, order.product, 1, amount, back)
        biz.at(back, arrive)
    biz.on_next_order(pick(), day, hook)


def reimbursement_short(biz: Business, pick: Picker, day: int, i: int) -> None:
    product = pick()
    if i % 2 == 0:  # before order: a loss reimbursed below the seller's unit cost
        units = 2

        def lose(today: int) -> None:
            row = biz.adjust(today, product, "M", -units)
            cost = product.cost_at(row["event_date"])
            paid = money(cost * Decimal("0.6"))

            def pay() -> None:
                reimbursement = biz.reimburse(today + 6, product, "Lost_Warehouse", paid, cash=units)
                biz.ledger.reconcile(row, units)
                biz.record("reimbursement_short", reimbursement["reimbursement_id"], product, None,
                           units * (cost - paid), today + 6)
            biz.at(today + 6, pay)
        with_stock(biz, day, product, units, lose)
        return

    def hook(order: Order) -> None:  # after order: a refund reimbursed below the refunded amount
        refunded = order.day + 5
        paid_day = refunded + customer_wait(biz)

        def pay() -> None:
            paid = money(order.principal * Decimal("0.5"))
            reimbursement = biz.reimburse(paid_day, product, "CustomerReturn", paid, cash=1, order_id=order.order_id)
            biz.record("reimbursement_short", reimbursement["reimbursement_id"], product, None,
                       order.refunded - paid, paid_day)
        biz.at(refunded, lambda: biz.refund(refunded, order))
        biz.at(paid_day, pay)
    biz.on_next_order(product, day, hook)


def reimbursement_reversal(biz: Business, pick: Picker, day: int, i: int) -> None:
    product = pick()

    def lose(today: int) -> None:
        row = biz.adjust(today, product, "M", -1)
        cost = product.cost_at(row["event_date"])
        original: dict[str, Any] = {}

        def pay() -> None:
            original.update(biz.reimburse(today + 5, product, "Lost_Warehouse", cost, cash=1))
            biz.ledger.reconcile(row, 1)

        def claw_back() -> None:
            reversal = biz.reimburse(today + 20, product, "Reimbursement_Reversal", cost, cash=-1, original=original)
            biz.record("reimbursement_reversal", reversal["reimbursement_id"], product, 1, cost, today + 20)
        biz.at(today + 5, pay)
        biz.at(today + 20, claw_back)
    with_stock(biz, day, product, 1, lose)


def removal_lost(biz: Business, pick: Picker, day: int, i: int) -> None:
    product, quantity, lost = pick(), 4 + i % 2, 2
    ship_after = 5

    def request(today: int) -> None:
        row = biz.removal(today, product, "Return", quantity, ship_after=ship_after, lost_units=lost,
                          lost_from_order=i % 2 == 1)
        done = today + ship_after
        biz.at(done, lambda: biz.record("removal_lost", row["removal_order_id"], product, lost,
                                        lost * product.cost_at(biz.day_of(done)), done))
    with_stock(biz, day, product, quantity, request)


def fulfillment_fee_overcharge(biz: Business, pick: Picker, day: int, i: int) -> None:
    product = pick(fees=True)

    def hook(order: Order) -> None:
        today = biz.day_of(order.day)
        correct = order.fulfillment_fee
        charged = biz.rates.next_tier(biz.rates.tier(product.dims_at(today), today), today).fee
        order.fulfillment_fee = charged if charged > correct else correct + Decimal("1.00")
        biz.record("fulfillment_fee_overcharge", order.order_id, product, None,
                   (order.fulfillment_fee - correct) * order.quantity, order.day)
    for _ in range(2):  # two charges in a row: one claim per fee charge
        biz.on_next_order(product, day, hook)


def storage_fee_overcharge(biz: Business, pick: Picker, day: int, i: int) -> None:
    biz.storage_errors[(f"{biz.day_of(day):%Y-%m}", pick(fees=True).fnsku)] = ("volume", "quantity")[i % 2]


def referral_fee_overcharge(biz: Business, pick: Picker, day: int, i: int) -> None:
    product = pick(fees=True)

    def hook(order: Order) -> None:
        today = biz.day_of(order.day)
        correct = order.commission
        wrong_rate = biz.rates.referral_rate(product.category, today) + Decimal("0.07")
        order.commission = biz.rates.referral_fee(product.category, order.unit_price, order.quantity, today,
                                                  rate=wrong_rate)
        biz.record("referral_fee_overcharge", order.order_id, product, None, order.commission - correct, order.day)
    biz.on_next_order(product, day, hook)


def refund_fee_error(biz: Business, pick: Picker, day: int, i: int) -> None:
    def hook(order: Order) -> None:
        back = order.day + 6

        def arrive() -> None:
            correct_fee = biz.rates.refund_administration_fee(order.product.category, order.commission,
                                                              biz.day_of(back))
            if i % 2 == 0:  # administration fee charged on the whole commission instead of 20% of it
                biz.refund(back, order, administration_fee=order.commission)
                error = order.commission - correct_fee
            else:  # commission never credited back
                biz.refund(back, order, credit=Decimal("0.00"))
                error = order.commission
            biz.customer_return(back, order, "SELLABLE")
            biz.record("refund_fee_error", order.order_id, order.product, None, error, back)
        biz.at(back, arrive)
    biz.on_next_order(pick(), day, hook)


# (days a fault needs to play out, function): a fault is only planned if it completes inside the period, so
# a half-played fault never looks like a different claim.
FAULTS: tuple[tuple[int, Callable[[Business, Picker, int, int], None]], ...] = (
    (20, inbound_shortage), (20, inbound_damaged), (5, warehouse_lost), (5, warehouse_damaged),
    (5, disposed_without_order), (15, refund_not_returned), (15, replacement_not_returned),
    (15, return_not_restocked), (15, return_amazon_damaged), (80, reimbursement_short),
    (25, reimbursement_reversal), (10, removal_lost), (10, fulfillment_fee_overcharge),
    (0, storage_fee_overcharge), (10, referral_fee_overcharge), (15, refund_fee_error),
)


def damage_in_warehouse(biz: Business, day: int, product: Product, units: int) -> dict[str, Any]:
    """E (out of sellable) then P (into WAREHOUSE_DAMAGED) under one Reference ID; returns the E row."""
    row = biz.adjust(day, product, "E", -units)
    biz.adjust(day, product, "P", units, "WAREHOUSE_DAMAGED", reference_id=row["reference_id"])
    return row


# --- look-alikes: (days they need to complete, function) ---------------------------------------------------
def partial_reimbursement(biz: Business, pick: Picker, day: int) -> None:
    """IS a claim: three units lost, two reimbursed; the third is owed (warehouse_lost, quantity 1)."""
    product = pick()

    def lose(today: int) -> None:
        row = biz.adjust(today, product, "M", -3)
        cost = product.cost_at(row["event_date"])

        def pay() -> None:
            biz.reimburse(today + 7, product, "Lost_Warehouse", cost, cash=2)
            biz.ledger.reconcile(row, 2)
            biz.record("warehouse_lost", row["reference_id"], product, 1, cost, today)
        biz.at(today + 7, pay)
    with_stock(biz, day, product, 3, lose)


def lost_then_found(biz: Business, pick: Picker, day: int) -> None:
    product = pick()

    def lose(today: int) -> None:
        row = biz.adjust(today, product, "M", -1)

        def find() -> None:
            biz.adjust(today + 10, product, "F", 1)
            biz.ledger.reconcile(row, 1)
        biz.at(today + 10, find)
    with_stock(biz, day, product, 1, lose)


def lost_reimbursed(biz: Business, pick: Picker, day: int) -> None:
    product = pick()

    def lose(today: int) -> None:
        row = biz.adjust(today, product, "M", -2)
        cost = product.cost_at(row["event_date"])

        def pay() -> None:
            biz.reimburse(today + 6, product, "Lost_Warehouse", cost, cash=1, inventory=1)
            biz.ledger.reconcile(row, 2)
        biz.at(today + 6, pay)
    with_stock(biz, day, product, 2, lose)


def reversal_after_found(biz: Business, pick: Picker, day: int) -> None:
    product = pick()

    def lose(today: int) -> None:
        row = biz.adjust(today, product, "M", -1)
        cost = product.cost_at(row["event_date"])
        original: dict[str, Any] = {}

        def pay() -> None:
            original.update(biz.reimburse(today + 5, product, "Lost_Warehouse", cost, cash=1))
            biz.ledger.reconcile(row, 1)
        biz.at(today + 5, pay)
        biz.at(today + 15, lambda: biz.adjust(today + 15, product, "F", 1))
        biz.at(today + 17, lambda: biz.reimburse(today + 17, product, "Reimbursement_Reversal", cost, cash=-1,
                                                 original=original))
    with_stock(biz, day, product, 1, lose)


def damaged_reimbursed(biz: Business, pick: Picker, day: int) -> None:
    product = pick()

    def damage(today: int) -> None:
        row = damage_in_warehouse(biz, today, product, 1)
        cost = product.cost_at(row["event_date"])

        def pay() -> None:
            biz.reimburse(today + 6, product, "Damaged_Warehouse", cost, cash=1)
            biz.ledger.reconcile(row, 1)
            biz.adjust(today + 7, product, "O", -1, "WAREHOUSE_DAMAGED")
        biz.at(today + 6, pay)
        biz.adjust(today, product, "Q", -1)
        biz.adjust(today, product, "P", 1, "DEFECTIVE")
    with_stock(biz, day, product, 2, damage)


def ordered_disposal(biz: Business, pick: Picker, day: int) -> None:
    product = pick()
    with_stock(biz, day, product, 2, lambda today: biz.removal(today, product, "Disposal", 2, ship_after=3))


def removal_late_but_complete(biz: Business, pick: Picker, day: int) -> None:
    product = pick()
    with_stock(biz, day, product, 3, lambda today: biz.removal(today, product, "Return", 3, ship_after=35))


def refund_returned_day_40(biz: Business, pick: Picker, day: int) -> None:
    def hook(order: Order) -> None:
        biz.at(order.day + 3, lambda: biz.refund(order.day + 3, order))
        biz.at(order.day + 43, lambda: biz.customer_return(order.day + 43, order, "SELLABLE"))
    biz.on_next_order(pick(), day, hook)


def refund_reimbursed(biz: Business, pick: Picker, day: int) -> None:
    def hook(order: Order) -> None:
        paid = order.day + 3 + customer_wait(biz)
        biz.at(order.day + 3, lambda: biz.refund(order.day + 3, order))
        biz.at(paid, lambda: biz.reimburse(paid, order.product, "CustomerReturn", order.refunded, cash=1,
                                           order_id=order.order_id))
    biz.on_next_order(pick(), day, hook)


def damaged_return_reimbursed(biz: Business, pick: Picker, day: int) -> None:
    def hook(order: Order) -> None:
        back = order.day + 6

        def arrive() -> None:
            biz.customer_return(back, order, "DAMAGED", ledger_disposition="WAREHOUSE_DAMAGED", reason="DAMAGED_BY_FC")
            biz.refund(back, order)
        biz.at(back, arrive)
        biz.at(back + 10, lambda: biz.reimburse(back + 10, order.product, "CustomerReturn", order.refunded,
                                                cash=1, order_id=order.order_id))
    biz.on_next_order(pick(), day, hook)


def inbound_reimbursed(biz: Business, pick: Picker, day: int) -> None:
    """A shortage and a damaged receipt, both reimbursed by case (Lost_Inbound / Damaged_Inbound)."""
    for kind, reason in (("short", "Lost_Inbound"), ("damaged", "Damaged_Inbound")):
        product = pick()

        def closed(shipment: InboundShipment, product: Product = product, reason: str = reason) -> None:
            paid = shipment.closed_day + 12
            cost = product.cost_at(biz.day_of(shipment.closed_day))
            biz.at(paid, lambda: biz.reimburse(paid, product, reason, cost, cash=2, case=True))
        biz.inbound(day, [(product, 30)], on_close=closed, **{kind: 2})


LOOKALIKES: tuple[tuple[int, Callable[[Business, Picker, int], None]], ...] = (
    (12, partial_reimbursement), (15, lost_then_found), (12, lost_reimbursed), (25, reversal_after_found),
    (12, damaged_reimbursed), (8, ordered_disposal), (40, removal_late_but_complete),
    (50, refund_returned_day_40), (75, refund_reimbursed), (25, damaged_return_reimbursed),
    (40, inbound_reimbursed),
)


def remeasure(biz: Business, product: Product, day: int) -> None:
    """Amazon used smaller dimensions (a cheaper tier) until `day`, then re-measured correctly: every charge
    matches the rate card for the dimensions in force, and the fee preview shows the correct ones."""
    today = biz.day_of(0)
    tier = biz.rates.tier(product.dims, today)
    smaller = [t for t in biz.rates.tiers(today) if t.rank < tier.rank]
    if not smaller:
        return
    scale = Decimal("0.6")
    product.old_dims = Dimensions(*(money(v * scale) for v in (product.dims.longest_cm, product.dims.median_cm,
                                                               product.dims.shortest_cm, product.dims.weight_g)))
    product.remeasured_on = biz.day_of(day)


def inject(biz: Business, pick: Picker) -> None:
    """Plan every fault and look-alike of one marketplace onto the business's calendar."""
    days = biz.days
    candidates = [p for p in biz.products if biz.rates.tier(p.dims, biz.start).rank > 1]
    if candidates:
        pick.remeasured = candidates[0]
        remeasure(biz, candidates[0], days // 2)
    for index, (span, fault) in enumerate(FAULTS):
        for i, position in enumerate(FAULT_POSITIONS):
            day = int(days * position) + index % 5
            if day + span < days:
                fault(biz, pick, day, i)
    for position in LOOKALIKE_POSITIONS:
        for span, lookalike in LOOKALIKES:
            day = min(int(days * position), days - span - 5)
            if day >= 0:
                lookalike(biz, pick, day)
