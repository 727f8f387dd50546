"""Per-fund aggregates gathered during the engine's pass, for the supervisors' page.

Whole-ledger totals in the operating currency (weights, so bonds count at cost),
by account kind: the compliance page shows them beside the findings without
another pass. Period reports (`hzledger report`) compute their own.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from pydantic import BaseModel, Field

from hzledger.model import LedgerModel
from hzledger.txn import TxnFacts

ZERO = Decimal(0)


class FundTotals(BaseModel):
    fund: str
    income_by_kind: dict[str, Decimal] = Field(default_factory=dict)
    expenses_by_kind: dict[str, Decimal] = Field(default_factory=dict)
    assets_by_kind: dict[str, Decimal] = Field(default_factory=dict)
    liabilities_by_kind: dict[str, Decimal] = Field(default_factory=dict)
    equity: Decimal = ZERO
    members: int = 0
    claims: int = 0

    @property
    def income(self) -> Decimal:
        return sum(self.income_by_kind.values(), ZERO)

    @property
    def expenses(self) -> Decimal:
        return sum(self.expenses_by_kind.values(), ZERO)


class TotalsCollector:
    """Accumulates `FundTotals` from each transaction's facts."""

    def __init__(self, model: LedgerModel) -> None:
        self.model = model
        self.sums: dict[str, dict[str, dict[str, Decimal]]] = defaultdict(
            lambda: defaultdict(lambda: defaultdict(Decimal))
        )
        self.counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.decision_use: dict[str, Decimal] = defaultdict(Decimal)

    def add(self, facts: TxnFacts) -> None:
        op = self.model.operating_currency
        txn = facts.txn
        meta = txn.meta or {}
        dues_fund = benefit_fund = None
        for pf in facts.postings:
            weight = pf.weight
            if pf.fund is None or weight.currency != op or weight.number is None:
                continue
            self.sums[pf.fund][pf.root][pf.kind or "?"] += weight.number
            if pf.kind == "dues":
                dues_fund = pf.fund
            elif pf.kind == "benefit":
                benefit_fund = pf.fund
        if dues_fund and isinstance(meta.get("members"), (int, Decimal)):
            self.counts[dues_fund]["members"] += int(meta["members"])
        if benefit_fund and isinstance(meta.get("claims"), (int, Decimal)):
            self.counts[benefit_fund]["claims"] += int(meta["claims"])
        if txn.links and facts.fund_use:
            for link in txn.links:
                if link in self.model.decisions:
                    self.decision_use[link] += facts.total_fund_use

    def result(self) -> dict[str, FundTotals]:
        out: dict[str, FundTotals] = {}
        for code in self.model.funds:
            sums = self.sums.get(code, {})
            counts = self.counts.get(code, {})
            out[code] = FundTotals(
                fund=code,
                # Income and net assets are credits: shown positive.
                income_by_kind={k: -v for k, v in sums.get("Income", {}).items()},
                expenses_by_kind=dict(sums.get("Expenses", {})),
                assets_by_kind=dict(sums.get("Assets", {})),
                liabilities_by_kind={k: -v for k, v in sums.get("Liabilities", {}).items()},
                equity=-sum(sums.get("Equity", {}).values(), ZERO),
                members=counts.get("members", 0),
                claims=counts.get("claims", 0),
            )
        return out
