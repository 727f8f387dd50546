"""Calendar arithmetic the rules need (terms in years, fiscal-year deadlines)."""

from __future__ import annotations

import calendar
import datetime
from decimal import ROUND_HALF_UP, Decimal


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, clamped to the month's end (Jan 31 + 1 month = Feb 28/29)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def term_limit(start: datetime.date, years: Decimal) -> datetime.date:
    """Last day of a term of `years` from `start`: 2024-01-01 + 3 years -> 2026-12-31."""
    months = int((years * 12).to_integral_value(rounding=ROUND_HALF_UP))
    return add_months(start, months) - datetime.timedelta(days=1)
