"""`report statistics`: the statistics report of art. 18 and 35, per project.

    members covered    = Σ `members:` of dues transactions in the period
    claims paid        = Σ `claims:` of benefit transactions in the period
    payout ratio       = benefits ÷ dues                      (赔付率)
    admin ratio        = art. 25(三) spending ÷ dues          (管理费用率)
    average benefit    = benefits ÷ claims                    (件均给付)

A transaction's `members`/`claims` count for the project its dues/benefit
postings belong to (the larger, if a faulty transaction touches several).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Literal

from beancount.core import convert, data
from pydantic import BaseModel

from hzledger.kinds import ADMIN_KINDS
from hzledger.reports.common import ZERO, Period, ReportHeader, cents, ratio
from hzledger.reports.context import ReportContext
from hzledger.reports.tables import Column, Table


class ProjectStatistics(BaseModel):
    code: str
    name: str
    members: int
    claims: int
    dues: Decimal
    benefits: Decimal
    admin: Decimal
    expenses_total: Decimal
    payout_ratio: Decimal | None
    admin_ratio: Decimal | None
    average_benefit: Decimal | None


class PeriodStatistics(BaseModel):
    """One quarter's rows: the statistics report's breakdown by period."""

    period: Period
    label: str
    projects: list[ProjectStatistics]
    total: ProjectStatistics


class StatisticsReport(BaseModel):
    kind: Literal["statistics"] = "statistics"
    header: ReportHeader
    projects: list[ProjectStatistics]
    total: ProjectStatistics
    by_quarter: list[PeriodStatistics] = []

    def tables(self) -> list[Table]:
        table = Table(
            "统计",
            "互助保障业务统计（第十八、三十五条）",
            "Statistics (art. 18, 35)",
            [
                Column("项目", "Project"),
                Column("参保人数", "Members covered", "int"),
                Column("给付件数", "Claims paid", "int"),
                Column("会费收入", "Dues", "money"),
                Column("互助金给付", "Benefits", "money"),
                Column("管理类支出", "Admin spending", "money"),
                Column("支出合计", "All spending", "money"),
                Column("赔付率", "Payout ratio", "ratio"),
                Column("管理费用率", "Admin ratio", "ratio"),
                Column("件均给付", "Average benefit", "money"),
            ],
        )
        for p in [*self.projects, self.total]:
            table.add(
                p.code if p is self.total else f"{p.code} {p.name}",
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
            "赔付率 = 互助金给付 ÷ 会费收入；管理费用率 = 管理类支出（第二十五条第三项）÷ 会费收入；件均给付 = 互助金给付 ÷ 给付件数。"
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
                Column("参保人数", "Members covered", "int"),
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
                    "小计" if p is q.total else f"{p.code} {p.name}",
                    p.members,
                    p.claims,
                    p.dues,
                    p.benefits,
                    p.payout_ratio,
                    p.average_benefit,
                    style="total" if p is q.total else "",
                )
        return [table, quarters]


def _count(meta: data.Meta | None, key: str) -> int:
    value = (meta or {}).get(key)
    if isinstance(value, bool):
        return 0
    if isinstance(value, int | Decimal):
        return int(value)
    return 0


def counts(ctx: ReportContext) -> tuple[dict[str, int], dict[str, int]]:
    """members and claims per fund, from transaction metadata in the period."""
    members: dict[str, int] = defaultdict(int)
    claims: dict[str, int] = defaultdict(int)
    accounts = ctx.model.accounts
    for entry in ctx.ledger.entries:
        if not isinstance(entry, data.Transaction) or not ctx.period.contains(entry.date):
            continue
        for key, kind, target in (("members", "dues", members), ("claims", "benefit", claims)):
            n = _count(entry.meta, key)
            if not n:
                continue
            per_fund: dict[str, Decimal] = defaultdict(Decimal)
            for posting in entry.postings:
                info = accounts.get(posting.account)
                if info is not None and info.kind == kind and info.fund:
                    per_fund[info.fund] += abs(convert.get_weight(posting).number or ZERO)
            if per_fund:
                target[max(per_fund, key=lambda f: per_fund[f])] += n
    return members, claims


def make_statistics(
    code: str,
    name: str,
    members: int,
    claims: int,
    dues: Decimal,
    benefits: Decimal,
    admin: Decimal,
    expenses: Decimal,
) -> ProjectStatistics:
    return ProjectStatistics(
        code=code,
        name=name,
        members=members,
        claims=claims,
        dues=dues,
        benefits=benefits,
        admin=admin,
        expenses_total=expenses,
        payout_ratio=ratio(benefits, dues),
        admin_ratio=ratio(admin, dues),
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
    """ "2024年第3季度" for a whole calendar quarter, else the dates."""
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
                    total=sum_statistics(sub_rows, "小计"),
                )
            )
    return StatisticsReport(
        header=ctx.header("statistics", "互助保障业务统计表", "Statistics report"),
        projects=rows,
        total=sum_statistics(rows),
        by_quarter=by_quarter,
    )


def project_rows(ctx: ReportContext) -> list[ProjectStatistics]:
    members, claims = counts(ctx)
    bal = ctx.balances
    rows: list[ProjectStatistics] = []
    for project in ctx.active_projects():
        income = bal.by_kind("Income", project.code, "flow")
        spending = bal.by_kind("Expenses", project.code, "flow")
        rows.append(
            make_statistics(
                project.code,
                project.name,
                members.get(project.code, 0),
                claims.get(project.code, 0),
                -income.get("dues", ZERO),
                spending.get("benefit", ZERO),
                sum((v for k, v in spending.items() if k in ADMIN_KINDS), ZERO),
                sum(spending.values(), ZERO),
            )
        )
    return rows


def sum_statistics(rows: list[ProjectStatistics], code: str = "合计") -> ProjectStatistics:
    def add(attr: str) -> Decimal:
        return sum((getattr(r, attr) for r in rows), ZERO)

    return make_statistics(
        code,
        code,
        sum(r.members for r in rows),
        sum(r.claims for r in rows),
        add("dues"),
        add("benefits"),
        add("admin"),
        add("expenses_total"),
    )
