"""HZ-A31: incompatible duties kept apart: who prepares does not approve (art. 31)."""

from __future__ import annotations

from hzledger.messages import Msg, money
from hzledger.rules.base import Context, Rule
from hzledger.txn import TxnFacts


class SeparationOfDutiesRule(Rule):
    """HZ-A31: incompatible duties kept apart: who prepares does not approve (art. 31)."""

    id = "HZ-A31"
    article = 31
    title_zh = "不相容岗位分离：制单与审批分设"
    title_en = "separation of incompatible duties"

    def transaction(self, facts: TxnFacts, ctx: Context) -> None:
        txn = facts.txn
        meta = txn.meta or {}
        prepared = meta.get("prepared-by")
        approved = meta.get("approved-by")
        if (
            prepared is not None
            and approved is not None
            and str(prepared).strip() == str(approved).strip()
        ):
            ctx.emit(
                self,
                txn,
                Msg(
                    f"制单人与审批人同为“{prepared}”；不相容岗位应当分离，请由另一人审批",
                    f"prepared-by and approved-by are the same person ({prepared})",
                ),
                fund=next(iter(facts.fund_use), None),
                detail="same",
            )
        if approved is not None or not facts.fund_use:
            return
        threshold = ctx.model.policy.amount("approval-amount", txn.date)
        if threshold is None or threshold.currency != ctx.model.operating_currency:
            return
        fund, amount = max(facts.fund_use.items(), key=lambda item: item[1])
        if amount >= threshold.number:
            ctx.emit(
                self,
                txn,
                Msg(
                    f"基金 {fund} 动用资金 {money(amount, threshold.currency)}，达到审批标准 "
                    f"{threshold}，但没有 approved-by（审批人）；请补记审批人",
                    f"fund {fund} uses {amount} {threshold.currency} (≥ {threshold}) "
                    "without approved-by",
                ),
                fund=fund,
                detail="approval",
            )
