"""The one rounding rule: money to the cent and ratios to four places, both half up.

A ratio is kept as a fraction to four places (0.8125); shown as a percentage it
has exactly two decimals (81.25%), so display never rounds a second time.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
ONE = Decimal(1)
CENT = Decimal("0.01")
RATIO_PLACES = Decimal("0.0001")


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """A ratio to four places (0.8125 = 81.25%); None when the denominator is zero."""
    if denominator == 0:
        return None
    return (numerator / denominator).quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)


def percent(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{(value * 100).quantize(CENT, rounding=ROUND_HALF_UP)}%"


def money_text(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{cents(value):,.2f}"
