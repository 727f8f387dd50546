"""Per-transaction facts, computed once and shared by every rule.

The engine builds one `TxnFacts` per transaction; the rules read it instead of
walking the postings again, which keeps the whole rule set to one pass.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from beancount.core import convert, data

from hzledger.kinds import LIQUID_KINDS
from hzledger.model import AccountInfo, LedgerModel, second_component

ZERO = Decimal(0)


class PostingFacts:
    """A posting with its account's declared facts."""

    __slots__ = ("currency", "fund", "info", "number", "posting", "weight")

    def __init__(self, posting: data.Posting, info: AccountInfo | None, fund: str | None) -> None:
        self.posting = posting
        self.info = info
        self.fund = fund
        units = posting.units
        self.number: Decimal = units.number if units is not None and units.number is not None else ZERO
        self.currency: str = units.currency if units is not None else ""
        self.weight = convert.get_weight(posting)

    @property
    def account(self) -> str:
        return self.posting.account

    @property
    def kind(self) -> str | None:
        return self.info.kind if self.info else None

    @property
    def root(self) -> str:
        return self.info.root if self.info else self.posting.account.split(":", 1)[0]


class TxnFacts:
    """What the rules need to know about one transaction."""

    __slots__ = (
        "fund_sums",
        "fund_use",
        "has_expenses",
        "has_income",
        "postings",
        "txn",
        "undeclared_fund",
    )

    def __init__(self, txn: data.Transaction, model: LedgerModel) -> None:
        self.txn = txn
        accounts = model.accounts
        funds = model.funds
        op = model.operating_currency
        self.postings: list[PostingFacts] = []
        # fund -> currency -> sum of weights; checked against zero by HZ-A17.
        self.fund_sums: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        liquid: dict[str, Decimal] = {}
        self.undeclared_fund = False
        self.has_income = False
        self.has_expenses = False
        for posting in txn.postings:
            info = accounts.get(posting.account)
            if info is not None:
                fund = info.fund
            else:
                code = second_component(posting.account)
                fund = code if code in funds else None
            pf = PostingFacts(posting, info, fund)
            self.postings.append(pf)
            root = pf.root
            if root == "Income":
                self.has_income = True
            elif root == "Expenses":
                self.has_expenses = True
            if fund is None:
                self.undeclared_fund = True
                continue
            weight = pf.weight
            if weight.number is not None:
                self.fund_sums[fund][weight.currency] += weight.number
            if info is not None and info.kind in LIQUID_KINDS and pf.currency == op:
                liquid[fund] = liquid.get(fund, ZERO) + pf.number
        # Fund use (spec §5): minus the fund's cash/bank postings, when positive.
        self.fund_use: dict[str, Decimal] = {f: -v for f, v in liquid.items() if v < 0}

    @property
    def total_fund_use(self) -> Decimal:
        return sum(self.fund_use.values(), ZERO)


def fund_use(txn: data.Transaction, model: LedgerModel) -> dict[str, Decimal]:
    """Fund use of a transaction per fund (LEDGER-SPEC §5); never negative."""
    return TxnFacts(txn, model).fund_use
