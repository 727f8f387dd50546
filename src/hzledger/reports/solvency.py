"""`report solvency`: can each project meet what it owes its members? (art. 19, 23, 34, 35)

The figures are `hzledger.figures.solvency`'s, as of the period's last day: per project
the unearned-dues reserve on each payment's real cover, booked claim reserves beside the
run-off estimate from the ledger's own history (the larger counts), and the ratio. The
organisation line counts the projects below 100% and names the worst ratio; it never
pools projects whose funds may not cover each other (art. 17, 22).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel

from hzledger.figures.cover import BASIS_ZH
from hzledger.figures.solvency import DuesReserve, OrgSolvency, ProjectSolvency
from hzledger.reports.common import ReportHeader, percent
from hzledger.reports.context import ReportContext
from hzledger.reports.tables import Column, Table

__all__ = ["DuesReserve", "ProjectSolvency", "SolvencyReport", "solvency_report", "unearned"]


class SolvencyReport(BaseModel):
    """`report solvency`: each project's solvency and the organisation's."""

    kind: Literal["solvency"] = "solvency"
    header: ReportHeader
    as_of: datetime.date
    method: str
    projects: list[ProjectSolvency]
    total: OrgSolvency

    def tables(self) -> list[Table]:
        summary = Table(
            "偿付能力",
            f"偿付能力（截至 {self.as_of.isoformat()}，第十九、二十三、三十四、三十五条）",
            f"Solvency at {self.as_of.isoformat()}",
            [
                Column("项目", "Project"),
                Column("可用资产", "Available assets", "money"),
                Column("其他负债", "Other liabilities", "money"),
                Column("可用净资产", "Net available", "money"),
                Column("未到期责任准备金", "Unearned reserve", "money"),
                Column("未决赔款（账面）", "Claims booked", "money"),
                Column("未决赔款（估计）", "Claims estimated", "money"),
                Column("偿付责任合计", "Obligations", "money"),
                Column("偿付能力充足率", "Solvency ratio", "ratio"),
                Column("结论", "Result"),
            ],
        )
        for p in self.projects:
            summary.add(
                f"{p.code} {p.name}",
                p.available_total,
                p.other_liabilities,
                p.net_available,
                p.unearned_reserve,
                p.claims_booked,
                p.claims_estimated,
                p.obligations,
                p.ratio,
                p.verdict,
                style="flag" if p.below else "",
            )
        t = self.total
        worst = f"最低 {percent(t.worst_ratio)}（{t.worst_project}）" if t.worst_project else "—"
        summary.add(
            f"组织：{t.projects_below} 个项目低于100%；{worst}",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            t.worst_ratio,
            t.verdict,
            style="total",
        )
        summary.notes.append(
            "充足率 = (现金 + 银行存款 + 定期存款 + 国债(成本) − 其他负债) ÷ (未到期责任准备金 + "
            "max(账面未决赔款, 估计未决赔款))；低于100%标注“不足”。项目资金不得相互调剂（第十七、二十二条），"
            "组织行不计算合并充足率，只列不足项目数和最低充足率。"
        )
        summary.notes.append(self.method)
        for p in self.projects:
            summary.notes += [f"{p.code}：{n}" for n in p.notes]
        detail = Table(
            "未到期责任准备金",
            "未到期责任准备金计算明细（按每笔会费的保障期间剩余天数比例）",
            "Unearned-dues reserve, payment by payment",
            [
                Column("项目", "Project"),
                Column("入账日期", "Date", "date"),
                Column("摘要", "Narration"),
                Column("会费", "Dues", "money"),
                Column("保障起", "Cover from", "date"),
                Column("保障止", "Cover to", "date"),
                Column("依据", "Basis"),
                Column("保障天数", "Days", "int"),
                Column("剩余天数", "Days left", "int"),
                Column("准备金", "Reserve", "money"),
            ],
        )
        for p in self.projects:
            for d in p.dues:
                if d.reserve:
                    detail.add(
                        p.code,
                        d.date,
                        d.narration,
                        d.amount,
                        d.cover_start,
                        d.cover_end,
                        BASIS_ZH.get(d.basis, d.basis),
                        d.cover_days,
                        d.remaining_days,
                        d.reserve,
                    )
        return [summary, detail]


def unearned(
    amount: Decimal, cover_start: datetime.date, cover_end: datetime.date, as_of: datetime.date
) -> tuple[int, int, Decimal]:
    """(cover days, days left after as_of, reserve) for one dues amount — `figures.cover`'s rule."""
    from hzledger.figures.cover import DuesLine

    line = DuesLine(
        fund="",
        date=min(as_of, cover_start),
        account="",
        narration="",
        file=None,
        line=None,
        amount=amount,
        cover_start=cover_start,
        cover_end=cover_end,
        basis="coverage",
        members=0,
    )
    days, left = line.cover_days, line.days_left(as_of)
    assert days is not None and left is not None  # noqa: S101 (narrows the type; an invariant, not input checking)
    return days, left, line.unearned(as_of)


def solvency_report(ctx: ReportContext) -> SolvencyReport:
    figures = ctx.ledger.figures
    scope = {f.code for f in ctx.funds(projects_only=True)}
    projects = [p for p in figures.solvency(ctx.period) if p.code in scope]
    return SolvencyReport(
        header=ctx.header("solvency", "偿付能力报告", "Solvency report"),
        as_of=ctx.period.end,
        method=figures.run_off(ctx.period.end).method_zh(),
        projects=projects,
        total=figures.org_solvency(ctx.period, scope),
    )
