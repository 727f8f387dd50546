"""Per-transaction facts, computed once and shared by every rule.

The engine builds one `TxnFacts` per transaction; the rules read it instead of
walking the postings again, which keeps the whole rule set to one pass. This is
the hot path of every check: plain slotted objects, no validation, no formatting.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from beancount.core import data

from hzledger.kinds import LIQUID_KINDS
from hzledger.model import LedgerModel, second_component

ZERO = Decimal(0)


class AccountFacts:
    """What the rules need to know about an account, resolved once per account."""

    __slots__ = ("fund", "kind", "liquid", "name", "role", "root")

    def __init__(self, name: str, model: LedgerModel) -> None:
        info = model.accounts.get(name)
        self.name = name
        self.root = name.split(":", 1)[0]
        if info is not None:
            self.fund = info.fund
            self.kind = info.kind
            self.role = info.role
        else:
            code = second_component(name)
            self.fund = code if code in model.funds else None
            self.kind = self.role = None
        self.liquid = self.kind in LIQUID_KINDS


class AccountIndex(dict[str, AccountFacts]):
    """account name -> AccountFacts, filled on first use."""

    def __init__(self, model: LedgerModel) -> None:
        super().__init__()
        self.model = model

    def __missing__(self, name: str) -> AccountFacts:
        facts = self[name] = AccountFacts(name, self.model)
        return facts


class PostingFacts:
    """A posting with its account's declared facts and its weight."""

    __slots__ = (
        "acc",
        "account",
        "currency",
        "fund",
        "kind",
        "number",
        "posting",
        "role",
        "root",
        "weight_currency",
        "weight_number",
    )

    def __init__(self, posting: data.Posting, acc: AccountFacts) -> None:
        self.posting = posting
        self.acc = acc
        self.account = acc.name
        self.fund = acc.fund
        self.kind = acc.kind
        self.role = acc.role
        self.root = acc.root
        units = posting.units
        number = units.number if units is not None else None
        self.number: Decimal = number if number is not None else ZERO
        self.currency: str = units.currency if units is not None else ""
        # Weight as Beancount defines it (convert.get_weight), inlined for the common case.
        # After booking every cost is a Cost; a CostSpec never reaches the plugins.
        cost: Any = posting.cost
        price = posting.price
        self.weight_number: Decimal
        self.weight_currency: str
        if cost is not None and cost.number is not None:
            self.weight_number = self.number * cost.number
            self.weight_currency = cost.currency or self.currency
        elif price is not None and price.number is not None:
            self.weight_number = self.number * price.number
            self.weight_currency = price.currency or self.currency
        else:
            self.weight_number = self.number
            self.weight_currency = self.currency


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

    def __init__(self, txn: data.Transaction, index: AccountIndex, operating: str) -> None:
        self.txn = txn
        self.postings: list[PostingFacts] = []
        # (fund, currency) -> sum of weights; HZ-A17 wants every one of them zero.
        self.fund_sums: dict[tuple[str, str], Decimal] = {}
        self.fund_use: dict[str, Decimal] = {}
        self.undeclared_fund = False
        self.has_income = False
        self.has_expenses = False
        sums = self.fund_sums
        liquid: dict[str, Decimal] | None = None
        for posting in txn.postings:
            acc = index[posting.account]
            pf = PostingFacts(posting, acc)
            self.postings.append(pf)
            root = acc.root
            if root == "Income":
                self.has_income = True
            elif root == "Expenses":
                self.has_expenses = True
            fund = acc.fund
            if fund is None:
                self.undeclared_fund = True
                continue
            key = (fund, pf.weight_currency)
            sums[key] = sums.get(key, ZERO) + pf.weight_number
            if acc.liquid and pf.currency == operating:
                if liquid is None:
                    liquid = {}
                liquid[fund] = liquid.get(fund, ZERO) + pf.number
        if liquid:
            # Fund use (spec §5): minus the fund's cash/bank postings, when positive.
            self.fund_use = {f: -v for f, v in liquid.items() if v < 0}

    @property
    def funds(self) -> set[str]:
        return {fund for fund, _ in self.fund_sums}

    @property
    def total_fund_use(self) -> Decimal:
        return sum(self.fund_use.values(), ZERO)


def fund_use(txn: data.Transaction, model: LedgerModel) -> dict[str, Decimal]:
    """Fund use of a transaction per fund (LEDGER-SPEC §5); never negative."""
    return TxnFacts(txn, AccountIndex(model), model.operating_currency).fund_use
