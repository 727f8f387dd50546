"""What each dues payment buys (LEDGER-SPEC v1.1 §3, §5; art. 18, 19, 23).

Every dues posting of a project gets one cover period, decided in this order:

1. `coverage-start` / `coverage-end` on the posting, else on the transaction (dates, both
   ends inclusive) — what the payment itself says wins;
2. the project's `dues-cover: "year"`: the project year (12 months from a `start`
   anniversary) that contains the payment date, the first project year when paid before
   `start`, never past `end`;
3. otherwise (`dues-cover: "term"`, the default) the whole term `start`..`end`.

From the cover follow the unearned-dues reserve at a date (the part of the cover still to
come) and the dues earned in a period (the part of the cover inside it), both pro rata by
days and rounded to the cent per payment. A payment without a usable cover stays wholly
unearned (the cautious reading) and is reported.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from beancount.core import convert, data

from hzledger.figures.numbers import ZERO, cents
from hzledger.model import Fund, LedgerModel

Basis = Literal["coverage", "year", "term", "none"]
BASIS_ZH = {
    "coverage": "coverage-start/end 元数据",
    "year": 'dues-cover: "year"（项目年度）',
    "term": "项目保障期（dues-cover: term）",
    "none": "无保障期间（全额计提）",
}
ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class DuesLine:
    """One dues posting of a project with the cover it buys and the members it counts."""

    fund: str
    date: datetime.date
    account: str
    narration: str
    file: str | None
    line: int | None
    amount: Decimal  # positive: dues received
    cover_start: datetime.date | None
    cover_end: datetime.date | None
    basis: Basis
    members: int  # persons of the batch, counted on exactly one posting (see `member_fund`)

    @property
    def usable(self) -> bool:
        return self.basis != "none" and self.cover_start is not None and self.cover_end is not None

    @property
    def cover_days(self) -> int | None:
        if not self.usable or self.cover_start is None or self.cover_end is None:
            return None
        return (self.cover_end - self.cover_start).days + 1

    def days_left(self, as_of: datetime.date) -> int | None:
        if not self.usable or self.cover_start is None or self.cover_end is None:
            return None
        first = max(self.cover_start, as_of + ONE_DAY)
        return max(0, (self.cover_end - first).days + 1)

    def unearned(self, as_of: datetime.date) -> Decimal:
        """Reserve at as_of for cover still to come; a payment after as_of is not yet held."""
        if self.date > as_of:
            return ZERO
        days, left = self.cover_days, self.days_left(as_of)
        if days is None or left is None:
            return self.amount
        return cents(self.amount * left / days)

    def overlap_days(self, start: datetime.date, end: datetime.date) -> int:
        if not self.usable or self.cover_start is None or self.cover_end is None:
            return 0
        lo, hi = max(start, self.cover_start), min(end, self.cover_end)
        return max(0, (hi - lo).days + 1)

    def earned(self, start: datetime.date, end: datetime.date) -> Decimal:
        """Dues earned in start..end: the share of the cover inside it, for money received by end."""
        days = self.cover_days
        if self.date > end or days is None:
            return ZERO
        return cents(self.amount * self.overlap_days(start, end) / days)

    def covers(self, start: datetime.date, end: datetime.date) -> bool:
        return self.overlap_days(start, end) > 0


def add_years(date: datetime.date, years: int) -> datetime.date:
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 February in a common year
        return date.replace(year=date.year + years, day=28)


def project_year(project: Fund, date: datetime.date) -> tuple[datetime.date, datetime.date] | None:
    """The project year containing `date` (the first one before `start`), clipped to `end`."""
    start, end = project.start, project.end
    if start is None or end is None or end < start:
        return None
    k = 0
    if date >= start:
        k = date.year - start.year
        if add_years(start, k) > date:
            k -= 1
    year_start = add_years(start, k)
    if year_start > end:  # paid after the end (HZ-A15): the last project year
        while year_start > end and k > 0:
            k -= 1
            year_start = add_years(start, k)
    year_end = min(end, add_years(start, k + 1) - ONE_DAY)
    return year_start, year_end


def _date_meta(metas: Iterable[data.Meta | None], key: str) -> datetime.date | None:
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


def cover_of(
    project: Fund, txn: data.Transaction, posting: data.Posting
) -> tuple[datetime.date | None, datetime.date | None, Basis]:
    metas = (posting.meta, txn.meta)
    start = _date_meta(metas, "coverage-start")
    end = _date_meta(metas, "coverage-end")
    if start is not None or end is not None:
        # One end given by metadata: the other from the project's own rule.
        default = _default_cover(project, txn.date)
        start = start or (default[0] if default else None)
        end = end or (default[1] if default else None)
        if start is not None and end is not None and start <= end:
            return start, end, "coverage"
        return start, end, "none"  # kept for the detail table, but no cover to spread over
    default = _default_cover(project, txn.date)
    if default is None:
        return None, None, "none"
    return default[0], default[1], "year" if project.dues_cover == "year" else "term"


def _default_cover(
    project: Fund, date: datetime.date
) -> tuple[datetime.date, datetime.date] | None:
    if project.dues_cover == "year":
        return project_year(project, date)
    if project.start is None or project.end is None or project.end < project.start:
        return None
    return project.start, project.end


def member_fund(amounts: dict[str, Decimal]) -> str:
    """The one member-attribution rule for a dues transaction split over funds.

    Its `members:` count once, for the fund whose dues postings are largest (ties: the
    first fund code), so no report and no page counts the same persons twice.
    """
    return min(amounts, key=lambda f: (-abs(amounts[f]), f))


def members_of(meta: data.Meta | None, key: str) -> int:
    value = (meta or {}).get(key)
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return 0
    return int(value)


def dues_lines(entries: Iterable[data.Directive], model: LedgerModel) -> list[DuesLine]:
    """Every dues posting of a declared project, in ledger order, with its cover."""
    currency = model.operating_currency
    projects = model.projects
    accounts = model.accounts
    out: list[DuesLine] = []
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        found: list[tuple[Fund, data.Posting, Decimal]] = []
        for posting in entry.postings:
            info = accounts.get(posting.account)
            if info is None or info.kind != "dues" or info.fund not in projects:
                continue
            weight = convert.get_weight(posting)
            if weight.currency != currency or weight.number is None:
                continue
            found.append((projects[info.fund], posting, -weight.number))
        if not found:
            continue
        per_fund: dict[str, Decimal] = {}
        for fund, _p, amount in found:
            per_fund[fund.code] = per_fund.get(fund.code, ZERO) + amount
        members = members_of(entry.meta, "members")
        counted = member_fund(per_fund) if members else None
        for fund, posting, amount in found:
            start, end, basis = cover_of(fund, entry, posting)
            share = 0
            if counted == fund.code:
                share, counted = members, None
            out.append(
                DuesLine(
                    fund=fund.code,
                    date=entry.date,
                    account=posting.account,
                    narration=entry.narration or entry.payee or "",
                    file=entry.meta.get("filename"),
                    line=entry.meta.get("lineno"),
                    amount=amount,
                    cover_start=start,
                    cover_end=end,
                    basis=basis,
                    members=share,
                )
            )
    return out
