"""`report budget`: Fava's budgets against actual spending, and the admin share (art. 26)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from hzledger.reports.budget import budget_report
from hzledger.reports.source import ReportLedger

D = Decimal


def test_budget_2024_by_hand(small_loaded: ReportLedger, ctx_for) -> None:
    report = budget_report(ctx_for(small_loaded, 2024))
    lines = {line.kind: line for line in report.lines}
    office, payroll = lines["office"], lines["payroll"]
    assert (office.budget, office.actual, office.remaining) == (
        D("12000.00"),
        D("4000.00"),
        D("8000.00"),
    )
    assert office.execution == D("0.3333")
    assert (payroll.budget, payroll.actual) == (D("60000.00"), D("30000.00"))  # 12 × 5,000 monthly
    assert payroll.execution == D("0.5000")
    assert not office.over and not payroll.over

    zh_admin = next(c for c in report.categories if c.fund == "ZH" and c.category == 3)
    assert (zh_admin.budget, zh_admin.actual) == (D("72000.00"), D("34000.00"))
    total_benefit = next(c for c in report.categories if c.fund is None and c.category == 1)
    # No benefit account has a budget: its spending is listed apart, not "executed".
    assert (total_benefit.budget, total_benefit.actual, total_benefit.execution) == (
        Decimal(0),
        Decimal(0),
        None,
    )
    assert total_benefit.unbudgeted == D("13000.00")  # P24 9,900 + Q 3,100
    total_admin = next(c for c in report.categories if c.fund is None and c.category == 3)
    # Budgeted lines only: ZH's 34,000 against 72,000; P24's unbudgeted admin 1,000 apart.
    assert (total_admin.actual, total_admin.execution, total_admin.unbudgeted) == (
        D("34000.00"),
        D("0.4722"),
        D("1000.00"),
    )

    assert report.expenses_total == D("48500.00")
    assert report.admin_actual == D("35000.00")  # ZH 34,000 + P24 admin 1,000
    assert report.admin_share == D("0.7216")  # 35,000 / 48,500
    assert report.admin_budget == D("72000.00")
    (_, _, share) = report.tables()
    assert [row[0] for row in share.rows] == ["实际（全部基金）"]  # no "100%" budget row


def test_budget_half_year_is_prorated_by_fava(small_loaded: ReportLedger, ctx_for) -> None:
    report = budget_report(
        ctx_for(small_loaded, start=datetime.date(2024, 1, 1), end=datetime.date(2024, 6, 30))
    )
    lines = {line.kind: line for line in report.lines}
    assert lines["payroll"].budget == D("30000.00")  # six whole months of 5,000
    assert lines["office"].budget == D("5967.21")  # 12,000 × 182/366 (2024 is a leap year)
    assert lines["payroll"].execution == D("1.0000")


def test_over_budget_flagged(small_loaded: ReportLedger, ctx_for) -> None:
    report = budget_report(
        ctx_for(small_loaded, start=datetime.date(2024, 1, 1), end=datetime.date(2024, 4, 30))
    )
    payroll = next(line for line in report.lines if line.kind == "payroll")
    assert payroll.budget == D("20000.00") and payroll.actual == D("30000.00")
    assert payroll.over
    (table, _, _) = report.tables()
    assert "flag" in table.styles
