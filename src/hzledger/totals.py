"""Per-fund aggregates gathered during the engine's pass, for the supervisors' page.

Whole-ledger totals in the operating currency (weights, so bonds count at cost),
by account kind: the compliance page shows them beside the findings without
another pass. The pass only adds each posting's weight to its account; grouping
by fund and kind happens once, at the end. Period reports compute their own.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from pydantic import BaseModel, Field

from hzledger.figures.cover import member_fund
from hzledger.model import LedgerModel
from hzledger.txn import AccountFacts, TxnFacts

ZERO = Decimal(0)


class FundTotals(BaseModel):
    """One fund's income, spending, assets, liabilities and members, summed in the rules' pass."""

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
    """Accumulates account sums, members, claims and decision use from each transaction."""

    def __init__(self, model: LedgerModel) -> None:
        self.model = model
        self.operating = model.operating_currency
        # account -> operating-currency weight; grouped by fund and kind once, at the end.
        self.sums: dict[AccountFacts, Decimal] = {}
        self.counts: dict[tuple[str, str], int] = defaultdict(int)
        self.decision_use: dict[str, Decimal] = defaultdict(Decimal)

    def add(self, facts: TxnFacts) -> None:
        op = self.operating
        sums = self.sums
        dues: dict[str, Decimal] = {}
        benefits: dict[str, Decimal] = {}
        for pf in facts.postings:
            fund = pf.fund
            if fund is None or pf.weight_currency != op:
                continue
            acc = pf.acc
            sums[acc] = sums.get(acc, ZERO) + pf.weight_number
            kind = pf.kind
            if kind == "dues":
                dues[fund] = dues.get(fund, ZERO) + pf.weight_number
            elif kind == "benefit":
                benefits[fund] = benefits.get(fund, ZERO) + pf.weight_number
        txn = facts.txn
        # A batch split over funds counts once, by the reports' own rule.
        if dues:
            self._count(member_fund(dues), "members", txn.meta.get("members"))
        if benefits:
            self._count(member_fund(benefits), "claims", txn.meta.get("claims"))
        if txn.links and facts.fund_use:
            for link in txn.links:
                if link in self.model.decisions:
                    self.decision_use[link] += facts.total_fund_use

    def _count(self, fund: str, key: str, value: object) -> None:
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            self.counts[(fund, key)] += int(value)

    def result(self) -> dict[str, FundTotals]:
        grouped: dict[str, dict[str, dict[str, Decimal]]] = {
            code: defaultdict(dict) for code in self.model.funds
        }
        for acc, amount in self.sums.items():
            if acc.fund in grouped:
                by_kind = grouped[acc.fund][acc.root]
                kind = acc.kind or "?"
                by_kind[kind] = by_kind.get(kind, ZERO) + amount
        out: dict[str, FundTotals] = {}
        for code, sums in grouped.items():
            out[code] = FundTotals(
                fund=code,
                # Income, liabilities and net assets are credits: shown positive.
                income_by_kind={k: -v for k, v in sums.get("Income", {}).items()},
                expenses_by_kind=dict(sums.get("Expenses", {})),
                assets_by_kind=dict(sums.get("Assets", {})),
                liabilities_by_kind={k: -v for k, v in sums.get("Liabilities", {}).items()},
                equity=-sum(sums.get("Equity", {}).values(), ZERO),
                members=self.counts.get((code, "members"), 0),
                claims=self.counts.get((code, "claims"), 0),
            )
        return out
