"""Money of one fund spent for another (art. 17, 22): what HZ-A17 finds, as figures.

A transaction whose postings of some declared fund do not sum to zero moved value from
one fund to another without going through interfund accounts. The fund whose postings
sum below zero paid; the fund whose postings sum above zero got the benefit.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import convert, data

from hzledger.figures.numbers import ZERO
from hzledger.model import LedgerModel

ARTICLES_ZH = "第十七条、第二十二条"


@dataclass(frozen=True)
class CrossFundPayment:
    """Money of one fund used for another in one transaction (art. 17, 22)."""

    date: datetime.date
    narration: str
    payer: str  # fund(s) whose money went out, "、"-joined
    beneficiary: str
    amount: Decimal
    file: str | None
    line: int | None

    @property
    def label_zh(self) -> str:
        return (
            f"挪用项目资金：{self.payer} 的资金 {self.amount:,.2f} 元用于 {self.beneficiary}"
            f"（违反{ARTICLES_ZH}：不同项目单独核算、资金专款专用）"
        )


def cross_fund_payments(
    entries: Iterable[data.Directive],
    model: LedgerModel,
    start: datetime.date,
    end: datetime.date,
) -> list[CrossFundPayment]:
    currency = model.operating_currency
    out: list[CrossFundPayment] = []
    for entry in entries:
        if not isinstance(entry, data.Transaction) or not start <= entry.date <= end:
            continue
        sums: dict[str, Decimal] = {}
        for posting in entry.postings:
            fund = model.fund_of(posting.account)
            weight = convert.get_weight(posting)
            if fund is None or fund not in model.funds or weight.currency != currency:
                continue
            sums[fund] = sums.get(fund, ZERO) + (weight.number or ZERO)
        payers = sorted(f for f, v in sums.items() if v < 0)
        gainers = sorted(f for f, v in sums.items() if v > 0)
        if not payers or not gainers:
            continue
        out.append(
            CrossFundPayment(
                date=entry.date,
                narration=entry.narration or entry.payee or "",
                payer="、".join(payers),
                beneficiary="、".join(gainers),
                amount=sum((sums[f] for f in gainers), ZERO),
                file=entry.meta.get("filename"),
                line=entry.meta.get("lineno"),
            )
        )
    return out
