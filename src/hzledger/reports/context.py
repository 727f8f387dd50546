"""One report run: the ledger, the period, the optional fund filter, shared balances."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from hzledger.model import Fund, LedgerModel
from hzledger.reports.balances import PeriodBalances
from hzledger.reports.common import Period, ReportError, ReportHeader
from hzledger.reports.source import ReportLedger

UNASSIGNED = "—"


@dataclass
class ReportContext:
    """A report's inputs: the checked ledger, the period and the fund in scope."""

    ledger: ReportLedger
    period: Period
    fund: str | None = None

    def __post_init__(self) -> None:
        if self.fund is not None and self.fund not in self.ledger.model.funds:
            known = "、".join(self.ledger.model.funds) or "（无）"
            raise ReportError(
                f"账本中没有基金或项目 {self.fund}（已声明：{known}）",
                f"no fund or project {self.fund} in the ledger (declared: {', '.join(self.ledger.model.funds)})",
            )

    @property
    def model(self) -> LedgerModel:
        return self.ledger.model

    @property
    def currency(self) -> str:
        return self.ledger.model.operating_currency

    @cached_property
    def balances(self) -> PeriodBalances:
        return self.ledger.figures.balances(self.period)

    def funds(self, *, projects_only: bool = False) -> list[Fund]:
        """The funds in scope: general funds first, then projects, each in code order."""
        funds = [
            f
            for f in self.ledger.model.funds.values()
            if (self.fund is None or f.code == self.fund) and (f.is_project or not projects_only)
        ]
        return sorted(funds, key=lambda f: (f.is_project, f.code))

    def active_projects(self) -> list[Fund]:
        """Projects that matter in the period: cover overlapping it, or money moving in it.

        A project whose cover ended years ago and saw no posting in the period would
        only add a row of zeros to the statistics a supervisor reads.
        """
        bal = self.balances
        moved = {bal.fund_of(a) for a, v in bal.flow.items() if v}
        period = self.period
        return [
            f
            for f in self.funds(projects_only=True)
            if f.code in moved
            or (
                f.start is not None
                and f.end is not None
                and f.start <= period.end
                and f.end >= period.start
            )
        ]

    def header(self, report: str, title_zh: str, title_en: str) -> ReportHeader:
        org = self.ledger.model.org
        return ReportHeader(
            report=report,
            title_zh=title_zh,
            title_en=title_en,
            ledger=self.ledger.path,
            organisation=self.ledger.title,
            level=org.level if org else None,
            parent=org.parent if org else None,
            currency=self.currency,
            period=self.period,
            fund=self.fund,
            ledger_errors=self.ledger.errors,
            ledger_warnings=self.ledger.warnings,
            notes=[
                f"{account} 持有没有{self.currency}成本的 {'、'.join(sorted(currencies))}，未计入金额"
                for account, currencies in sorted(self.balances.foreign.items())
            ],
        )
