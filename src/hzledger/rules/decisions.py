"""HZ-A30 (collective decisions on large fund use) and HZ-A31 (separation of duties)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from hzledger.messages import Msg, money
from hzledger.model import Money
from hzledger.rules.base import Context, Rule
from hzledger.txn import TxnFacts

DECISION_TAG = "collective-decision"
_UNSET = Money(number=Decimal(-1), currency="")


class CollectiveDecisionRule(Rule):
    id = "HZ-A30"
    article = 30
    title_zh = "大额资金使用须集体决策并保留记录"
    title_en = "large fund use needs a recorded collective decision"

    def __init__(self) -> None:
        self.used: dict[str, Decimal] = defaultdict(Decimal)
        self.thresholds: dict[object, Money | None] = {}

    def transaction(self, facts: TxnFacts, ctx: Context) -> None:
        txn = facts.txn
        use = facts.fund_use
        if not use and not txn.links:
            return
        decisions = ctx.model.decisions
        linked = [decisions[link] for link in sorted(txn.links) if link in decisions]
        op = ctx.model.operating_currency
        threshold = self.thresholds.get(txn.date, _UNSET)
        if threshold is _UNSET:
            threshold = self.thresholds[txn.date] = ctx.model.policy.amount(
                "large-amount", txn.date
            )
        large = (
            {f: u for f, u in use.items() if u >= threshold.number}
            if threshold is not None and threshold.currency == op
            else {}
        )
        if large:
            fund, amount = max(large.items(), key=lambda item: item[1])
            what = f"基金 {fund} 动用资金 {money(amount, op)}，达到大额标准 {threshold}"
            what_en = f"fund {fund} uses {amount} {op}, at or above the large amount {threshold}"
            if DECISION_TAG not in (txn.tags or ()):
                ctx.emit(
                    self,
                    txn,
                    Msg(f"{what}，但未标注 #{DECISION_TAG}；大额资金使用必须集体决策并保留记录，"
                        "请补记 #collective-decision 标签并用 ^决策编号 链接 hz-decision 决策记录",
                        f"{what_en}, without #{DECISION_TAG}",
                    ),
                    fund=fund,
                    detail="tag",
                )
            elif not linked:
                links = "、".join(sorted(txn.links or ())) or "无"
                ctx.emit(
                    self,
                    txn,
                    Msg(f"{what}，但未链接到已登记的集体决策（现有链接：{links}）；"
                        "请在 decisions 中登记 hz-decision 并以 ^决策编号 链接",
                        f"{what_en}, without a link to a declared decision",
                    ),
                    fund=fund,
                    detail="link",
                )
        total = facts.total_fund_use
        for decision in linked:
            if decision.date > txn.date:
                ctx.emit(
                    self,
                    txn,
                    Msg(f"交易日期 {txn.date} 早于其链接的决策 {decision.id}（{decision.date}）；"
                        "集体决策应在资金使用之前作出",
                        f"transaction of {txn.date} links decision {decision.id} dated "
                        f"{decision.date}, after it",
                    ),
                    fund=next(iter(large or use), None),
                    detail=f"after:{decision.id}",
                )
            limit = decision.limit
            if limit is None or limit.currency != op or not total:
                continue
            before = self.used[decision.id]
            self.used[decision.id] = after = before + total
            if after > limit.number:
                ctx.emit(
                    self,
                    txn,
                    Msg(f"决策 {decision.id} 授权上限 {limit}，链接到它的资金使用累计 "
                        f"{money(after, op)}（本笔 {money(total, op)}），超出授权；"
                        "超出部分须另行集体决策",
                        f"decision {decision.id} authorises up to {limit}; linked fund use "
                        f"reaches {after} {op}",
                    ),
                    fund=next(iter(use), None),
                    detail=f"limit:{decision.id}",
                )


class SeparationOfDutiesRule(Rule):
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
                Msg(f"制单人与审批人同为“{prepared}”；不相容岗位应当分离，请由另一人审批",
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
                Msg(f"基金 {fund} 动用资金 {money(amount, threshold.currency)}，达到审批标准 "
                    f"{threshold}，但没有 approved-by（审批人）；请补记审批人",
                    f"fund {fund} uses {amount} {threshold.currency} (≥ {threshold}) "
                    "without approved-by",
                ),
                fund=fund,
                detail="approval",
            )
