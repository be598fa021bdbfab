"""One seller's FBA business in one marketplace, simulated day by day.

Everything Amazon and the customers do is an event posted on a day; events scheduled past the last day simply
never happen. The primitives here (order, refund, customer_return, reimburse, adjust, inbound, removal ...)
write the report rows; `faults.py` uses the same primitives to inject what goes wrong."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from ..catalog import Marketplace
from .ledger import Ledger
from .products import ID_CHARS, Ids, Product
from .rates import MICRO, RateCard, money
from .truth import TruthRow

FULFILLMENT_CENTERS = {"US": ("PHX7", "ONT8", "SBD1"), "CA": ("YYZ4", "YVR2"), "UK": ("LTN4", "MAN1"),
                       "DE": ("FRA7", "LEJ1", "MUC3"), "FR": ("ORY1", "LYS1"), "IT": ("MXP5", "FCO1"),
                       "ES": ("MAD4", "BCN1"), "JP": ("NRT1", "KIX2")}
MARKETPLACE_NAMES = {"US": "Amazon.com", "CA": "Amazon.ca", "UK": "Amazon.co.uk", "DE": "Amazon.de",
                     "FR": "Amazon.fr", "IT": "Amazon.it", "ES": "Amazon.es", "JP": "Amazon.co.jp"}
SETTLEMENT_REIMBURSEMENT = {"Lost_Warehouse": "WAREHOUSE_LOST", "Damaged_Warehouse": "WAREHOUSE_DAMAGE",
                            "Lost_Inbound": "INBOUND_LOST", "Damaged_Inbound": "INBOUND_DAMAGE",
                            "CustomerReturn": "CUSTOMER_RETURN", "Reimbursement_Reversal": "REVERSAL_REIMBURSEMENT"}
RETURN_REASONS = ("UNWANTED_ITEM", "DEFECTIVE", "NOT_AS_DESCRIBED", "FOUND_BETTER_PRICE", "ORDERED_WRONG_ITEM")


@dataclass
class Order:
    order_id: str
    day: int
    product: Product
    quantity: int
    unit_price: Decimal
    commission: Decimal  # charged, positive
    fulfillment_fee: Decimal  # charged, positive
    order_item_code: str
    fulfillment_center: str
    refunded: Decimal = Decimal("0")

    @property
    def principal(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass
class InboundShipment:
    shipment_id: str
    name: str
    fulfillment_center: str
    created_day: int
    lines: list[tuple[Product, int]]  # (product, quantity shipped)
    receipts: list[tuple[int, str, int]] = field(default_factory=list)  # (day, fnsku, units) as received
    first_receipt_day: int | None = None
    closed_day: int | None = None

    def status(self, day: int) -> str:
        if self.closed_day is not None and self.closed_day <= day:
            return "CLOSED"
        if self.first_receipt_day is not None and self.first_receipt_day <= day:
            return "RECEIVING"
        return "SHIPPED"

    def received(self, fnsku: str, day: int) -> int:
        return sum(units for d, f, units in self.receipts if f == fnsku and d <= day)


OrderHook = Callable[[Order], None]


class Business:
    def __init__(self, seller_id: str, place: Marketplace, rates: RateCard, products: list[Product],
                 rng: random.Random, ids: Ids, start: date, days: int) -> None:
        self.seller_id = seller_id
        self.place = place
        self.rates = rates
        self.products = products
        self.rng = rng
        self.ids = ids
        self.start = start
        self.days = days
        self.centers = FULFILLMENT_CENTERS.get(place.code, (f"{place.code}X1", f"{place.code}X2"))
        self.ledger = Ledger(place.country_codes[0], start, days)
        self.rows: dict[str, list[dict[str, Any]]] = {
            name: [] for name in ("reimbursements", "customer_returns", "replacements", "removal_orders",
                                  "removal_shipments", "settlements", "financial_events", "storage_fees")}
        self.shipments: list[InboundShipment] = []
        self.truth: list[TruthRow] = []
        self.reserved: dict[str, int] = {}
        self.snapshots: dict[int, tuple[dict[tuple[str, str], int], dict[str, int]]] = {}
        self.snapshot_days = {days - 1, days - 31}
        self.storage_errors: dict[tuple[str, str], str] = {}  # (YYYY-MM, fnsku) -> "volume" | "quantity"
        self._schedule: dict[int, list[Callable[[], None]]] = {}
        self._hooks: dict[str, list[tuple[int, OrderHook]]] = {}
        self._in_transit: dict[str, int] = {}
        zone = ZoneInfo(place.timezone)
        offsets = {int(datetime(start.year, m, 15, tzinfo=zone).utcoffset().total_seconds() // 3600) for m in (1, 7)}
        # UTC hours at which the local calendar date equals the UTC date all year: dates agree in every report.
        self._hours = [h for h in range(24) if all(0 <= h + o <= 23 for o in offsets)][1:-1]

    # --- time and scheduling -------------------------------------------------------------------------
    def day_of(self, day: int) -> date:
        return self.start + timedelta(days=day)

    def when(self, day: int) -> datetime:
        """A time on `day` (UTC) whose local date is the same day."""
        moment = time(self.rng.choice(self._hours), self.rng.randrange(60), self.rng.randrange(60))
        return datetime.combine(self.day_of(day), moment, tzinfo=UTC)

    def at(self, day: int, action: Callable[[], None]) -> None:
        if day < self.days:
            self._schedule.setdefault(day, []).append(action)

    def on_next_order(self, product: Product, from_day: int, hook: OrderHook) -> None:
        """Call `hook` with the first order of `product` placed on or after `from_day`."""
        self._hooks.setdefault(product.fnsku, []).append((from_day, hook))

    def record(self, claim_type: str, reference_id: str, product: Product, quantity: int | None,
               amount: Decimal, day: int) -> None:
        self.truth.append(TruthRow(self.seller_id, self.place.marketplace_id, claim_type, reference_id,
                                   product.fnsku, quantity, money(amount), self.day_of(day)))

    def available(self, product: Product) -> int:
        return self.ledger.balance(product.fnsku) - self.reserved.get(product.fnsku, 0)

    # --- the day loop --------------------------------------------------------------------------------
    def run(self) -> None:
        self._opening_stock()
        for day in range(self.days):
            for action in self._schedule.pop(day, []):
                action()
            self._replenish(day)
            for product in self.products:
                for _ in range(self._poisson(product.demand)):
                    if self.available(product) >= 1:
                        self.order(day, product)
            if day % 23 == 11:
                self._transfer(day)
            if day in self.snapshot_days:
                self.snapshots[day] = (dict(self.ledger.stock), dict(self.reserved))

    def _poisson(self, mean: float) -> int:
        limit, count, product = pow(2.718281828459045, -mean), 0, self.rng.random()
        while product > limit:
            count += 1
            product *= self.rng.random()
        return count

    def _opening_stock(self) -> None:
        shipment = self.inbound(-9, [(p, max(20, round(p.demand * 70))) for p in self.products], arrive_day=0)
        shipment.name = f"FBA STA ({self.day_of(-9):%m/%d/%Y}) opening stock"

    def _replenish(self, day: int) -> None:
        low = [p for p in self.products
               if self.available(p) + self._in_transit.get(p.fnsku, 0) < p.demand * 25]
        if low:
            self.inbound(day, [(p, max(10, round(p.demand * 60))) for p in low])

    def _transfer(self, day: int) -> None:
        """Two units moved between FCs as two identical rows each way: identical rows can both be real."""
        product = self.products[day % len(self.products)]
        if self.available(product) < 2:
            return
        reference, at = self.ids.make("", 11), self.when(day)
        source, target = self.centers[0], self.centers[-1]
        for center, sign in ((source, -1), (source, -1), (target, 1), (target, 1)):
            self.ledger.post(day, at, product, "WhseTransfers", reference, sign, center, "SELLABLE")

    # --- money ---------------------------------------------------------------------------------------
    def settle(self, day: int, at: datetime, transaction_type: str, amount_type: str, description: str,
               amount: Decimal, *, order: Order | None = None, sku: str | None = None,
               quantity: int | None = None, adjustment_id: str | None = None) -> None:
        self.rows["settlements"].append({
            "transaction_type": transaction_type, "order_id": order.order_id if order else None,
            "adjustment_id": adjustment_id, "shipment_id": None,
            "marketplace_name": MARKETPLACE_NAMES.get(self.place.code, f"Amazon.{self.place.code.lower()}"),
            "amount_type": amount_type, "amount_description": description, "amount": amount,
            "fulfillment_id": "AFN" if order else None, "posted_date": self.day_of(day), "posted_at": at,
            "order_item_code": order.order_item_code if order else None,
            "sku": order.product.sku if order else sku, "quantity_purchased": quantity,
        })

    def finance(self, event_type: str, at: datetime, category: str, amount_type: str, amount: Decimal, *,
                order: Order | None = None, product: Product | None = None, quantity: int | None = None,
                adjustment_item_id: str | None = None, description: str | None = None) -> None:
        product = order.product if order else product
        self.rows["financial_events"].append({
            "event_type": event_type, "posted_at": at, "amazon_order_id": order.order_id if order else None,
            "seller_order_id": None,
            "marketplace_name": MARKETPLACE_NAMES.get(self.place.code, f"Amazon.{self.place.code.lower()}"),
            "sku": product.sku if product else None, "fnsku": None if order or not product else product.fnsku,
            "asin": product.asin if product else None,
            "order_item_id": order.order_item_code if order else None,
            "order_adjustment_item_id": adjustment_item_id, "quantity": quantity, "amount_category": category,
            "amount_type": amount_type, "amount": amount, "currency_code": self.place.currency_code,
            "description": description,
        })

    # --- customers -----------------------------------------------------------------------------------
    def order(self, day: int, product: Product) -> Order:
        today = self.day_of(day)
        tier = self.rates.tier(product.dims_at(today), today)
        order = Order(
            order_id=self.ids.amazon_order_id(self.place.region), day=day, product=product, quantity=1,
            unit_price=product.price, commission=self.rates.referral_fee(product.category, product.price, 1, today),
            fulfillment_fee=tier.fee, order_item_code=self.ids.make("", 14),
            fulfillment_center=self.rng.choice(self.centers),
        )
        hooks = self._hooks.get(product.fnsku, [])
        due = next((h for h in hooks if h[0] <= day), None)
        if due is not None:
            hooks.remove(due)
            due[1](order)
        else:
            self._normal_fate(order)
        at = self.when(day)
        self.ledger.post(day, at, product, "Shipments", self.ids.make("D", 8, ID_CHARS),
                         -order.quantity, order.fulfillment_center, "SELLABLE")
        for amount_type, description, amount in (("ItemPrice", "Principal", order.principal),
                                                 ("ItemFees", "Commission", -order.commission),
                                                 ("ItemFees", "FBAPerUnitFulfillmentFee", -order.fulfillment_fee)):
            self.settle(day, at, "Order", amount_type, description, amount, order=order, quantity=order.quantity)
            self.finance("ShipmentEvent", at, "charge" if amount_type == "ItemPrice" else "fee", description,
                         amount, order=order, quantity=order.quantity)
        return order

    def _normal_fate(self, order: Order) -> None:
        draw = self.rng.random()
        if draw < 0.04:  # returned, refunded when the return is scanned
            back = order.day + self.rng.randrange(4, 21)
            disposition = self.rng.choice(("SELLABLE", "SELLABLE", "SELLABLE", "CUSTOMER_DAMAGED", "DEFECTIVE"))
            self.at(back, lambda: self.customer_return(back, order, disposition))
            self.at(back, lambda: self.refund(back, order))
        elif draw < 0.045:  # replacement sent, original returned later
            sent = order.day + self.rng.randrange(2, 6)
            back = sent + self.rng.randrange(5, 21)
            if back < self.days:
                def replace() -> None:
                    if self.available(order.product) >= 1:
                        self.replacement(sent, order, self.rng.choice(("2", "3", "4")))
                        self.at(back, lambda: self.customer_return(back, order, "SELLABLE"))
                self.at(sent, replace)

    def refund(self, day: int, order: Order, *, credit: Decimal | None = None,
               administration_fee: Decimal | None = None) -> Decimal:
        """A full refund: principal back to the customer, the commission credited back less the refund
        administration fee (defaults are the correct amounts). Returns the refunded principal."""
        today = self.day_of(day)
        correct_fee = self.rates.refund_administration_fee(order.product.category, order.commission, today)
        credit = order.commission if credit is None else credit
        administration_fee = correct_fee if administration_fee is None else administration_fee
        at = self.when(day)
        adjustment_item = self.ids.make("", 14)
        for amount_type, description, amount in (("ItemPrice", "Principal", -order.principal),
                                                 ("ItemFees", "Commission", credit),
                                                 ("ItemFees", "RefundCommission", -administration_fee)):
            self.settle(day, at, "Refund", amount_type, description, amount, order=order, quantity=order.quantity)
            self.finance("RefundEvent", at, "charge" if amount_type == "ItemPrice" else "fee", description,
                         amount, order=order, quantity=order.quantity, adjustment_item_id=adjustment_item)
        order.refunded = order.principal
        return order.principal

    def customer_return(self, day: int, order: Order, disposition: str, *, restock: bool = True,
                        ledger_disposition: str | None = None, reason: str | None = None) -> None:
        """The returns report row and (if restocked) the ledger CustomerReturns row, Reference ID = order id."""
        at = self.when(day)
        center = self.rng.choice(self.centers)
        self.rows["customer_returns"].append({
            "returned_at": at, "order_id": order.order_id, "sku": order.product.sku, "asin": order.product.asin,
            "fnsku": order.product.fnsku, "product_name": order.product.title, "quantity": 1,
            "fulfillment_center_id": center, "detailed_disposition": disposition,
            "reason": reason or self.rng.choice(RETURN_REASONS), "status": "Unit returned to inventory",
            "license_plate_number": self.ids.make("LPN", 9, ID_CHARS),
        })
        if restock:
            self.ledger.post(day, at, order.product, "CustomerReturns", order.order_id, 1, center,
                             ledger_disposition or disposition)

    def replacement(self, day: int, order: Order, reason_code: str) -> None:
        at = self.when(day)
        center = self.rng.choice(self.centers)
        self.ledger.post(day, at, order.product, "Shipments", self.ids.make("D", 8, ID_CHARS), -1, center,
                         "SELLABLE")
        self.rows["replacements"].append({
            "shipped_at": at, "sku": order.product.sku, "asin": order.product.asin, "fulfillment_center_id": center,
            "original_fulfillment_center_id": order.fulfillment_center, "quantity": 1,
            "replacement_reason_code": reason_code,
            "replacement_amazon_order_id": self.ids.amazon_order_id(self.place.region),
            "original_amazon_order_id": order.order_id,
        })

    # --- Amazon's adjustments and reimbursements ----------------------------------------------------
    def adjust(self, day: int, product: Product, reason: str, quantity: int, disposition: str = "SELLABLE",
               reference_id: str | None = None) -> dict[str, Any]:
        return self.ledger.post(day, self.when(day), product, "Adjustments", reference_id or self.ids.make("", 11),
                                quantity, self.rng.choice(self.centers), disposition, reason)

    def reimburse(self, day: int, product: Product, reason: str, per_unit: Decimal, *, cash: int = 0,
                  inventory: int = 0, order_id: str | None = None, case: bool = False,
                  original: dict[str, Any] | None = None) -> dict[str, Any]:
        at = self.when(day)
        total = money(per_unit * cash)
        row = {
            "approved_at": at, "reimbursement_id": self.ids.make("", 10),
            "case_id": self.ids.make("", 11) if case else None, "amazon_order_id": order_id, "reason": reason,
            "sku": product.sku, "fnsku": product.fnsku, "asin": product.asin, "product_name": product.title,
            "condition": "New", "currency_code": self.place.currency_code, "amount_per_unit": per_unit,
            "amount_total": total, "quantity_reimbursed_cash": cash, "quantity_reimbursed_inventory": inventory,
            "quantity_reimbursed_total": cash + inventory,
            "original_reimbursement_id": original["reimbursement_id"] if original else None,
            "original_reimbursement_type": "Cash" if original else None,
        }
        self.rows["reimbursements"].append(row)
        if total:
            self.settle(day, at, "other-transaction", "FBA Inventory Reimbursement",
                        SETTLEMENT_REIMBURSEMENT.get(reason, reason.upper()), total, sku=product.sku,
                        quantity=cash, adjustment_id=row["reimbursement_id"])
            self.finance("AdjustmentEvent", at, "adjustment", "FBAInventoryReimbursement", total, product=product,
                         quantity=cash, description=reason)
        if inventory:
            self.adjust(day, product, "N", inventory)
        return row

    # --- inbound -------------------------------------------------------------------------------------
    def inbound(self, day: int, lines: list[tuple[Product, int]], *, arrive_day: int | None = None,
                short: int = 0, damaged: int = 0,
                on_close: Callable[[InboundShipment], None] | None = None) -> InboundShipment:
        """An inbound shipment. The first line may arrive `short` units short (never received) and with
        `damaged` units received as CARRIER_DAMAGED."""
        center = self.rng.choice(self.centers)
        shipment = InboundShipment(self.ids.make("FBA15", 7, ID_CHARS),
                                   f"FBA STA ({self.day_of(day):%m/%d/%Y}) {center}", center, day, lines)
        self.shipments.append(shipment)
        arrive = arrive_day if arrive_day is not None else day + self.rng.randrange(6, 11)
        spread = self.rng.randrange(1, 4)
        for index, (product, quantity) in enumerate(lines):
            self._in_transit[product.fnsku] = self._in_transit.get(product.fnsku, 0) + quantity
            good = quantity - (short + damaged if index == 0 else 0)
            parts = [good // spread + (1 if i < good % spread else 0) for i in range(spread)]
            for offset, units in enumerate(parts):
                if units:
                    self.at(arrive + offset, self._receipt(arrive + offset, shipment, product, units, "SELLABLE"))
            if index == 0 and damaged:
                self.at(arrive, self._receipt(arrive, shipment, product, damaged, "CARRIER_DAMAGED"))
            if index == 0 and short:
                self.at(arrive + spread, lambda p=product: self._lose_in_transit(p, short))

        def close() -> None:
            shipment.closed_day = arrive + spread + 2
            if on_close is not None:
                on_close(shipment)
        self.at(arrive + spread + 2, close)
        return shipment

    def _receipt(self, day: int, shipment: InboundShipment, product: Product, units: int,
                 disposition: str) -> Callable[[], None]:
        def receive() -> None:
            if shipment.first_receipt_day is None:
                shipment.first_receipt_day = day
            shipment.receipts.append((day, product.fnsku, units))
            self._in_transit[product.fnsku] -= units
            self.ledger.post(day, self.when(day), product, "Receipts", shipment.shipment_id, units,
                             shipment.fulfillment_center, disposition)
        return receive

    def _lose_in_transit(self, product: Product, units: int) -> None:
        self._in_transit[product.fnsku] -= units

    # --- removals ------------------------------------------------------------------------------------
    def removal(self, day: int, product: Product, order_type: str, quantity: int, *, disposition: str = "SELLABLE",
                ship_after: int = 4, lost_units: int = 0, lost_from_order: bool = False) -> dict[str, Any]:
        """A removal order. Return: units reserved now and shipped after `ship_after` days, all leaving the
        ledger (VendorReturns). `lost_units` go missing: missing from the shipment report (a parcel without
        a row), or with `lost_from_order` missing from the order's shipped-quantity too.
        Disposal: units destroyed after `ship_after` days (ledger Adjustments D)."""
        requested_at = self.when(day)
        row = {
            "requested_at": requested_at,
            "removal_order_id": self.ids.make("", 10, ID_CHARS),
            "order_type": order_type, "order_status": "Pending", "last_updated_at": requested_at,
            "sku": product.sku, "fnsku": product.fnsku,
            "disposition": "Sellable" if disposition == "SELLABLE" else "Unsellable", "requested_quantity": quantity,
            "cancelled_quantity": 0, "disposed_quantity": 0, "shipped_quantity": 0, "in_process_quantity": quantity,
            "removal_fee_amount": money(Decimal("0.97") * quantity), "currency_code": self.place.currency_code,
        }
        self.rows["removal_orders"].append(row)
        reserve = quantity if disposition == "SELLABLE" else 0  # held back from sale until it leaves
        self.reserved[product.fnsku] = self.reserved.get(product.fnsku, 0) + reserve
        done = day + ship_after

        def complete() -> None:
            at = self.when(done)
            self.reserved[product.fnsku] -= reserve
            row.update(order_status="Completed", last_updated_at=at, in_process_quantity=0)
            center = self.rng.choice(self.centers)
            if order_type == "Disposal":
                self.ledger.post(done, at, product, "Adjustments", self.ids.make("", 11), -quantity, center,
                                 disposition, "D")
                row["disposed_quantity"] = quantity
                return
            self.ledger.post(done, at, product, "VendorReturns", row["removal_order_id"], -quantity, center,
                             disposition)
            shipped = quantity - lost_units if lost_from_order else quantity
            reported = quantity - lost_units
            parcels = [reported - reported // 2, reported // 2] if reported > 1 else [reported]
            for units in parcels:
                self.rows["removal_shipments"].append({
                    "requested_at": requested_at, "removal_order_id": row["removal_order_id"], "shipped_at": at,
                    "sku": product.sku, "fnsku": product.fnsku, "disposition": row["disposition"],
                    "shipped_quantity": units, "carrier": "UPS",
                    "tracking_number": self.ids.make("1Z", 16, ID_CHARS),
                    "removal_order_type": order_type,
                })
            row["shipped_quantity"] = shipped
        self.at(done, complete)
        return row

    # --- what the period ends with: storage charges, snapshots, the costs file ----------------------
    def charge_storage(self, as_of: date) -> None:
        """Storage fees per FNSKU for every whole month of the period whose charge Amazon has published
        (7 days after the month ends) by `as_of`. Faults in `storage_errors` inflate the volume or quantity."""
        totals = self.ledger.daily_totals()
        month = self.start if self.start.day == 1 else (self.start.replace(day=28) + timedelta(days=4)).replace(day=1)
        while True:
            following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
            month_end = following - timedelta(days=1)
            if month_end + timedelta(days=7) > as_of or month_end > self.day_of(self.days - 1):
                return
            first, last = (month - self.start).days, (month_end - self.start).days
            charged_total = Decimal("0")
            for product in self.products:
                daily = totals.get(product.fnsku, [0] * self.days)[first:last + 1]
                average = money(Decimal(sum(daily)) / len(daily))
                if not average:
                    continue
                charged_total += self._storage_row(product, month, month_end, average, last)
            posted = last + 7
            if charged_total and posted < self.days:
                at = self.when(posted)
                self.settle(posted, at, "other-transaction", "other-transaction", "Storage Fee", -charged_total)
            month = following

    def _storage_row(self, product: Product, month: date, month_end: date, average: Decimal, last: int) -> Decimal:
        key = (f"{month:%Y-%m}", product.fnsku)
        dims = product.dims_at(month_end)
        tier = self.rates.tier(dims, month_end)
        rate = self.rates.storage_rate(tier.storage_size_class, month)
        correct = self.rates.storage_fee(average, self.rates.unit_volume(dims), rate)
        error = self.storage_errors.get(key)
        if error == "volume":  # Amazon's row shows a longest side half as long again
            dims = replace(dims, longest_cm=dims.longest_cm * Decimal("1.5"))
        shown_average = money(average * Decimal("1.3")) if error == "quantity" else average
        volume = self.rates.unit_volume(dims)
        charged = self.rates.storage_fee(shown_average, volume, rate)
        if error:
            self.record("storage_fee_overcharge", key[0], product, None, charged - correct, last)
        self.rows["storage_fees"].append({
            "asin": product.asin, "fnsku": product.fnsku, "product_name": product.title,
            "fulfillment_center": self.centers[0], "country_code": self.ledger.country,
            "longest_side": dims.longest_cm, "median_side": dims.median_cm, "shortest_side": dims.shortest_cm,
            "measurement_units": "centimeters", "weight": dims.weight_g, "weight_units": "grams",
            "item_volume": volume, "volume_units": self.rates.volume_unit, "product_size_tier": tier.name,
            "average_quantity_on_hand": shown_average, "average_quantity_pending_removal": Decimal("0"),
            "estimated_total_item_volume": (shown_average * volume).quantize(MICRO),
            "month_of_charge": key[0], "storage_rate": rate, "currency_code": self.place.currency_code,
            "estimated_monthly_storage_fee": charged, "dangerous_goods_storage_type": "--",
            "eligible_for_inventory_discount": "N", "qualifies_for_inventory_discount": "N",
            "total_incentive_fee_amount": Decimal("0"), "breakdown_incentive_fee_amount": None,
            "average_quantity_customer_orders": Decimal("0"),
        })
        return charged

    def inventory_rows(self, day: int) -> list[dict[str, Any]]:
        """The MYI snapshot as of the end of `day`: quantities equal the ledger balances of that day."""
        stock, reserved = self.snapshots[day]
        unsellable: dict[str, int] = {}
        for (fnsku, disposition), quantity in stock.items():
            if disposition != "SELLABLE":
                unsellable[fnsku] = unsellable.get(fnsku, 0) + quantity
        shipped: dict[str, int] = {}
        receiving: dict[str, int] = {}
        for shipment in self.shipments:
            status = shipment.status(day)
            if shipment.created_day > day or status == "CLOSED":
                continue
            for line, quantity in shipment.lines:
                bucket = shipped if status == "SHIPPED" else receiving
                bucket[line.fnsku] = bucket.get(line.fnsku, 0) + quantity - shipment.received(line.fnsku, day)
        rows = []
        for product in self.products:
            sellable = stock.get((product.fnsku, "SELLABLE"), 0)
            held = reserved.get(product.fnsku, 0)
            other = unsellable.get(product.fnsku, 0)
            inbound = shipped.get(product.fnsku, 0), receiving.get(product.fnsku, 0)
            rows.append({
                "sku": product.sku, "fnsku": product.fnsku, "asin": product.asin, "product_name": product.title,
                "condition": "New", "your_price": product.price, "mfn_listing_exists": "No",
                "mfn_fulfillable_quantity": None, "afn_listing_exists": "Yes",
                "afn_warehouse_quantity": sellable + other, "afn_fulfillable_quantity": sellable - held,
                "afn_unsellable_quantity": other, "afn_reserved_quantity": held,
                "afn_total_quantity": sellable + other + sum(inbound),
                "per_unit_volume": self.rates.unit_volume(product.dims), "afn_inbound_working_quantity": 0,
                "afn_inbound_shipped_quantity": inbound[0], "afn_inbound_receiving_quantity": inbound[1],
            })
        return rows

    def fee_preview_rows(self) -> list[dict[str, Any]]:
        """Amazon's current measurements (the true dimensions) and the fees the rate card gives for them."""
        today = self.day_of(self.days - 1)
        rows = []
        for product in self.products:
            dims = product.dims_at(today)
            tier = self.rates.tier(dims, today)
            referral = self.rates.referral_fee(product.category, product.price, 1, today)
            rows.append({
                "sku": product.sku, "fnsku": product.fnsku, "asin": product.asin, "product_name": product.title,
                "product_group": product.category, "brand": "Demo Brand", "fulfilled_by": "Amazon",
                "your_price": product.price, "sales_price": product.price, "longest_side": dims.longest_cm,
                "median_side": dims.median_cm, "shortest_side": dims.shortest_cm,
                "length_and_girth": dims.length_and_girth_cm, "unit_of_dimension": "centimeters",
                "item_package_weight": dims.weight_g, "unit_of_weight": "grams", "product_size_tier": tier.name,
                "currency_code": self.place.currency_code, "estimated_fee_total": referral + tier.fee,
                "estimated_referral_fee_per_unit": referral, "estimated_variable_closing_fee": Decimal("0"),
                "expected_fulfillment_fee_per_unit": tier.fee,
            })
        return rows

    def inbound_rows(self, first: int, last: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Shipments (and their lines) open at any time in days [first, last], as they stood on `last`."""
        shipments, items = [], []
        for shipment in self.shipments:
            if shipment.created_day > last or (shipment.closed_day is not None and shipment.closed_day < first):
                continue
            shipments.append({
                "shipment_id": shipment.shipment_id, "shipment_name": shipment.name,
                "destination_fulfillment_center_id": shipment.fulfillment_center,
                "shipment_status": shipment.status(last), "label_prep_type": "SELLER_LABEL",
                "are_cases_required": "false", "box_contents_source": "FEED",
            })
            for product, quantity in shipment.lines:
                items.append({
                    "shipment_id": shipment.shipment_id, "sku": product.sku, "fnsku": product.fnsku,
                    "quantity_shipped": quantity, "quantity_received": shipment.received(product.fnsku, last),
                    "quantity_in_case": 0,
                })
        return shipments, items

    def cost_rows(self) -> list[dict[str, Any]]:
        last = self.day_of(self.days - 1)
        return [{"sku": p.sku, "unit_cost_amount": cost, "currency_code": self.place.currency_code,
                 "effective_date": effective}
                for p in self.products for effective, cost in p.costs if effective <= last]
