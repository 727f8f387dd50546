"""Issue 10: each derived figure's definition on a hand-computed ledger, and one computation
shared by the compliance page, the reports and the roll-up."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

from figure_ledgers import ADMIN, ANNUAL, DIVERSION, INTERFUND, RUNOFF, SPLIT, head, project
from report_ledgers import write

from hzledger.check import check_file
from hzledger.reports.balance import balance_report
from hzledger.reports.budget import budget_report
from hzledger.reports.common import Period
from hzledger.reports.context import ReportContext
from hzledger.reports.disclosure import disclosure_report
from hzledger.reports.solvency import solvency_report
from hzledger.reports.source import load_ledger
from hzledger.reports.statistics import statistics_report
from hzledger.serve.compliance import build_view

D = Decimal
day = datetime.date


def ctx(path: Path, year: int) -> ReportContext:
    return ReportContext(load_ledger(path), Period.year(year))


def test_annual_dues_on_a_three_year_project(tmp_path: Path) -> None:
    report = solvency_report(ctx(write(tmp_path, ANNUAL), 2024))
    (zj,) = report.projects
    lines = {(d.date, d.amount): d for d in zj.dues}
    before = lines[(day(2023, 12, 15), D("36600.00"))]
    # Paid before start: the first project year, 2024 (366 days), all earned by 2024-12-31.
    assert (before.cover_start, before.cover_end, before.basis) == (
        day(2024, 1, 1),
        day(2024, 12, 31),
        "year",
    )
    assert (before.cover_days, before.remaining_days, before.reserve) == (366, 0, D("0.00"))
    # No metadata: dues-cover "year" takes the project year containing the payment date.
    plain = lines[(day(2024, 12, 20), D("36500.00"))]
    assert (plain.cover_start, plain.cover_end, plain.reserve) == (
        day(2024, 1, 1),
        day(2024, 12, 31),
        D("0.00"),
    )
    # coverage-start/-end win over dues-cover: the whole 73,000 covers 2025, still unearned.
    meta = lines[(day(2024, 12, 21), D("73000.00"))]
    assert (meta.cover_start, meta.cover_end, meta.basis, meta.reserve) == (
        day(2025, 1, 1),
        day(2025, 12, 31),
        "coverage",
        D("73000.00"),
    )
    assert zj.unearned_reserve == D("73000.00")
    # Net available 146,100 against 73,000: 200.14% — spread over the term it would be less.
    assert zj.ratio == D("2.0014")

    stats = statistics_report(ctx(write(tmp_path, ANNUAL), 2025)).projects
    # 2025: the 73,000 paid for 2025 is the year's earned dues, its 2,000 members covered.
    assert (stats[0].dues, stats[0].members) == (D("73000.00"), 2000)


def test_term_cover_spreads_a_payment_over_the_whole_term(tmp_path: Path) -> None:
    text = ANNUAL.replace('  dues-cover: "year"\n', "")
    (zj,) = solvency_report(ctx(write(tmp_path, text), 2024)).projects
    plain = next(d for d in zj.dues if d.date == day(2024, 12, 20))
    # 2024-01-01..2026-12-31 is 1,096 days; 730 remain after 2024: 36,500 × 730/1,096.
    assert (plain.cover_days, plain.remaining_days, plain.reserve) == (1096, 730, D("24311.13"))


def test_run_off_estimate_from_a_finished_project(tmp_path: Path) -> None:
    report = solvency_report(ctx(write(tmp_path, RUNOFF), 2024))
    projects = {p.code: p for p in report.projects}
    a24 = projects["A24"]
    # History A23: 10,000 within cover, then 2,000 (month 1) and 1,000 (month 2).
    # Factors 12,000/10,000 = 1.2 and 13,000/12,000; to ultimate 1.3: A24's 20,000 paid → 6,000 more.
    assert (a24.claims_booked, a24.claims_estimated, a24.claims_reserve) == (
        D("0"),
        D("6000.00"),
        D("6000.00"),
    )
    assert a24.unearned_reserve == D("0.00")
    assert a24.obligations == D("6000.00")
    assert a24.net_available == D("10000.00")
    assert a24.ratio == D("1.6667")
    assert "给付进展法" in report.method and "A23" in report.method
    assert "1.2000" in report.method
    # A23's run-off is complete in its history: no obligations.
    assert (projects["A23"].status, projects["A23"].verdict) == ("none", "无偿付责任")


def test_a_project_still_paying_without_history_says_so(tmp_path: Path) -> None:
    # At 2023-12-31 nothing has finished: there is no history to estimate from.
    report = solvency_report(ctx(write(tmp_path, RUNOFF), 2023))
    a23 = next(p for p in report.projects if p.code == "A23")
    assert a23.claims_estimated is None
    assert a23.status == "no-history" and a23.ratio is None and not a23.below
    assert a23.verdict != "无偿付责任" and "无历史" in a23.verdict
    assert "无法估计" in report.method


def test_interfund_balances_are_eliminated_in_the_org_total(tmp_path: Path) -> None:
    report = balance_report(ctx(write(tmp_path, INTERFUND), 2024))
    sheets = {s.code: s for s in report.funds}
    assert sheets["ZH"].assets_total == D("50000.00")  # 45,000 bank + 5,000 due from P
    assert sheets["P"].liabilities_total == D("5000.00")
    assert report.eliminated == D("5000.00")
    total = report.total
    assert total.assets_total == D("50000.00")  # not 55,000: P's debt to ZH is internal
    assert total.liabilities_total == D("0.00")
    assert total.net_assets_total == D("50000.00")
    (table,) = report.tables()
    assert any("抵销" in n and "5,000.00" in n for n in table.notes)


def test_admin_ratio_includes_the_general_fund_everywhere(tmp_path: Path) -> None:
    path = write(tmp_path, ADMIN)
    c = ctx(path, 2024)
    stats = statistics_report(c).total
    budget = budget_report(c)
    # 管理费用 = ZH payroll 3,000 + P admin 1,000; all spending 3,000 + 6,000 + 1,000.
    assert (stats.admin, stats.expenses_total, stats.admin_ratio) == (
        D("4000.00"),
        D("10000.00"),
        D("0.4000"),
    )
    assert (budget.admin_actual, budget.expenses_total, budget.admin_share) == (
        stats.admin,
        stats.expenses_total,
        stats.admin_ratio,
    )
    checked = check_file(str(path))
    view = build_view(checked, checked.entries, path.parent)
    assert view.admin is not None
    assert (view.admin.admin, view.admin.expenses, view.admin.ratio) == (
        stats.admin,
        stats.expenses_total,
        stats.admin_ratio,
    )


def test_diversion_is_named_in_the_disclosure(tmp_path: Path) -> None:
    report = disclosure_report(ctx(write(tmp_path, DIVERSION), 2024))
    (c,) = report.cross_fund
    assert (c.payer, c.beneficiary, c.amount) == ("P", "ZH", D("800.00"))
    assert "挪用" in c.label and "第十七条" in c.label and "第二十二条" in c.label
    funds = {f.code: f for f in report.funds}
    assert funds["P"].cross_fund == D("-800.00") and funds["P"].other_change == 0
    assert funds["ZH"].cross_fund == D("800.00")
    html = report.html()
    assert c.label in html and "跨基金收支（违反第十七、二十二条）" in html
    # The opening balance booked to ZH's net assets stays "other changes"; the diversion does not.
    assert funds["ZH"].other_change == D("50000.00")


def test_split_dues_count_members_once(tmp_path: Path) -> None:
    path = write(tmp_path, SPLIT)
    stats = {p.code: p for p in statistics_report(ctx(path, 2024)).projects}
    assert (stats["A"].members, stats["B"].members) == (100, 0)  # the larger part, once
    checked = check_file(str(path))
    view = build_view(checked, checked.entries, path.parent)
    page = {r.code: r.members for r in view.funds}
    assert (page["A"], page["B"]) == (100, 0)


def test_page_and_report_show_the_same_solvency(tmp_path: Path) -> None:
    path = write(tmp_path, RUNOFF)
    checked = check_file(str(path))
    view = build_view(checked, checked.entries, path.parent)
    assert view.as_of == day(2024, 2, 15)
    ledger = load_ledger(path)
    report = solvency_report(ReportContext(ledger, Period(start=day(2024, 1, 1), end=view.as_of)))
    assert [p.model_dump() for p in view.solvency] == [p.model_dump() for p in report.projects]
    assert view.org_solvency == report.total
    # One title rule: the hz-org name, on the page and in every report.
    assert view.title == ledger.title == report.header.organisation == "甲市职工互助保障会"


def test_dues_cover_must_be_term_or_year(tmp_path: Path) -> None:
    path = write(tmp_path, head() + project("X", "2024-01-01", "2024-12-31", cover="month"))
    findings = check_file(str(path)).findings
    assert any(f.rule == "HZ-POLICY" and "dues-cover" in f.message for f in findings)


def test_page_payout_ratio_is_the_statistics_one(tmp_path: Path) -> None:
    path = write(tmp_path, RUNOFF)
    checked = check_file(str(path))
    view = build_view(checked, checked.entries, path.parent)
    assert view.as_of is not None
    ledger = load_ledger(path)
    whole = Period(start=day(2022, 12, 20), end=view.as_of)
    stats = {p.code: p for p in statistics_report(ReportContext(ledger, whole)).projects}
    page = {r.code: r.payout_ratio for r in view.funds if r.is_project}
    # A23: 13,000 for its cover / 20,000 earned; A24: 20,000 / 30,000 × 46 of 366 days.
    assert page == {code: s.payout_ratio for code, s in stats.items()}
    assert page["A23"] == D("0.6500")


def test_every_output_names_organisation_period_and_as_of(tmp_path: Path) -> None:
    from hzledger.reports.render import render_text

    report = balance_report(ctx(write(tmp_path, INTERFUND), 2024))
    text = render_text(report.header, report.tables())
    assert "甲市职工互助保障会" in text and "期间：2024年度" in text and "截至：2024-12-31" in text
    html = disclosure_report(ctx(write(tmp_path, INTERFUND), 2024)).html()
    assert "数据截至 2024-12-31" in html
