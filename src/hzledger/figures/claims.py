"""Benefits paid, and an estimate of benefits still to be paid for cover already given.

Booked claim reserves (`claim-reserve`, `benefit-payable`) are only what the accountant
has booked; members fall ill late in the cover and are paid months after it ends. The
estimate comes from the ledger's own run-off history (art. 19, 23), a paid chain ladder:

* history: every project whose cover ended before the valuation date. Its benefits paid
  up to the end of cover are development month 0; a payment `m` calendar months after
  the end month is development month `m`. Only payments up to the valuation date count —
  the estimate never looks ahead.
* factor j→j+1 = Σ cumulative paid to month j+1 ÷ Σ cumulative paid to month j, over the
  history projects observed at least j+1 months after their end (volume weighted).
* a project at development month k (0 while still in cover) with benefits paid so far C
  is expected to pay C × (F(k) − 1) more, F(k) the product of the factors from k on.
* for a project with `dues-cover: "year"` the cohort is its current (or, after the end,
  its last) project year: C and a history project's "within cover" are the benefits paid
  in that year, since the tail of earlier years has already been paid during it.

No finished project with benefits → no history: the estimate is unknown (None) and the
reports say so instead of showing zero. A project past the last observed month gets 0.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import convert, data

from hzledger.figures.cover import member_fund, members_of, project_year
from hzledger.figures.numbers import ONE, ZERO, cents
from hzledger.model import Fund, LedgerModel

STILL_PAYING_DAYS = 92  # a benefit paid in the last quarter before the valuation date


@dataclass(frozen=True)
class BenefitLine:
    """One benefit payment: fund, date, amount and the number of cases it pays."""

    fund: str
    date: datetime.date
    amount: Decimal  # positive: benefit paid
    claims: int  # cases, counted on exactly one fund (`member_fund`'s rule)


def benefit_lines(entries: Iterable[data.Directive], model: LedgerModel) -> list[BenefitLine]:
    currency = model.operating_currency
    accounts = model.accounts
    out: list[BenefitLine] = []
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        per_fund: dict[str, Decimal] = {}
        for posting in entry.postings:
            info = accounts.get(posting.account)
            if info is None or info.kind != "benefit" or info.fund is None:
                continue
            weight = convert.get_weight(posting)
            if weight.currency != currency or weight.number is None:
                continue
            per_fund[info.fund] = per_fund.get(info.fund, ZERO) + weight.number
        if not per_fund:
            continue
        cases = members_of(entry.meta, "claims")
        counted = member_fund(per_fund) if cases else None
        for fund, amount in per_fund.items():
            out.append(BenefitLine(fund, entry.date, amount, cases if fund == counted else 0))
    return out


def months_after(end: datetime.date, date: datetime.date) -> int:
    """Development month of a payment: 0 up to the end of cover, then calendar months."""
    if date <= end:
        return 0
    return max(1, (date.year - end.year) * 12 + date.month - end.month)


@dataclass(frozen=True)
class HistoryProject:
    """A finished project whose claims history estimates the run-off of others."""

    code: str
    end: datetime.date
    within_cover: Decimal
    after_cover: Decimal
    observed_months: int
    by_month: dict[int, Decimal]


@dataclass(frozen=True)
class RunOff:
    """The estimate's method and inputs, as the solvency report states them."""

    as_of: datetime.date
    history: list[HistoryProject]
    factors: list[Decimal]  # factor j→j+1 for j = 0, 1, …
    estimates: dict[str, Decimal | None] = field(default_factory=dict)
    stages: dict[str, int] = field(default_factory=dict)
    still_paying: set[str] = field(default_factory=set)

    @property
    def horizon(self) -> int:
        """The furthest development month any history project has been observed to."""
        return max((h.observed_months for h in self.history), default=0)

    @property
    def has_history(self) -> bool:
        return bool(self.history)

    def to_ultimate(self, month: int) -> Decimal:
        out = ONE
        for f in self.factors[month:]:
            out *= f
        return out

    def method_zh(self) -> str:
        if not self.history:
            return (
                "未决赔款估计：账本中没有保障期已结束且有给付的项目，无历史给付进展可用，无法估计"
                "（只计账面未决赔款准备金）"
            )
        inputs = "；".join(
            f"{h.code} 保障期内给付 {h.within_cover:,.2f}、期满后 {h.after_cover:,.2f}"
            f"（已观察 {h.observed_months} 个月）"
            for h in self.history
        )
        factors = "、".join(f"{f:.4f}" for f in self.factors) or "无"
        return (
            f"未决赔款估计（给付进展法，截至 {self.as_of}）：以已结束项目的给付进展为历史——{inputs}；"
            f"逐月进展因子 {factors}；项目已付互助金 ×（至终进展因子 − 1）"
        )


def run_off(lines: list[BenefitLine], model: LedgerModel, as_of: datetime.date) -> RunOff:
    paid: dict[str, list[BenefitLine]] = {}
    for b in lines:
        if b.date <= as_of:
            paid.setdefault(b.fund, []).append(b)
    history: list[HistoryProject] = []
    for code, project in sorted(model.projects.items()):
        end = project.end
        if end is None or end >= as_of or code not in paid:
            continue
        cohort = _cohort_start(project, end)
        by_month: dict[int, Decimal] = {}
        for b in paid[code]:
            if b.date < cohort:
                continue
            m = months_after(end, b.date)
            by_month[m] = by_month.get(m, ZERO) + b.amount
        within = by_month.get(0, ZERO)
        if within <= 0:
            continue
        history.append(
            HistoryProject(
                code=code,
                end=end,
                within_cover=within,
                after_cover=sum((v for m, v in by_month.items() if m), ZERO),
                observed_months=months_after(end, as_of),
                by_month=by_month,
            )
        )
    factors: list[Decimal] = []
    horizon = max((h.observed_months for h in history), default=0)
    for j in range(horizon):
        num = den = ZERO
        for h in history:
            if h.observed_months < j + 1:
                continue
            cum_j = sum((v for m, v in h.by_month.items() if m <= j), ZERO)
            num += cum_j + h.by_month.get(j + 1, ZERO)
            den += cum_j
        factors.append(num / den if den else ONE)
    # Trailing factors of exactly one say nothing more is paid: drop them.
    while factors and factors[-1] == ONE:
        factors.pop()
    result = RunOff(as_of=as_of, history=history, factors=factors)
    for code, project in model.projects.items():
        if project.start is None or project.start > as_of:
            continue
        mine = paid.get(code, [])
        stage = months_after(project.end, as_of) if project.end else 0
        result.stages[code] = stage
        if any(
            b.date > (project.end or as_of) and (as_of - b.date).days < STILL_PAYING_DAYS
            for b in mine
        ) or (project.end is not None and (as_of - project.end).days < STILL_PAYING_DAYS):
            result.still_paying.add(code)
        if not history:
            result.estimates[code] = None
            continue
        cohort = _cohort_start(project, min(as_of, project.end or as_of))
        total = sum((b.amount for b in mine if b.date >= cohort), ZERO)
        result.estimates[code] = cents(total * (result.to_ultimate(stage) - ONE))
    return result


def _cohort_start(project: Fund, date: datetime.date) -> datetime.date:
    """First day of the cover whose benefits are developing at `date`."""
    if project.dues_cover == "year":
        year = project_year(project, date)
        if year is not None:
            return year[0]
    return datetime.date.min
