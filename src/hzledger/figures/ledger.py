"""`LedgerFigures`: every derived figure of one loaded ledger, computed once and cached.

A report context, the compliance page and the roll-up each hold the same object for a
load, so a figure asked for twice is computed once, by one rule.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from functools import cached_property

from beancount.core import data
from pydantic import BaseModel

from hzledger.figures.admin import AdminFigures, admin_figures
from hzledger.figures.claims import BenefitLine, RunOff, benefit_lines, run_off
from hzledger.figures.cover import DuesLine, dues_lines
from hzledger.figures.numbers import ZERO, cents, ratio
from hzledger.figures.solvency import OrgSolvency, ProjectSolvency, org_solvency, project_solvency
from hzledger.model import Fund, LedgerModel
from hzledger.reports.balances import PeriodBalances
from hzledger.reports.common import Period


class CoverStatistics(BaseModel):
    """One project's business figures for a cover period (art. 18, 35).

    members  人次 of dues batches whose cover overlaps the period
    dues     dues earned in the period (each payment's cover, pro rata by days)
    benefits benefits for cover in the period: a payment after the cover's end belongs
             to the last day of cover (run-off), so a year's payout ratio includes the
             benefits its members were paid later
    """

    code: str
    name: str
    members: int
    claims: int
    dues: Decimal
    benefits: Decimal
    payout_ratio: Decimal | None
    average_benefit: Decimal | None


class LedgerFigures:
    """Every derived figure of one load, each computed once and shared."""

    def __init__(self, entries: Sequence[data.Directive], model: LedgerModel) -> None:
        self.entries = list(entries)
        self.model = model
        self._balances: dict[Period, PeriodBalances] = {}
        self._runoff: dict[datetime.date, RunOff] = {}
        self._solvency: dict[datetime.date, list[ProjectSolvency]] = {}

    @cached_property
    def dues(self) -> list[DuesLine]:
        return dues_lines(self.entries, self.model)

    @cached_property
    def benefits(self) -> list[BenefitLine]:
        return benefit_lines(self.entries, self.model)

    @cached_property
    def last_date(self) -> datetime.date | None:
        dates = [e.date for e in self.entries if isinstance(e, data.Transaction)]
        return max(dates) if dates else None

    @cached_property
    def first_date(self) -> datetime.date | None:
        dates = [e.date for e in self.entries if isinstance(e, data.Transaction)]
        return min(dates) if dates else None

    def balances(self, period: Period) -> PeriodBalances:
        found = self._balances.get(period)
        if found is None:
            found = self._balances[period] = PeriodBalances(self.entries, self.model, period)
        return found

    def run_off(self, as_of: datetime.date) -> RunOff:
        found = self._runoff.get(as_of)
        if found is None:
            found = self._runoff[as_of] = run_off(self.benefits, self.model, as_of)
        return found

    def solvency(self, period: Period) -> list[ProjectSolvency]:
        """Every project's solvency at the period's last day, in code order."""
        as_of = period.end
        found = self._solvency.get(as_of)
        if found is not None:
            return found
        bal = self.balances(period)
        runoff = self.run_off(as_of)
        by_fund: dict[str, list[DuesLine]] = {}
        for d in self.dues:
            by_fund.setdefault(d.fund, []).append(d)
        found = [
            project_solvency(
                project,
                as_of,
                bal.by_kind("Assets", code, "closing"),
                {k: -v for k, v in bal.by_kind("Liabilities", code, "closing").items()},
                by_fund.get(code, []),
                runoff,
            )
            for code, project in sorted(self.model.projects.items())
        ]
        self._solvency[as_of] = found
        return found

    def org_solvency(self, period: Period, funds: set[str] | None = None) -> OrgSolvency:
        return org_solvency(
            [p for p in self.solvency(period) if funds is None or p.code in funds], period.end
        )

    def admin(self, period: Period, funds: Sequence[str]) -> AdminFigures:
        bal = self.balances(period)
        return admin_figures(bal.by_kind("Expenses", code, "flow") for code in funds)

    def cover_statistics(self, period: Period, project: Fund) -> CoverStatistics:
        start, end = period.start, period.end
        members = 0
        dues = ZERO
        for d in self.dues:
            if d.fund != project.code:
                continue
            if d.covers(start, end):
                members += d.members
            days = d.cover_days
            if days:
                dues += cents(d.amount * d.overlap_days(start, end) / days)
        claims = 0
        benefits = ZERO
        for b in self.benefits:
            if b.fund != project.code:
                continue
            when = min(b.date, project.end) if project.end else b.date
            if start <= when <= end:
                benefits += b.amount
                claims += b.claims
        return CoverStatistics(
            code=project.code,
            name=project.name,
            members=members,
            claims=claims,
            dues=dues,
            benefits=benefits,
            payout_ratio=ratio(benefits, dues),
            average_benefit=cents(benefits / claims) if claims else None,
        )
