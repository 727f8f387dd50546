"""`report solvency`: the pro-rata unearned-dues reserve, hand-computed across a year end."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from hzledger.reports.solvency import solvency_report, unearned
from hzledger.reports.source import ReportLedger, load_ledger

D = Decimal
day = datetime.date


def test_unearned_across_year_end() -> None:
    # Cover 2024-07-01..2025-06-30 is 365 days; after 2024-12-31, 181 days (Jan–Jun 2025) remain.
    assert unearned(D("36500.00"), day(2024, 7, 1), day(2025, 6, 30), day(2024, 12, 31)) == (
        365,
        181,
        D("18100.00"),
    )
    # Before the cover starts nothing is earned; after it ends nothing is owed.
    assert unearned(D("36500.00"), day(2024, 7, 1), day(2025, 6, 30), day(2024, 6, 20))[2] == D(
        "36500.00"
    )
    assert unearned(D("36500.00"), day(2024, 7, 1), day(2025, 6, 30), day(2025, 6, 30))[2] == 0


@given(
    amount=st.decimals(min_value=0, max_value=10_000_000, places=2),
    length=st.integers(min_value=1, max_value=1200),
    offset=st.integers(min_value=-400, max_value=1600),
)
def test_unearned_stays_between_zero_and_amount(amount: Decimal, length: int, offset: int) -> None:
    start = day(2024, 1, 1)
    end = start + datetime.timedelta(days=length - 1)
    total, left, reserve = unearned(amount, start, end, start + datetime.timedelta(days=offset))
    assert total == length
    assert 0 <= left <= total
    assert 0 <= reserve <= amount


def test_solvency_2024_by_hand(small_loaded: ReportLedger, ctx_for) -> None:
    report = solvency_report(ctx_for(small_loaded, 2024))
    assert report.as_of == day(2024, 12, 31)
    projects = {p.code: p for p in report.projects}
    assert list(projects) == ["P24", "Q"]  # the general fund ZH is not a project

    p24 = projects["P24"]
    assert p24.available_total == D("30100.00")  # bank 20,100 + bonds at cost 10,000
    assert p24.other_liabilities == D("1000.00")  # payable only
    assert p24.net_available == D("29100.00")
    assert p24.unearned_reserve == D("18100.00")  # 36,500 × 181/365, project term
    assert p24.claims_reserve == D("3900.00")  # claim-reserve 1,500 + benefit-payable 2,400
    assert p24.obligations == D("22000.00")
    assert p24.ratio == D("1.3227")  # 29,100 / 22,000
    assert not p24.below

    q = projects["Q"]
    # coverage-start/-end metadata (2024-10-01..2025-09-30, 365 days) override the 3-year project term.
    (dues,) = q.dues
    assert (dues.cover_start, dues.cover_end, dues.cover_days, dues.remaining_days) == (
        day(2024, 10, 1),
        day(2025, 9, 30),
        365,
        273,
    )
    assert q.unearned_reserve == D("8975.34")  # 12,000 × 273/365 = 8,975.342…
    assert q.net_available == D("8900.00")
    assert q.ratio == D("0.9916")  # 8,900 / 8,975.34
    assert q.below

    # The organisation line never pools projects (art. 17, 22): count below 100%, the worst.
    total = report.total
    assert (total.projects, total.projects_below) == (2, 1)
    assert (total.worst_ratio, total.worst_project) == (D("0.9916"), "Q")
    assert total.net_available == D("38000.00")
    assert total.obligations == D("30975.34")
    assert not hasattr(total, "ratio")
    # No project has finished by 2024-12-31: no run-off history, and the report says so.
    assert p24.claims_booked == D("3900.00") and p24.claims_estimated is None
    assert "无历史" in report.method


def test_solvency_mid_2025(small_loaded: ReportLedger, ctx_for) -> None:
    report = solvency_report(ctx_for(small_loaded, start=day(2025, 1, 1), end=day(2025, 6, 30)))
    projects = {p.code: p for p in report.projects}
    assert projects["P24"].unearned_reserve == 0  # P24's cover ended on the as-of date
    assert projects["Q"].unearned_reserve == D("3024.66")  # 12,000 × 92/365 (Jul–Sep 2025)


def test_flagged_in_text(small_loaded: ReportLedger, ctx_for) -> None:
    from hzledger.reports.render import render_text

    report = solvency_report(ctx_for(small_loaded, 2024))
    text = render_text(report.header, report.tables())
    q_line = next(line for line in text.splitlines() if line.startswith("Q "))
    assert "不足" in q_line and "99.16%" in q_line and q_line.endswith("<!>")


def test_example_reserve_before_cover_starts(example_ledger: Path, ctx_for) -> None:
    # ZY25's 2025 dues of 92,500 arrived 2024-12-05: at 2024-12-31 the whole year is still owed.
    report = solvency_report(ctx_for(load_ledger(example_ledger), 2024))
    zy = next(p for p in report.projects if p.code == "ZY25")
    assert zy.unearned_reserve == D("92500.00")
    assert zy.ratio == D("1.0000")


def test_unusable_cover_keeps_the_whole_amount_in_reserve(tmp_path: Path, ctx_for) -> None:
    from report_ledgers import SMALL, write

    # Q's batch now claims a cover ending before it starts; a quoted date is still read.
    text = SMALL.replace("coverage-end: 2025-09-30", "coverage-end: 2024-09-30").replace(
        "coverage-start: 2024-10-01", 'coverage-start: "2024-10-01"'
    )
    report = solvency_report(ctx_for(load_ledger(write(tmp_path, text)), 2024))
    q = next(p for p in report.projects if p.code == "Q")
    assert q.unearned_reserve == D("12000.00")
    assert q.dues[0].cover_start == day(2024, 10, 1)
    assert q.notes and "全额计入" in q.notes[0]
