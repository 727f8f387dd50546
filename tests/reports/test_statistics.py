"""`report statistics`: members, claims, payout and admin ratios per project."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hzledger.reports.source import ReportLedger, load_ledger
from hzledger.reports.statistics import statistics_report

D = Decimal


def test_statistics_2024_by_hand(small_loaded: ReportLedger, ctx_for) -> None:
    report = statistics_report(ctx_for(small_loaded, 2024))
    rows = {r.code: r for r in report.projects}
    p24 = rows["P24"]
    assert (p24.members, p24.claims) == (
        1000,
        8,
    )  # 5 paid + 3 approved; the reserve entry has no cases
    # Cover basis: P24's 36,500 covers 2024-07-01..2025-06-30 (365 days), 184 of them in 2024.
    assert (p24.dues, p24.benefits, p24.admin, p24.expenses_total) == (
        D("18400.00"),
        D("9900.00"),
        D("1000.00"),
        D("11400.00"),
    )
    assert p24.payout_ratio == D("0.5380")  # 9,900 / 18,400
    assert p24.admin_ratio == D("0.0877")  # 1,000 / 11,400 (管理费用 / all spending)
    assert p24.average_benefit == D("1237.50")  # 9,900 / 8

    q = rows["Q"]
    # Q's 12,000 covers 2024-10-01..2025-09-30 (metadata): 92 of 365 days in 2024.
    assert (q.members, q.claims, q.dues, q.benefits) == (400, 2, D("3024.66"), D("3100.00"))
    assert q.payout_ratio == D("1.0249")
    assert q.average_benefit == D("1550.00")

    total = report.total
    assert (total.members, total.claims) == (1400, 10)
    assert total.dues == D("21424.66") and total.benefits == D("13000.00")
    assert total.payout_ratio == D("0.6068")  # recomputed from sums, not averaged
    assert total.average_benefit == D("1300.00")
    # 管理费用 includes the general fund: ZH 34,000 + P24 1,000 over all spending 48,500.
    assert (total.admin, total.expenses_total, total.admin_ratio) == (
        D("35000.00"),
        D("48500.00"),
        D("0.7216"),
    )


def test_statistics_example_2025(example_ledger: Path, ctx_for) -> None:
    report = statistics_report(ctx_for(load_ledger(example_ledger), 2025))
    rows = {r.code: r for r in report.projects}
    # Cover basis: the 1,850 members paid in December 2024 for 2025 count in 2025.
    assert (rows["ZY25"].members, rows["ZY25"].claims) == (8250, 58)
    assert (rows["YW25"].members, rows["YW25"].claims) == (3100, 9)
    assert rows["ZY25"].benefits == D("75900.00")
    assert report.total.members == 9500 + 1850


def test_only_projects_active_in_the_period(small_loaded: ReportLedger, ctx_for) -> None:
    # 2026: P24's cover ended mid-2025 and nothing moved, Q still covers its members.
    assert [r.code for r in statistics_report(ctx_for(small_loaded, 2026)).projects] == ["Q"]
    # 2025: P24 still paid benefits (5,000, 4 cases), so it is reported.
    rows = {r.code: r for r in statistics_report(ctx_for(small_loaded, 2025)).projects}
    # …against the 18,100 of its dues earned in 2025 (181 of 365 days).
    assert (rows["P24"].claims, rows["P24"].benefits, rows["P24"].payout_ratio) == (
        4,
        D("5000.00"),
        D("0.2762"),
    )


def test_quarters_add_up_to_the_year(small_loaded: ReportLedger, ctx_for) -> None:
    report = statistics_report(ctx_for(small_loaded, 2024))
    labels = [q.label for q in report.by_quarter]
    assert labels == ["2024年第1季度", "2024年第2季度", "2024年第3季度", "2024年第4季度"]
    # Members are person-times covered in each quarter: a year's cover counts in every quarter.
    for attr in ("claims", "dues", "benefits", "admin", "expenses_total"):
        assert sum(getattr(q.total, attr) for q in report.by_quarter) == getattr(
            report.total, attr
        ), attr
    q4 = report.by_quarter[3].total
    # Q's dues and 2 cases in October/November; P24's 3 approved cases (2,400) and reserve (1,500).
    # P24 (92 of its 365 days) and Q (92 days) are both in cover; 9,200.00 + 3,024.66 earned.
    assert (q4.members, q4.claims, q4.dues, q4.benefits) == (1400, 5, D("12224.66"), D("7000.00"))


def test_quarters_clip_to_the_period(small_loaded: ReportLedger, ctx_for) -> None:
    import datetime

    report = statistics_report(
        ctx_for(small_loaded, start=datetime.date(2024, 8, 15), end=datetime.date(2024, 12, 31))
    )
    assert [q.label for q in report.by_quarter] == ["2024-08-15 至 2024-09-30", "2024年第4季度"]
    single = statistics_report(
        ctx_for(small_loaded, start=datetime.date(2024, 10, 1), end=datetime.date(2024, 12, 31))
    )
    assert single.by_quarter == []  # one quarter: the main table says it all
