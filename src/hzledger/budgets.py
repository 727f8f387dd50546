"""Fava's budgets (`custom "budget"`), read the way Fava reads them, without Fava.

Supervisors see budgets on Fava's Budget page; HZ-A26 and the budget report must
count them exactly as Fava does. Fava's functions live behind `fava.core`, whose
import pulls in Flask and costs about 0.7 s: too much for every `hzledger check`
and pre-commit run. This module mirrors `fava.core.budgets.parse_budgets` and
`calculate_budget` (day by day, each day adding its interval's amount divided by
the interval's length), and `tests/core/test_budgets.py` compares the two on the
same directives so they cannot drift apart.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import NamedTuple

from beancount.core import data
from beancount.core.amount import Amount


class Interval(NamedTuple):
    """A budget period; only its length around a given day matters."""

    name: str

    def number_of_days(self, day: datetime.date) -> int:
        if self.name == "day":
            return 1
        if self.name == "week":
            return 7
        if self.name == "month":
            return calendar.monthrange(day.year, day.month)[1]
        if self.name == "quarter":
            first = 3 * ((day.month - 1) // 3) + 1
            return sum(calendar.monthrange(day.year, m)[1] for m in range(first, first + 3))
        return 366 if calendar.isleap(day.year) else 365


INTERVALS: dict[str, Interval] = {
    word: Interval(name)
    for name in ("year", "quarter", "month", "week", "day")
    for word in (name, {"day": "daily"}.get(name, name + "ly"))
}


class Budget(NamedTuple):
    """One `custom "budget"` entry as Fava reads it: an amount per period from a date."""

    account: str
    date_start: datetime.date
    period: Interval
    number: Decimal
    currency: str


BudgetDict = dict[str, list[Budget]]


def parse_budgets(entries: Iterable[data.Custom]) -> BudgetDict:
    """Budgets by account, in date order; malformed ones are skipped (Fava reports them)."""
    budgets: BudgetDict = defaultdict(list)
    for entry in entries:
        if entry.type != "budget":
            continue
        values = entry.values or []
        if len(values) < 3:
            continue
        interval = INTERVALS.get(str(values[1].value).lower())
        amount = values[2].value
        if interval is None or not isinstance(amount, Amount) or amount.number is None:
            continue
        account = str(values[0].value)
        budgets[account].append(
            Budget(account, entry.date, interval, amount.number, amount.currency)
        )
    return dict(budgets)


def _matching(budgets: Sequence[Budget], day: datetime.date) -> Mapping[str, Budget]:
    last: dict[str, Budget] = {}
    for budget in budgets:
        if budget.date_start <= day:
            last[budget.currency] = budget
        else:
            break
    return last


def calculate_budget(
    budgets: Mapping[str, Sequence[Budget]],
    account: str,
    date_from: datetime.date,
    date_to: datetime.date,
) -> dict[str, Decimal]:
    """Budget per currency for `account` over [date_from, date_to), as Fava computes it."""
    found = budgets.get(account)
    if not found:
        return {}
    totals: dict[str, Decimal] = defaultdict(Decimal)
    day = date_from
    one = datetime.timedelta(days=1)
    while day < date_to:
        for budget in _matching(found, day).values():
            totals[budget.currency] += budget.number / budget.period.number_of_days(day)
        day += one
    return dict(totals)
