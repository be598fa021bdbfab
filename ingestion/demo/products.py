"""The demo seller's products, and Amazon-looking identifiers."""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from ..catalog import Marketplace
from .rates import Dimensions, RateCard, money

UPPER = string.ascii_uppercase + string.digits
ID_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"  # no I or O, as in shipment and tracking ids
# Rough exchange rates from the US price list to each currency.
FX = {"USD": "1", "CAD": "1.36", "MXN": "17", "BRL": "5", "GBP": "0.79", "EUR": "0.92", "SEK": "10.5",
      "PLN": "4", "JPY": "150", "AUD": "1.5"}
NOUNS = ("Cutting Board", "Water Bottle", "Yoga Mat", "Face Serum", "Phone Stand", "Puzzle Cube", "Tea Kettle",
         "Hair Brush", "USB Hub", "Camping Lantern", "Spice Rack", "Building Blocks")
ADJECTIVES = ("Crème", "Café", "Über", "Naïve", "Señor", "Fjörd")


class Ids:
    """Unique identifiers in Amazon's shapes, drawn from the simulation's random stream."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def make(self, prefix: str, length: int, alphabet: str = string.digits) -> str:
        while True:
            value = prefix + "".join(self.rng.choices(alphabet, k=length))
            if value not in self.used:
                self.used.add(value)
                return value

    def amazon_order_id(self, region: str) -> str:
        first = {"NA": "11", "EU": "30", "FE": "50"}.get(region, "11")
        while True:
            value = (f"{first}{self.rng.randrange(10)}-{self.rng.randrange(10**7):07d}-"
                     f"{self.rng.randrange(10**7):07d}")
            if value not in self.used:
                self.used.add(value)
                return value


@dataclass
class Product:
    sku: str
    fnsku: str
    asin: str
    title: str
    category: str
    dims: Dimensions  # the true dimensions: what Amazon measures today
    price: Decimal
    costs: list[tuple[date, Decimal]]  # (effective_date, unit cost), ascending
    demand: float  # mean orders per day
    remeasured_on: date | None = None  # before this day Amazon used `old_dims` (the re-measure look-alike)
    old_dims: Dimensions | None = None

    def cost_at(self, day: date) -> Decimal:
        current = self.costs[0][1]
        for effective, cost in self.costs:
            if effective <= day:
                current = cost
        return current

    def dims_at(self, day: date) -> Dimensions:
        if self.remeasured_on is not None and self.old_dims is not None and day < self.remeasured_on:
            return self.old_dims
        return self.dims


def make_products(rng: random.Random, ids: Ids, place: Marketplace, rates: RateCard, count: int,
                  start: date, days: int, fnsku_by_sku: dict[str, str], asin_by_sku: dict[str, str],
                  seller_id: str) -> list[Product]:
    """`count` products for one marketplace. FNSKU and ASIN are shared within the seller (per region for FNSKU)
    through the two dicts passed in; prices and costs are in the marketplace's currency."""
    fx = Decimal(FX[place.currency_code])
    products = []
    for i in range(count):
        sku = f"{seller_id}-{i + 1:04d}"
        if sku not in fnsku_by_sku:
            fnsku_by_sku[sku] = ids.make("X00", 7, UPPER)
        if sku not in asin_by_sku:
            asin_by_sku[sku] = ids.make("B0", 8, UPPER)
        fnsku, asin = fnsku_by_sku[sku], asin_by_sku[sku]
        longest = Decimal(rng.randrange(150, 420)) / 10
        median = min(longest, Decimal(rng.randrange(80, 300)) / 10)
        shortest = min(median, Decimal(rng.randrange(8, 150)) / 10)
        dims = Dimensions(longest, median, shortest, Decimal(rng.randrange(90, 2600)))
        name = f"{NOUNS[i % len(NOUNS)]} {i + 1}"
        if place.encoding == "cp932":  # every title holds a character outside ASCII the encoding can write
            title = f"{name} 【限定】"
        else:
            title = f"{ADJECTIVES[i % len(ADJECTIVES)]} {name} – Édition"
        usd = Decimal(rng.randrange(1299, 8999)) / 100
        price = money(usd * fx)
        cost = money(price * Decimal(rng.randrange(22, 38)) / 100)
        costs = [(start - timedelta(days=30), cost)]
        if i % 6 == 5:  # a cost change part-way through: valuation must use the cost in force on the day
            costs.append((start + timedelta(days=days // 2), money(cost * Decimal("1.1"))))
        products.append(Product(
            sku=sku, fnsku=fnsku, asin=asin, title=title, category=rates.categories[i % len(rates.categories)],
            dims=dims, price=price, costs=costs, demand=0.4 + rng.random() * 1.4,
        ))
    for product in products:
        rates.tier(product.dims, start)  # fail early if a product fits no tier
    return products
