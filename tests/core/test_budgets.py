"""hzledger.budgets reads and spreads budgets exactly as Fava does (compared with Fava itself)."""

from __future__ import annotations

import datetime

from beancount import loader
from beancount.core import data
from fava.core import budgets as fava_budgets
from hypothesis import given, settings
from hypothesis import strategies as st

from hzledger import budgets

LEDGER = """
2024-01-01 custom "budget" Expenses:ZH:B办公费 "yearly" 60000.00 CNY
2024-04-01 custom "budget" Expenses:ZH:B办公费 "monthly" 4000.00 CNY
2024-07-15 custom "budget" Expenses:ZH:B办公费 "quarterly" 9000.00 CNY
2024-02-10 custom "budget" Expenses:ZH:G工资 "weekly" 1200.00 CNY
2024-03-03 custom "budget" Expenses:ZH:G工资 "daily" 150.00 CNY
2024-01-01 custom "budget" Expenses:ZH:G工资 "yearly" 1000.00 USD
2024-01-01 custom "budget" Expenses:ZH:X "fortnightly" 10.00 CNY
"""

entries, _errors, _options = loader.load_string(LEDGER)
customs = [e for e in entries if isinstance(e, data.Custom) and e.type == "budget"]
ours = budgets.parse_budgets(customs)
theirs, _ = fava_budgets.parse_budgets(customs)  # type: ignore[arg-type]  # Fava types its own Custom


def test_same_budgets_parsed() -> None:
    assert sorted(ours) == sorted(theirs) == ["Expenses:ZH:B办公费", "Expenses:ZH:G工资"]
    for account, found in ours.items():
        assert [(b.date_start, b.number, b.currency) for b in found] == [
            (b.date_start, b.number, b.currency) for b in theirs[account]
        ]


days = st.dates(min_value=datetime.date(2023, 6, 1), max_value=datetime.date(2026, 6, 1))


@settings(max_examples=60, deadline=None)
@given(days, st.integers(min_value=0, max_value=800), st.sampled_from(sorted(ours)))
def test_same_amounts_over_any_period(start: datetime.date, length: int, account: str) -> None:
    end = start + datetime.timedelta(days=length)
    expected = fava_budgets.calculate_budget(theirs, account, start, end)
    assert budgets.calculate_budget(ours, account, start, end) == dict(expected)


def test_a_leap_year_and_a_whole_year() -> None:
    whole = budgets.calculate_budget(
        ours, "Expenses:ZH:G工资", datetime.date(2024, 1, 1), datetime.date(2025, 1, 1)
    )
    assert round(whole["USD"], 2) == 1000
