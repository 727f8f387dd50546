"""`report funds`: hand-computed statements, and the totals tie to beanquery's own balances."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import beanquery
import pytest

from hzledger.reports.funds import FundStatement, funds_report
from hzledger.reports.source import ReportLedger, load_ledger

D = Decimal


def by_code(statements: list[FundStatement]) -> dict[str, FundStatement]:
    return {s.code: s for s in statements}


def income(s: FundStatement, kind: str) -> Decimal:
    return next(k.amount for k in s.income if k.kind == kind)


def expense(s: FundStatement, kind: str) -> Decimal:
    return next(k.amount for c in s.expenses for k in c.kinds if k.kind == kind)


def category(s: FundStatement, number: int) -> Decimal:
    return next(c.amount for c in s.expenses if c.category == number)


def test_funds_2024_by_hand(small_loaded: ReportLedger, ctx_for) -> None:
    report = funds_report(ctx_for(small_loaded, 2024))
    funds = by_code(report.funds)
    assert list(funds) == ["ZH", "P24", "Q"]  # general funds first, then projects

    zh = funds["ZH"]
    assert zh.opening == D("0")
    assert income(zh, "subsidy") == D("50000.00")
    assert zh.income_total == D("50000.00")
    assert expense(zh, "payroll") == D("30000.00")
    assert expense(zh, "office") == D("4000.00")
    assert category(zh, 3) == D("34000.00")
    assert zh.equity_movement == D("100000.00")  # the opening entry falls inside 2024
    assert zh.closing == D("116000.00")
    assert zh.difference == 0

    p24 = funds["P24"]
    assert income(p24, "dues") == D("36500.00")
    assert income(p24, "interest") == D("100.00")
    assert p24.income_total == D("36600.00")
    assert category(p24, 1) == D("9900.00")  # 6000 + 2400 + 1500
    assert category(p24, 2) == D("500.00")
    assert category(p24, 3) == D("1000.00")
    assert p24.expenses_total == D("11400.00")
    assert p24.closing == D("25200.00")

    q = funds["Q"]
    assert (q.income_total, q.expenses_total, q.closing) == (
        D("12000.00"),
        D("3100.00"),
        D("8900.00"),
    )

    total = report.total
    assert total.opening == 0
    assert total.income_total == D("98600.00")
    assert total.expenses_total == D("48500.00")
    assert total.equity_movement == D("100000.00")
    assert total.closing == D("150100.00")
    # Every art. 24 source is listed, even at zero, in the spec's order.
    assert [k.kind for k in total.income][:6] == [
        "dues",
        "donation",
        "subsidy",
        "service",
        "interest",
        "other",
    ]


def test_funds_2025_opens_where_2024_closed(small_loaded: ReportLedger, ctx_for) -> None:
    report = funds_report(ctx_for(small_loaded, 2025, fund="P24"))
    assert [s.code for s in report.funds] == ["P24"]
    p24 = report.funds[0]
    assert p24.opening == D("25200.00")
    assert p24.income_total == 0
    assert p24.expenses_total == D("5000.00")
    assert p24.closing == D("20200.00")
    assert report.total.closing == p24.closing


def test_default_period_is_year_of_last_transaction(small_loaded: ReportLedger, ctx_for) -> None:
    ctx = ctx_for(small_loaded)
    assert (ctx.period.start, ctx.period.end) == (
        datetime.date(2025, 1, 1),
        datetime.date(2025, 12, 31),
    )


def bql_sums(conn: beanquery.Connection, where: str) -> dict[tuple[str, str], Decimal]:
    """Beanquery's own sums at cost, per (root, fund)."""
    cursor = conn.execute(
        "SELECT splitcomp(account, ':', 0) AS root, splitcomp(account, ':', 1) AS fund, "
        f"sum(number(cost(position))) WHERE {where} GROUP BY root, fund"
    )
    return {(root, fund): value for root, fund, value in cursor.fetchall()}


def pick(
    sums: dict[tuple[str, str], Decimal], roots: tuple[str, ...], fund: str | None = None
) -> Decimal:
    return sum((v for (r, f), v in sums.items() if r in roots and fund in (None, f)), D(0))


@pytest.mark.parametrize("which", ["small", "example"])
def test_funds_totals_equal_beanquery_balances(
    which: str, small: Path, example_ledger: Path, ctx_for
) -> None:
    path = small if which == "small" else example_ledger
    ledger = load_ledger(path)
    conn = beanquery.connect("beancount:" + str(path))
    net = ("Assets", "Liabilities")
    for year in (2024, 2025):
        report = funds_report(ctx_for(ledger, year))
        flows = bql_sums(conn, f"date >= {year}-01-01 AND date <= {year}-12-31")
        closing = bql_sums(conn, f"date <= {year}-12-31")
        opening = bql_sums(conn, f"date < {year}-01-01")
        assert report.total.income_total == -pick(flows, ("Income",))
        assert report.total.expenses_total == pick(flows, ("Expenses",))
        assert report.total.closing == pick(closing, net)
        assert report.total.opening == pick(opening, net)
        for s in report.funds:
            assert s.income_total == -pick(flows, ("Income",), s.code)
            assert s.expenses_total == pick(flows, ("Expenses",), s.code)
            assert s.equity_movement == -pick(flows, ("Equity",), s.code)
            assert s.closing == pick(closing, net, s.code)
            assert s.difference == 0


def test_example_2025_statement(example_ledger: Path, ctx_for) -> None:
    funds = by_code(funds_report(ctx_for(load_ledger(example_ledger), 2025)).funds)
    zy = funds["ZY25"]
    # 92,500 of dues arrived in December 2024; 2025 adds 320,000 dues, 20,000 donation, 310 interest.
    assert zy.opening == D("92500.00")
    assert zy.income_total == D("340310.00")
    assert zy.expenses_total == D(
        "110700.00"
    )  # 48,600 + 27,300 benefits, 8,800 relief, 26,000 admin
    assert zy.closing == D("322110.00")


def test_unassigned_accounts_are_shown_not_lost(broken: Path, ctx_for) -> None:
    ledger = load_ledger(broken)
    assert ledger.errors >= 1
    report = funds_report(ctx_for(ledger, 2024))
    codes = [s.code for s in report.funds]
    assert codes == ["B24"]  # Expenses:XX never had a posting: nothing to show
    assert report.total.closing == D("7300.00")
