"""HZ-A17: every fund balances on its own in every transaction (art. 17, 22)."""

from __future__ import annotations

from decimal import Decimal

from beancount.core import interpolate

from hzledger.messages import Msg
from hzledger.rules.base import Context, Rule
from hzledger.txn import TxnFacts


class SeparateFundsRule(Rule):
    """HZ-A17: every fund balances on its own in every transaction (art. 17, 22)."""

    id = "HZ-A17"
    article = 17
    title_zh = "各基金（项目）单独核算，资金不得跨基金使用"
    title_en = "each fund balances on its own; no spending across funds"

    def transaction(self, facts: TxnFacts, ctx: Context) -> None:
        # Only declared funds are judged: a transaction wholly outside them (a ledger not
        # written for hzledger) is HZ-FUND's to report. One declared fund and nothing
        # else balances by Beancount's own rule.
        sums = facts.fund_sums
        if not sums or (len(sums) == 1 and not facts.undeclared_fund):
            return
        tolerances: dict[str, Decimal] | None = None
        off: list[str] = []
        off_en: list[str] = []
        for (fund, currency), total in facts.fund_sums.items():
            if not total:
                continue
            if tolerances is None:
                tolerances = interpolate.infer_tolerances(facts.txn.postings, ctx.options)
            tol = tolerances.get(currency) or _default_tolerance(ctx, currency)
            if abs(total) > tol:
                off.append(f"{fund} {total:+,} {currency}")
                off_en.append(f"{fund} {total:+} {currency}")
        if off:
            funds = sorted({item.split(" ", 1)[0] for item in off})
            ctx.emit(
                self,
                facts.txn,
                Msg(
                    f"交易中各基金分录不平衡（{'；'.join(off)}）：一个基金的资金替另一个基金收支，"
                    "构成跨基金使用（第二十二条：不得侵占、挪用）；确需调剂的，"
                    "请通过双方的基金往来（interfund）账户记账，使每个基金各自平衡",
                    f"fund postings do not balance per fund ({'; '.join(off_en)}): money of one "
                    "fund pays for another; route real transfers through interfund accounts",
                ),
                fund=funds[0],
                detail=",".join(funds),
            )


def _default_tolerance(ctx: Context, currency: str) -> Decimal:
    defaults = ctx.options.get("inferred_tolerance_default") or {}
    return Decimal(defaults.get(currency, defaults.get("*", 0)))
