"""`report statistics`: the statistics report of art. 18 and 35, per project, on the cover basis.

    members covered (人次) = Σ `members:` of dues batches whose cover overlaps the period
    dues earned            = Σ per payment: amount × days of its cover in the period ÷ days of cover
    benefits for the cover = benefits of the project's cover in the period (a payment after
                             the cover ends counts for its last day: the run-off)
    claims paid            = Σ `claims:` of those benefit transactions
    payout ratio           = benefits for the cover ÷ dues earned      (赔付率)
    admin ratio            = 管理费用 ÷ all spending                    (管理费用率, `figures.admin`)
    average benefit        = benefits ÷ claims                         (件均给付)

Every figure is `hzledger.figures`' one computation; the total's admin figures include
the general fund, where most management spending is booked.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel

from hzledger.reports.common import ZERO, Period, ReportHeader, cents, ratio
from hzledger.reports.context import ReportContext
from hzledger.reports.tables import Column, Table


class Statistics(BaseModel):
    """The figures of some projects; the total (and a quarter's subtotal) is one, without a code."""

    members: int
    claims: int
    dues: Decimal
    benefits: Decimal
    admin: Decimal
    expenses_total: Decimal
    payout_ratio: Decimal | None
    admin_ratio: Decimal | None
    average_benefit: Decimal | None


class ProjectStatistics(Statistics):
    """One protection project's figures, named by its code."""

    code: str
    name: str


class PeriodStatistics(BaseModel):
    """One quarter's rows: the statistics report's breakdown by period."""

    period: Period
    label: str
    projects: list[ProjectStatistics]
    total: Statistics


class StatisticsReport(BaseModel):
    """`report statistics`: members, claims, dues, benefits per project."""

    kind: Literal["statistics"] = "statistics"
    header: ReportHeader
    projects: list[ProjectStatistics]
    total: Statistics
    by_quarter: list[PeriodStatistics] = []

    def tables(self) -> list[Table]:
        table = Table(
            "统计",
            "互助保障业务统计（第十八、三十五条）",
            "Statistics (art. 18, 35)",
            [
                Column("项目", "Project"),
                Column("参保人次", "Members covered (person-times)", "int"),
                Column("给付件数", "Claims paid", "int"),
                Column("已赚会费", "Dues earned", "money"),
                Column("互助金给付", "Benefits", "money"),
                Column("管理费用", "Admin spending", "money"),
                Column("支出合计", "All spending", "money"),
                Column("赔付率", "Payout ratio", "ratio"),
                Column("管理费用率", "Admin ratio", "ratio"),
                Column("件均给付", "Average benefit", "money"),
            ],
        )
        for p in [*self.projects, self.total]:
            table.add(
                f"{p.code} {p.name}" if isinstance(p, ProjectStatistics) else "合计",
                p.members,
                p.claims,
                p.dues,
                p.benefits,
                p.admin,
                p.expenses_total,
                p.payout_ratio,
                p.admin_ratio,
                p.average_benefit,
                style="total" if p is self.total else "",
            )
        table.notes.append(
            "按保障期间统计：参保人次 = 保障期与本期重叠的会费批次的 members 之和（人次，不是人数）；"
            "已赚会费 = 每笔会费按保障天数落在本期的部分；互助金给付 = 本期保障责任的给付（保障期满后的给付归属保障期最后一天）；"
            "赔付率 = 互助金给付 ÷ 已赚会费；管理费用 = 第二十五条第（三）类支出，合计行含综合管理基金；"
            "管理费用率 = 管理费用 ÷ 支出合计；件均给付 = 互助金给付 ÷ 给付件数。"
        )
        if not self.by_quarter:
            return [table]
        quarters = Table(
            "按季度",
            "按季度统计",
            "By quarter",
            [
                Column("期间", "Period"),
                Column("项目", "Project"),
                Column("参保人次", "Members covered (person-times)", "int"),
                Column("给付件数", "Claims paid", "int"),
                Column("会费收入", "Dues", "money"),
                Column("互助金给付", "Benefits", "money"),
                Column("赔付率", "Payout ratio", "ratio"),
                Column("件均给付", "Average benefit", "money"),
            ],
        )
        for q in self.by_quarter:
            for p in [*q.projects, q.total]:
                quarters.add(
                    q.label,
                    f"{p.code} {p.name}" if isinstance(p, ProjectStatistics) else "小计",
                    p.members,
                    p.claims,
                    p.dues,
                    p.benefits,
                    p.payout_ratio,
                    p.average_benefit,
                    style="total" if p is q.total else "",
                )
        return [table, quarters]


def make_statistics(
    members: int,
    claims: int,
    dues: Decimal,
    benefits: Decimal,
    admin: Decimal,
    expenses: Decimal,
) -> Statistics:
    return Statistics(
        members=members,
        claims=claims,
        dues=dues,
        benefits=benefits,
        admin=admin,
        expenses_total=expenses,
        payout_ratio=ratio(benefits, dues),
        admin_ratio=ratio(admin, expenses),
        average_benefit=cents(benefits / claims) if claims else None,
    )


def quarters(period: Period) -> list[Period]:
    """Calendar quarters within the period, the first and last clipped to it."""
    out: list[Period] = []
    start = period.start
    while start <= period.end:
        quarter_end_month = (start.month - 1) // 3 * 3 + 3
        next_start = (
            datetime.date(start.year + 1, 1, 1)
            if quarter_end_month == 12
            else datetime.date(start.year, quarter_end_month + 1, 1)
        )
        end = min(period.end, next_start - datetime.timedelta(days=1))
        out.append(Period(start=start, end=end))
        start = next_start
    return out


def quarter_label(period: Period) -> str:
    """Say "2024年第3季度" for a whole calendar quarter, else the dates."""
    quarter = (period.start.month - 1) // 3 + 1
    (whole,) = quarters(
        Period(start=datetime.date(period.start.year, quarter * 3 - 2, 1), end=period.start)
    )
    full = quarters(Period.year(period.start.year))[quarter - 1]
    if whole.start == period.start and full.end == period.end:
        return f"{period.start.year}年第{quarter}季度"
    return period.label


def statistics_report(ctx: ReportContext) -> StatisticsReport:
    rows = project_rows(ctx)
    parts = quarters(ctx.period)
    by_quarter = []
    if len(parts) > 1:
        for part in parts:
            sub = ReportContext(ctx.ledger, part, ctx.fund)
            sub_rows = project_rows(sub)
            by_quarter.append(
                PeriodStatistics(
                    period=part,
                    label=quarter_label(part),
                    projects=sub_rows,
                    total=total_row(sub, sub_rows),
                )
            )
    return StatisticsReport(
        header=ctx.header("statistics", "互助保障业务统计表", "Statistics report"),
        projects=rows,
        total=total_row(ctx, rows),
        by_quarter=by_quarter,
    )


def project_rows(ctx: ReportContext) -> list[ProjectStatistics]:
    figures = ctx.ledger.figures
    rows: list[ProjectStatistics] = []
    for project in ctx.active_projects():
        cover = figures.cover_statistics(ctx.period, project)
        admin = figures.admin(ctx.period, [project.code])
        counted = make_statistics(
            cover.members,
            cover.claims,
            cover.dues,
            cover.benefits,
            admin.admin,
            admin.expenses,
        )
        rows.append(ProjectStatistics(code=project.code, name=project.name, **counted.model_dump()))
    return rows


def total_row(ctx: ReportContext, rows: list[ProjectStatistics]) -> Statistics:
    """Projects summed; the admin figures over every fund in scope, general funds included."""
    admin = ctx.ledger.figures.admin(ctx.period, [f.code for f in ctx.funds()])
    return make_statistics(
        sum(r.members for r in rows),
        sum(r.claims for r in rows),
        sum((r.dues for r in rows), ZERO),
        sum((r.benefits for r in rows), ZERO),
        admin.admin,
        admin.expenses,
    )
