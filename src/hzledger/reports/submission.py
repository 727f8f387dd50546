"""`hzledger report submission`: what an organisation reports up the union hierarchy (art. 35).

One JSON document per organisation and year: its statistics, fund totals and per-project
solvency (the same `hzledger.figures` the other reports show), its `hz-org` level and
parent, a summary of `hzledger check`, the hzledger version, and a SHA-256 digest over
the ledger's files. A supervising union rolls submissions up without the raw ledgers;
a roll-up is itself a submission one level up (`hzledger.reports.rollup`).

The digest hashes, in path order, each file Beancount loaded (relative to the folder of
the top-level file, then a NUL byte, then the file's bytes and a NUL byte), so a ledger
that changed by one byte no longer matches a submission made from it.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Literal

from beancount.core import data
from pydantic import BaseModel, Field, computed_field

from hzledger import __version__
from hzledger.figures.numbers import ZERO
from hzledger.figures.solvency import OrgSolvency
from hzledger.reports.common import Period, ReportHeader
from hzledger.reports.context import ReportContext
from hzledger.reports.funds import funds_report
from hzledger.reports.solvency import solvency_report
from hzledger.reports.source import ReportLedger
from hzledger.reports.statistics import statistics_report
from hzledger.reports.tables import Table

LEVEL_ZH = {"city": "市级", "province": "省级", "national": "全国"}


class CheckSummary(BaseModel):
    """The submission file's record of the check: `FindingCounts`' figures, as written to JSON."""

    errors: int
    warnings: int
    transactions: int
    rules: dict[str, int]
    first_errors: list[str] = []


class StatisticsSummary(BaseModel):
    """The submission's business statistics."""

    projects: int
    members: int
    claims: int
    dues: Decimal
    benefits: Decimal
    admin: Decimal
    expenses: Decimal
    payout_ratio: Decimal | None
    admin_ratio: Decimal | None


class FundsSummary(BaseModel):
    """The submission's fund totals."""

    opening: Decimal
    income: Decimal
    expenses: Decimal
    closing: Decimal
    cross_fund: Decimal


class ProjectSolvencyLine(BaseModel):
    """One project's solvency in the submission."""

    code: str
    name: str
    net_available: Decimal
    unearned_reserve: Decimal
    claims_booked: Decimal
    claims_estimated: Decimal | None
    obligations: Decimal
    ratio: Decimal | None
    below: bool
    status: str


class SolvencySummary(OrgSolvency):
    """The organisation line as `figures` computes it (never a pooled ratio), and its projects."""

    by_project: list[ProjectSolvencyLine] = Field(default_factory=list)


class Submission(BaseModel):
    """What an organisation reports upwards (art. 35); a roll-up is one too."""

    kind: Literal["submission"] = "submission"
    hzledger: str
    organisation: str
    level: str | None
    parent: str | None
    year: int | None
    period: Period
    source: str
    digest: str
    check: CheckSummary
    statistics: StatisticsSummary
    funds: FundsSummary
    solvency: SolvencySummary
    warnings: list[str] = []
    rows: list[OrgRow] = []  # only in a roll-up: the organisations it sums, nested by parent

    @computed_field  # type: ignore[prop-decorator]
    @property
    def header(self) -> ReportHeader:
        return ReportHeader(
            report="rollup" if self.rows else "submission",
            title_zh="汇总报送" if self.rows else "报送",
            title_en="Roll-up" if self.rows else "Submission",
            ledger=self.source,
            organisation=self.organisation,
            level=self.level,
            parent=self.parent,
            currency="CNY",
            period=self.period,
            ledger_errors=self.check.errors,
            ledger_warnings=self.check.warnings,
            notes=[*self.warnings, f"SHA-256 {self.digest}", f"hzledger {self.hzledger}"],
        )

    def tables(self) -> list[Table]:
        from hzledger.reports.rollup import rows_tables, submission_row

        rows = self.rows or [submission_row(self, "org", 0)]
        return rows_tables(rows)


class OrgRow(BaseModel):
    """One line of a roll-up: an organisation, a subtotal of one with its subordinates, or the total."""

    row: Literal["org", "subtotal", "total"] = "org"
    depth: int = 0
    # The organisation (a subtotal's: the one it sums with its subordinates); None for the total.
    organisation: str | None
    organisations: int = 1  # how many organisations the row sums
    level: str | None = None
    parent: str | None = None
    source: str = ""
    digest: str = ""
    period: Period | None = None
    status: Literal["ok", "errors"] = "ok"
    errors: int = 0
    warnings: int = 0
    projects: int = 0
    members: int = 0
    claims: int = 0
    dues: Decimal = ZERO
    benefits: Decimal = ZERO
    admin: Decimal = ZERO
    expenses: Decimal = ZERO
    payout_ratio: Decimal | None = None
    admin_ratio: Decimal | None = None
    opening: Decimal = ZERO
    income: Decimal = ZERO
    closing: Decimal = ZERO
    cross_fund: Decimal = ZERO
    net_available: Decimal = ZERO
    unearned_reserve: Decimal = ZERO
    claims_booked: Decimal = ZERO
    claims_estimated: Decimal | None = None
    obligations: Decimal = ZERO
    solvency_projects: int = 0
    projects_below: int = 0
    projects_unestimated: int = 0
    worst_ratio: Decimal | None = None
    worst_project: str | None = None


Submission.model_rebuild()


def ledger_digest(ledger: ReportLedger) -> tuple[str, int]:
    """SHA-256 over the files Beancount loaded for this ledger, and how many there were."""
    top = Path(ledger.options.get("filename") or ledger.path).resolve()
    files = sorted({Path(f).resolve() for f in ledger.options.get("include") or [top]})
    digest = hashlib.sha256()
    for file in files:
        try:
            rel = os.path.relpath(file, top.parent)
        except ValueError:  # another drive on Windows
            rel = str(file)
        digest.update(rel.replace(os.sep, "/").encode() + b"\0")
        digest.update(file.read_bytes() + b"\0")
    return digest.hexdigest(), len(files)


def year_warning(ledger: ReportLedger, period: Period) -> str | None:
    """A period with no transaction at all, outside the ledger's years, deserves a warning."""
    return period_warning(ledger.entries, period)


def period_warning(entries: Sequence[data.Directive], period: Period) -> str | None:
    """`year_warning` for any list of entries (`export journal` has no ReportLedger)."""
    dates = [e.date for e in entries if isinstance(e, data.Transaction)]
    if not dates:
        return "账本没有任何交易，报表各项为零"
    first, last = min(dates), max(dates)
    if period.end < first or period.start > last:
        return (
            f"期间 {period.label} 不在账本的记账范围（{first} 至 {last}）内，"
            "报表各项为零；请检查 --year"
        )
    return None


def submission_report(ctx: ReportContext) -> Submission:
    ledger = ctx.ledger
    stats_report = statistics_report(ctx)
    stats = stats_report.total
    funds = funds_report(ctx).total
    solvency = solvency_report(ctx)
    org = solvency.total
    digest, _files = ledger_digest(ledger)
    model_org = ledger.model.org
    warning = year_warning(ledger, ctx.period)
    return Submission(
        hzledger=__version__,
        organisation=ledger.title,
        level=model_org.level if model_org else None,
        parent=model_org.parent if model_org else None,
        year=ctx.period.start.year if ctx.period.is_year else None,
        period=ctx.period,
        source=ledger.path,
        digest=digest,
        check=CheckSummary(
            errors=ledger.errors,
            warnings=ledger.warnings,
            transactions=sum(1 for e in ledger.entries if isinstance(e, data.Transaction)),
            rules=ledger.rule_counts,
            first_errors=ledger.error_lines(limit=3),
        ),
        statistics=StatisticsSummary(
            projects=len(stats_report.projects),
            members=stats.members,
            claims=stats.claims,
            dues=stats.dues,
            benefits=stats.benefits,
            admin=stats.admin,
            expenses=stats.expenses_total,
            payout_ratio=stats.payout_ratio,
            admin_ratio=stats.admin_ratio,
        ),
        funds=FundsSummary(
            opening=funds.opening,
            income=funds.income_total,
            expenses=funds.expenses_total,
            closing=funds.closing,
            cross_fund=funds.difference,
        ),
        solvency=SolvencySummary(
            **org.model_dump(),
            by_project=[
                ProjectSolvencyLine(
                    code=p.code,
                    name=p.name,
                    net_available=p.net_available,
                    unearned_reserve=p.unearned_reserve,
                    claims_booked=p.claims_booked,
                    claims_estimated=p.claims_estimated,
                    obligations=p.obligations,
                    ratio=p.ratio,
                    below=p.below,
                    status=p.status,
                )
                for p in solvency.projects
            ],
        ),
        warnings=[warning] if warning else [],
    )
