"""`report disclosure`: the member-facing yearly page (art. 20: 定期向全体会员公开).

Plain Chinese, printable, no external resources: the organisation, each project
(cover term, filing, members covered, dues collected, benefits paid and cases,
balance at year end, solvency), each fund's balance, and whether the year's
internal and external audits (art. 32) are on record.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel

from hzledger.figures.audits import AuditKind, audit_state
from hzledger.figures.crossfund import ARTICLES_ZH, cross_fund_payments
from hzledger.reports.common import ReportHeader
from hzledger.reports.context import ReportContext
from hzledger.reports.funds import funds_report
from hzledger.reports.render import environment
from hzledger.reports.solvency import solvency_report
from hzledger.reports.statistics import statistics_report
from hzledger.reports.tables import Column, Table


class DisclosedProject(BaseModel):
    """A project as members see it in the disclosure."""

    code: str
    name: str
    start: datetime.date | None
    end: datetime.date | None
    filing: str | None
    members: int
    claims: int
    dues: Decimal
    benefits: Decimal
    payout_ratio: Decimal | None
    closing: Decimal
    solvency_ratio: Decimal | None
    solvency_below: bool
    solvency_verdict: str


class DisclosedFund(BaseModel):
    """A fund's income and spending as members see it in the disclosure."""

    code: str
    name: str
    is_project: bool
    opening: Decimal
    income: Decimal
    expenses: Decimal
    other_change: Decimal  # booked straight to net assets (e.g. opening balances)
    cross_fund: Decimal  # money spent for or by another fund (art. 17, 22 violation)
    closing: Decimal


class DisclosedCrossFund(BaseModel):
    """A payment of one fund's money for another, named as what it is (art. 17, 22)."""

    date: datetime.date
    narration: str
    payer: str
    beneficiary: str
    amount: Decimal
    articles: str
    label: str


class AuditStatus(BaseModel):
    """Whether a year's audit is recorded, as the disclosure says it."""

    kind: Literal["internal", "external"]
    label: str
    recorded: bool
    state: str = "pending"  # figures.audits: done, late, missing, pending
    deadline: datetime.date | None = None
    date: datetime.date | None = None
    auditor: str | None = None
    report: str | None = None


class DisclosureReport(BaseModel):
    """`report disclosure`: what the organisation discloses to its members (art. 33)."""

    kind: Literal["disclosure"] = "disclosure"
    header: ReportHeader
    fiscal_year: int
    projects: list[DisclosedProject]
    funds: list[DisclosedFund]
    audits: list[AuditStatus]
    cross_fund: list[DisclosedCrossFund] = []
    total_opening: Decimal
    total_income: Decimal
    total_expenses: Decimal
    total_other_change: Decimal
    total_cross_fund: Decimal = Decimal(0)
    total_closing: Decimal

    def tables(self) -> list[Table]:
        projects = Table(
            "项目",
            "互助保障项目情况",
            "Projects",
            [
                Column("项目", "Project"),
                Column("保障期间", "Cover"),
                Column("备案文号", "Filing"),
                Column("参保人数", "Members", "int"),
                Column("会费收入", "Dues", "money"),
                Column("给付件数", "Cases", "int"),
                Column("互助金给付", "Benefits", "money"),
                Column("期末结余", "Balance", "money"),
                Column("偿付能力充足率", "Solvency", "ratio"),
            ],
        )
        for p in self.projects:
            projects.add(
                f"{p.code} {p.name}",
                _term(p),
                p.filing,
                p.members,
                p.dues,
                p.claims,
                p.benefits,
                p.closing,
                p.solvency_ratio,
                style="flag" if p.solvency_below else "",
            )
        funds = Table(
            "基金",
            "各基金收支与结余",
            "Funds",
            [
                Column("基金", "Fund"),
                Column("期初结余", "Opening", "money"),
                Column("本年收入", "Income", "money"),
                Column("本年支出", "Spending", "money"),
                Column("其他净资产变动", "Other changes", "money"),
                Column("跨基金收支（违反第十七、二十二条）", "Cross-fund (art. 17, 22)", "money"),
                Column("期末结余", "Closing", "money"),
            ],
        )
        for f in self.funds:
            funds.add(
                f"{f.code} {f.name}",
                f.opening,
                f.income,
                f.expenses,
                f.other_change,
                f.cross_fund,
                f.closing,
                style="flag" if f.cross_fund else "",
            )
        for c in self.cross_fund:
            funds.notes.append(f"{c.date.isoformat()} {c.narration}：{c.label}")
        audits = Table(
            "审计",
            f"{self.fiscal_year}年度稽核审计情况（第三十二条）",
            "Audits",
            [
                Column("类型", "Kind"),
                Column("状态", "Status"),
                Column("日期", "Date"),
                Column("审计机构", "Auditor"),
            ],
        )
        for a in self.audits:
            audits.add(
                a.label,
                "已完成" if a.recorded else "尚未记录",
                a.date.isoformat() if a.date else "",
                a.auditor,
            )
        return [projects, funds, audits]

    def html(self) -> str:
        return environment().get_template("disclosure.html.j2").render(report=self, term=_term)


def _term(p: DisclosedProject) -> str:
    if p.start and p.end:
        return f"{p.start.isoformat()} 至 {p.end.isoformat()}"
    return "未声明"


def disclosure_report(ctx: ReportContext) -> DisclosureReport:
    funds = funds_report(ctx)
    stats = {s.code: s for s in statistics_report(ctx).projects}
    solvency = {s.code: s for s in solvency_report(ctx).projects}
    statements = {s.code: s for s in funds.funds}
    year = ctx.period.end.year
    projects = []
    for fund in ctx.active_projects():
        st = stats[fund.code]
        so = solvency[fund.code]
        projects.append(
            DisclosedProject(
                code=fund.code,
                name=fund.name,
                start=fund.start,
                end=fund.end,
                filing=fund.filing,
                members=st.members,
                claims=st.claims,
                dues=st.dues,
                benefits=st.benefits,
                payout_ratio=st.payout_ratio,
                closing=statements[fund.code].closing,
                solvency_ratio=so.ratio,
                solvency_below=so.below,
                solvency_verdict=so.verdict,
            )
        )
    audits = []
    as_of = ctx.ledger.figures.last_date
    kinds: tuple[tuple[AuditKind, str], ...] = (("internal", "内部稽核"), ("external", "外部审计"))
    for kind, label in kinds:
        # HZ-A32's own rule, judged as of the ledger's last entry.
        recorded = audit_state(ctx.model, year, kind, None)
        first = recorded.first
        judged = audit_state(ctx.model, year, kind, as_of).state
        audits.append(
            AuditStatus(
                kind=kind,
                label=label,
                state=judged,
                deadline=recorded.deadline,
                recorded=first is not None,
                date=first.date if first else None,
                auditor=first.auditor if first else None,
                report=first.report if first else None,
            )
        )
    return DisclosureReport(
        header=ctx.header("disclosure", f"{year}年度信息公开", f"Disclosure {year}"),
        fiscal_year=year,
        projects=projects,
        funds=[
            DisclosedFund(
                code=s.code,
                name=s.name,
                is_project=s.is_project,
                opening=s.opening,
                income=s.income_total,
                expenses=s.expenses_total,
                other_change=s.equity_movement,
                cross_fund=s.difference,
                closing=s.closing,
            )
            for s in funds.funds
        ],
        cross_fund=[
            DisclosedCrossFund(
                date=c.date,
                narration=c.narration,
                payer=c.payer,
                beneficiary=c.beneficiary,
                amount=c.amount,
                articles=ARTICLES_ZH,
                label=c.label_zh,
            )
            for c in cross_fund_payments(
                ctx.ledger.entries, ctx.model, ctx.period.start, ctx.period.end
            )
            if ctx.fund is None or ctx.fund in (c.payer, c.beneficiary)
        ],
        total_cross_fund=funds.total.difference,
        audits=audits,
        total_opening=funds.total.opening,
        total_income=funds.total.income_total,
        total_other_change=funds.total.equity_movement,
        total_expenses=funds.total.expenses_total,
        total_closing=funds.total.closing,
    )
