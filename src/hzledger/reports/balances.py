"""Account balances over a period, computed by Beancount's own realization.

Every balance is at cost in the operating currency (`Inventory.reduce(get_cost)`),
so treasury bonds held in units count at what was paid for them. Holdings that
have no cost in the operating currency are kept aside in `foreign` so a report
can say it left them out rather than silently dropping them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import cached_property

from beancount.core import convert, data, realization

from hzledger.model import LedgerModel
from hzledger.reports.common import ZERO, Period


def _realize(
    entries: Iterable[data.Directive],
    keep: Callable[[datetime.date], bool],
    currency: str,
    foreign: dict[str, set[str]],
) -> dict[str, Decimal]:
    txns = [e for e in entries if isinstance(e, data.Transaction) and keep(e.date)]
    root = realization.realize(txns)
    result: dict[str, Decimal] = {}
    for real in realization.iter_children(root):
        if real.balance.is_empty():
            continue
        for position in real.balance.reduce(convert.get_cost):
            if position.units.currency == currency:
                result[real.account] = result.get(real.account, ZERO) + position.units.number
            elif position.units.number:
                foreign[real.account].add(position.units.currency)
    return result


class PeriodBalances:
    """Opening balances (before the period), flows within it, closing = opening + flow.

    Each side is realized only when first asked for: the quarterly statistics need
    the flows alone.
    """

    def __init__(self, entries: list[data.Directive], model: LedgerModel, period: Period) -> None:
        self.entries = entries
        self.model = model
        self.period = period
        self.foreign: dict[str, set[str]] = defaultdict(set)

    @cached_property
    def opening(self) -> dict[str, Decimal]:
        start = self.period.start
        return _realize(
            self.entries, lambda d: d < start, self.model.operating_currency, self.foreign
        )

    @cached_property
    def flow(self) -> dict[str, Decimal]:
        return _realize(
            self.entries, self.period.contains, self.model.operating_currency, self.foreign
        )

    def closing(self, account: str) -> Decimal:
        return self.opening.get(account, ZERO) + self.flow.get(account, ZERO)

    @cached_property
    def accounts(self) -> set[str]:
        return set(self.opening) | set(self.flow)

    def fund_of(self, account: str) -> str | None:
        return self.model.fund_of(account)

    def kind_of(self, account: str) -> str | None:
        return self.model.kind_of(account)

    def by_kind(
        self, root: str, fund: str | None, which: str, funds: set[str] | None = None
    ) -> dict[str, Decimal]:
        """Sum per kind of one root's accounts in one fund (or in `funds` when fund is None).

        `which` is "opening", "flow" or "closing". Accounts without a declared kind
        sum under the empty string.
        """
        sums: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for account in self.flow if which == "flow" else self.accounts:
            if account.split(":", 1)[0] != root:
                continue
            owner = self.fund_of(account)
            if fund is not None and owner != fund:
                continue
            if fund is None and funds is not None and owner not in funds:
                continue
            if which == "opening":
                value = self.opening.get(account, ZERO)
            elif which == "flow":
                value = self.flow.get(account, ZERO)
            else:
                value = self.closing(account)
            if value:
                sums[self.kind_of(account) or ""] += value
        return dict(sums)


def period_balances(
    entries: Iterable[data.Directive], model: LedgerModel, period: Period
) -> PeriodBalances:
    return PeriodBalances(list(entries), model, period)
