"""`report solvency`: can each project meet what it owes its members? (art. 19, 23, 35)

As of the period's last day, per project:

    available assets   = cash + bank + term deposits + treasury bonds (at cost)
    net available      = available assets − other liabilities
                         (every liability except unearned-dues, claim-reserve, benefit-payable)
    unearned reserve   = Σ over dues postings up to the as-of date of
                         amount × days of cover left after the as-of date ÷ days of cover
    claims reserve     = balances of claim-reserve and benefit-payable accounts
    solvency ratio     = net available ÷ (unearned reserve + claims reserve)

A dues posting's cover runs from `coverage-start` to `coverage-end` (both
inclusive; posting metadata first, then the transaction's), else from the
project's `start` to `end`. Without either, the whole amount stays in reserve (the
cautious reading) and the report says so. Each posting's reserve is rounded to the
cent (half up) before summing, so every line of the detail can be checked by hand.
A ratio below 100% is flagged; with no obligations the ratio is not applicable.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal

from beancount.core import convert, data
from pydantic import BaseModel

from hzledger.model import Fund
from hzledger.reports.common import ZERO, ReportHeader, cents, ratio
from hzledger.reports.context import ReportContext
from hzledger.reports.tables import Column, Table

AVAILABLE_KINDS = ("cash", "bank", "term-deposit", "treasury-bond")
RESERVE_KINDS = frozenset({"unearned-dues", "claim-reserve", "benefit-payable"})
CLAIM_KINDS = ("claim-reserve", "benefit-payable")
ONE = Decimal(1)


class DuesReserve(BaseModel):
    date: datetime.date
    account: str
    narration: str
    file: str | None
    line: int | None
    amount: Decimal
    cover_start: datetime.date | None
    cover_end: datetime.date | None
    cover_days: int | None
    remaining_days: int | None
    reserve: Decimal


class ProjectSolvency(BaseModel):
    code: str
    name: str
    as_of: datetime.date
    available: dict[str, Decimal]
    available_total: Decimal
    other_liabilities: Decimal
    net_available: Decimal
    unearned_reserve: Decimal
    claim_reserve: Decimal
    benefit_payable: Decimal
    claims_reserve: Decimal
    obligations: Decimal
    ratio: Decimal | None
    below: bool
    dues: list[DuesReserve]
    notes: list[str]


class SolvencyReport(BaseModel):
    kind: Literal["solvency"] = "solvency"
    header: ReportHeader
    as_of: datetime.date
    projects: list[ProjectSolvency]
    total: ProjectSolvency

    def tables(self) -> list[Table]:
        summary = Table(
            "偿付能力",
            f"偿付能力（截至 {self.as_of.isoformat()}，第十九、二十三、三十五条）",
            f"Solvency at {self.as_of.isoformat()}",
            [
                Column("项目", "Project"),
                Column("可用资产", "Available assets", "money"),
                Column("其他负债", "Other liabilities", "money"),
                Column("可用净资产", "Net available", "money"),
                Column("未到期责任准备金", "Unearned reserve", "money"),
                Column("未决赔款及应付互助金", "Claims reserve", "money"),
                Column("偿付责任合计", "Obligations", "money"),
                Column("偿付能力充足率", "Solvency ratio", "ratio"),
                Column("结论", "Result"),
            ],
        )
        for p in [*self.projects, self.total]:
            summary.add(
                p.code if p is self.total else f"{p.code} {p.name}",
                p.available_total,
                p.other_liabilities,
                p.net_available,
                p.unearned_reserve,
                p.claims_reserve,
                p.obligations,
                p.ratio,
                _verdict(p),
                style="total" if p is self.total else ("flag" if p.below else ""),
            )
        summary.notes.append(
            "充足率 = (现金 + 银行存款 + 定期存款 + 国债(成本) − 其他负债) ÷ (未到期责任准备金 + 未决赔款准备金 + 应付互助金)；低于100%标注“不足”。"
        )
        for p in self.projects:
            summary.notes += [f"{p.code}：{n}" for n in p.notes]
        detail = Table(
            "未到期责任准备金",
            "未到期责任准备金计算明细（按保障期间剩余天数比例）",
            "Unearned-dues reserve, posting by posting",
            [
                Column("项目", "Project"),
                Column("入账日期", "Date"),
                Column("摘要", "Narration"),
                Column("会费", "Dues", "money"),
                Column("保障起", "Cover from"),
                Column("保障止", "Cover to"),
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
                        d.date.isoformat(),
                        d.narration,
                        d.amount,
                        d.cover_start.isoformat() if d.cover_start else "—",
                        d.cover_end.isoformat() if d.cover_end else "—",
                        d.cover_days,
                        d.remaining_days,
                        d.reserve,
                    )
        return [summary, detail]


def _verdict(p: ProjectSolvency) -> str:
    if p.ratio is None:
        return "无偿付责任"
    return "不足" if p.below else "充足"


def _date_meta(metas: tuple[data.Meta | None, ...], key: str) -> datetime.date | None:
    for meta in metas:
        value = (meta or {}).get(key)
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):  # `coverage-start: "2025-01-01"` quoted by hand
            try:
                return datetime.date.fromisoformat(value.strip())
            except ValueError:
                continue
    return None


def unearned(
    amount: Decimal, cover_start: datetime.date, cover_end: datetime.date, as_of: datetime.date
) -> tuple[int, int, Decimal]:
    """(cover days, days left after as_of, reserve) for one dues amount."""
    total = (cover_end - cover_start).days + 1
    first_left = max(cover_start, as_of + datetime.timedelta(days=1))
    left = max(0, (cover_end - first_left).days + 1)
    if total <= 0:
        return total, 0, ZERO
    return total, left, cents(amount * left / total)


DuesPostings = dict[str, list[tuple[data.Transaction, data.Posting]]]


def dues_postings(ctx: ReportContext, as_of: datetime.date) -> DuesPostings:
    """Every dues posting up to the as-of date, by fund: one pass over the ledger."""
    found: DuesPostings = {}
    accounts = ctx.model.accounts
    for entry in ctx.ledger.entries:
        if not isinstance(entry, data.Transaction) or entry.date > as_of:
            continue
        for posting in entry.postings:
            info = accounts.get(posting.account)
            if info is not None and info.kind == "dues" and info.fund is not None:
                found.setdefault(info.fund, []).append((entry, posting))
    return found


def _dues_lines(
    ctx: ReportContext,
    project: Fund,
    as_of: datetime.date,
    postings: list[tuple[data.Transaction, data.Posting]],
    notes: list[str],
) -> list[DuesReserve]:
    currency = ctx.currency
    lines: list[DuesReserve] = []
    missing = 0
    for entry, posting in postings:
        weight = convert.get_weight(posting)
        if weight.currency != currency or weight.number is None:
            continue
        amount = -weight.number
        start = _date_meta((posting.meta, entry.meta), "coverage-start") or project.start
        end = _date_meta((posting.meta, entry.meta), "coverage-end") or project.end
        if start is None or end is None or end < start:
            missing += 1
            days, left, reserve = None, None, amount
        else:
            days, left, reserve = unearned(amount, start, end, as_of)
        lines.append(
            DuesReserve(
                date=entry.date,
                account=posting.account,
                narration=entry.narration or entry.payee or "",
                file=entry.meta.get("filename"),
                line=entry.meta.get("lineno"),
                amount=amount,
                cover_start=start,
                cover_end=end,
                cover_days=days,
                remaining_days=left,
                reserve=reserve,
            )
        )
    if missing:
        notes.append(
            f"{missing} 笔会费没有可用的保障期间（项目 start/end 或 coverage-start/coverage-end 缺失或终止早于起始），"
            "全额计入未到期责任准备金"
        )
    return lines


def project_solvency(
    ctx: ReportContext, project: Fund, postings: DuesPostings | None = None
) -> ProjectSolvency:
    bal = ctx.balances
    as_of = ctx.period.end
    assets = bal.by_kind("Assets", project.code, "closing")
    liabilities = {k: -v for k, v in bal.by_kind("Liabilities", project.code, "closing").items()}
    available = {k: assets.get(k, ZERO) for k in AVAILABLE_KINDS}
    available_total = sum(available.values(), ZERO)
    other = sum((v for k, v in liabilities.items() if k not in RESERVE_KINDS), ZERO)
    notes: list[str] = []
    if postings is None:
        postings = dues_postings(ctx, as_of)
    dues = _dues_lines(ctx, project, as_of, postings.get(project.code, []), notes)
    unearned_reserve = sum((d.reserve for d in dues), ZERO)
    booked = liabilities.get("unearned-dues", ZERO)
    if booked:
        notes.append(
            f"账面未到期责任准备金 {booked:,.2f} 未直接采用，按会费保障期间重新计算为 {unearned_reserve:,.2f}"
        )
    claim_reserve = liabilities.get("claim-reserve", ZERO)
    benefit_payable = liabilities.get("benefit-payable", ZERO)
    claims = claim_reserve + benefit_payable
    obligations = unearned_reserve + claims
    net = available_total - other
    value = ratio(net, obligations) if obligations > 0 else None
    return ProjectSolvency(
        code=project.code,
        name=project.name,
        as_of=as_of,
        available=available,
        available_total=available_total,
        other_liabilities=other,
        net_available=net,
        unearned_reserve=unearned_reserve,
        claim_reserve=claim_reserve,
        benefit_payable=benefit_payable,
        claims_reserve=claims,
        obligations=obligations,
        ratio=value,
        below=value is not None and value < ONE,
        dues=dues,
        notes=notes,
    )


def total_solvency(projects: list[ProjectSolvency], as_of: datetime.date) -> ProjectSolvency:
    def add(attr: str) -> Decimal:
        return sum((getattr(p, attr) for p in projects), ZERO)

    available: dict[str, Decimal] = {k: ZERO for k in AVAILABLE_KINDS}
    for p in projects:
        for k, v in p.available.items():
            available[k] = available.get(k, ZERO) + v
    obligations = add("obligations")
    net = add("net_available")
    value = ratio(net, obligations) if obligations > 0 else None
    return ProjectSolvency(
        code="合计",
        name="合计",
        as_of=as_of,
        available=available,
        available_total=add("available_total"),
        other_liabilities=add("other_liabilities"),
        net_available=net,
        unearned_reserve=add("unearned_reserve"),
        claim_reserve=add("claim_reserve"),
        benefit_payable=add("benefit_payable"),
        claims_reserve=add("claims_reserve"),
        obligations=obligations,
        ratio=value,
        below=value is not None and value < ONE,
        dues=[],
        notes=[],
    )


def solvency_report(ctx: ReportContext) -> SolvencyReport:
    postings = dues_postings(ctx, ctx.period.end)
    projects = [project_solvency(ctx, p, postings) for p in ctx.funds(projects_only=True)]
    return SolvencyReport(
        header=ctx.header("solvency", "偿付能力报告", "Solvency report"),
        as_of=ctx.period.end,
        projects=projects,
        total=total_solvency(projects, ctx.period.end),
    )
