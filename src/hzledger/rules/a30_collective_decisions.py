"""HZ-A30: large fund use needs a recorded collective decision; split payments (art. 30)."""

from __future__ import annotations

import datetime
import os
from collections import defaultdict, deque
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data

from hzledger.findings import Severity
from hzledger.messages import Msg, money
from hzledger.model import Money, Source
from hzledger.rules.base import Context, Rule
from hzledger.txn import TxnFacts

DECISION_TAG = "collective-decision"
_UNSET = Money(number=Decimal(-1), currency="")


# A payment under the large amount that may be part of a split: (date, amount, transaction).
_Piece = tuple[datetime.date, Decimal, data.Transaction]


@dataclass(slots=True)
class _Window:
    """One fund's recent undecided payments to one payee, oldest first, and their sum."""

    pieces: deque[_Piece]
    total: Decimal


class CollectiveDecisionRule(Rule):
    """HZ-A30: large fund use needs a recorded collective decision; split payments (art. 30)."""

    id = "HZ-A30"
    article = 30
    title_zh = "大额资金使用须集体决策并保留记录"
    title_en = "large fund use needs a recorded collective decision"

    def __init__(self) -> None:
        self.used: dict[str, Decimal] = defaultdict(Decimal)
        self.thresholds: dict[object, Money | None] = {}
        self.windows: dict[datetime.date, int] = {}
        # (fund, payee) -> sliding window of split-payment candidates.
        self.splits: dict[tuple[str, str], _Window] = {}
        # When windows that can no longer grow are next dropped (bounds memory).
        self.next_prune: datetime.date | None = None

    def _threshold(self, day: datetime.date, ctx: Context) -> Money | None:
        threshold = self.thresholds.get(day, _UNSET)
        if threshold is _UNSET:
            threshold = self.thresholds[day] = ctx.model.policy.amount("large-amount", day)
        return threshold

    def _window_days(self, day: datetime.date, ctx: Context) -> int:
        days = self.windows.get(day)
        if days is None:
            value = ctx.model.policy.number("split-window-days", day)
            days = self.windows[day] = int(value) if value is not None else 0
        return days

    def transaction(self, facts: TxnFacts, ctx: Context) -> None:
        txn = facts.txn
        use = facts.fund_use
        tagged = DECISION_TAG in (txn.tags or ())
        if not use and not txn.links and not tagged:
            return
        decisions = ctx.model.decisions
        linked = [decisions[link] for link in sorted(txn.links) if link in decisions]
        op = ctx.model.operating_currency
        threshold = self._threshold(txn.date, ctx)
        if threshold is not None and threshold.currency != op:
            threshold = None
        large = {f: u for f, u in use.items() if u >= threshold.number} if threshold else {}
        if large:
            fund, amount = max(large.items(), key=lambda item: item[1])
            what = f"基金 {fund} 动用资金 {money(amount, op)}，达到大额标准 {threshold}"
            what_en = f"fund {fund} uses {amount} {op}, at or above the large amount {threshold}"
            if not tagged:
                ctx.emit(
                    self,
                    txn,
                    Msg(
                        f"{what}，但未标注 #{DECISION_TAG}；大额资金使用必须集体决策并保留记录，"
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
                    Msg(
                        f"{what}，但未链接到已登记的集体决策（现有链接：{links}）；"
                        "请在 decisions 中登记 hz-decision 并以 ^决策编号 链接",
                        f"{what_en}, without a link to a declared decision",
                    ),
                    fund=fund,
                    detail="link",
                )
        elif tagged and not linked:
            # The tag claims a decision; whatever the amount, it must name a declared one.
            links = "、".join(sorted(txn.links or ())) or "无"
            ctx.emit(
                self,
                txn,
                Msg(
                    f"交易标注了 #{DECISION_TAG}，但未链接到已登记的集体决策（现有链接：{links}）；"
                    "请在 decisions 中登记 hz-decision 并以 ^决策编号 链接，或去掉该标签",
                    f"transaction tagged #{DECISION_TAG} links no declared decision "
                    f"(links: {', '.join(sorted(txn.links or ())) or 'none'})",
                ),
                fund=next(iter(use), None),
                detail="link",
            )
        if txn.payee and use and not linked and threshold:
            self._split(facts, threshold, ctx)
        total = facts.total_fund_use
        for decision in linked:
            if decision.date > txn.date:
                ctx.emit(
                    self,
                    txn,
                    Msg(
                        f"交易日期 {txn.date} 早于其链接的决策 {decision.id}（{decision.date}）；"
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
                    Msg(
                        f"决策 {decision.id} 授权上限 {limit}，链接到它的资金使用累计 "
                        f"{money(after, op)}（本笔 {money(total, op)}），超出授权；"
                        "超出部分须另行集体决策",
                        f"decision {decision.id} authorises up to {limit}; linked fund use "
                        f"reaches {after} {op}",
                    ),
                    fund=next(iter(use), None),
                    detail=f"limit:{decision.id}",
                )

    def _split(self, facts: TxnFacts, threshold: Money, ctx: Context) -> None:
        """Split payments (化整为零): pieces to one payee that together reach the large amount.

        One sliding window per fund and payee with a running sum: each transaction is
        added once and dropped once, so the detection stays linear.
        """
        txn = facts.txn
        payee = txn.payee or ""
        day = txn.date
        days = self._window_days(day, ctx)
        oldest = day - datetime.timedelta(days=days)
        if self.next_prune is None or day >= self.next_prune:
            # Each window is kept only while it has a piece young enough to be grouped.
            self.splits = {k: w for k, w in self.splits.items() if w.pieces[-1][0] >= oldest}
            self.next_prune = day + datetime.timedelta(days=max(days, 1))
        limit = threshold.number
        for fund, amount in facts.fund_use.items():
            if amount >= limit:
                continue
            key = (fund, payee)
            window = self.splits.get(key)
            if window is None:
                self.splits[key] = _Window(deque([(day, amount, txn)]), amount)
                continue
            pieces = window.pieces
            while pieces and pieces[0][0] < oldest:
                window.total -= pieces.popleft()[1]
            pieces.append((day, amount, txn))
            window.total += amount
            if len(pieces) < 2 or window.total < limit:
                continue
            op = threshold.currency
            others = [p for p in pieces if p[2] is not txn]
            named_zh = "、".join(f"{d} {money(a, op)}（{_where(t)}）" for d, a, t in others)
            named_en = ", ".join(f"{d} {a} {op} ({_where(t)})" for d, a, t in others)
            ctx.emit(
                self,
                txn,
                Msg(
                    f"基金 {fund} 在 {days} 天内分 {len(pieces)} 笔向“{txn.payee}”支付，合计 "
                    f"{money(window.total, op)}，达到大额标准 {threshold}，但每笔都低于该标准且都"
                    f"未链接集体决策（本笔 {money(amount, op)}；其余：{named_zh}）；疑似化整为零，"
                    "请就这笔资金使用集体决策，并用 ^决策编号 链接各笔",
                    f"fund {fund} pays {txn.payee} {window.total} {op} in {len(pieces)} "
                    f"transactions within {days} days, at or above the large amount {threshold}, "
                    f"each below it and none linked to a decision (this one {amount} {op}; "
                    f"the others: {named_en}): a split payment",
                ),
                fund=fund,
                severity=Severity.WARNING,
                detail=f"split:{txn.payee}",
            )
            # The group is reported; later payments start a new one.
            del self.splits[key]


def _where(txn: data.Transaction) -> str:
    src = Source.of(txn.meta)
    return f"{os.path.basename(src.file or '')}:{src.line}"
