"""HZ-A28: fund money only in bank deposits and treasury bonds (art. 28)."""

from __future__ import annotations

from typing_extensions import override

from hzledger.kinds import ASSET_KINDS_ALLOWED, ASSET_KINDS_PROHIBITED, label
from hzledger.messages import Msg
from hzledger.rules.base import Context, Rule, kind_list
from hzledger.txn import TxnFacts


class InvestmentsRule(Rule):
    """HZ-A28: fund money only in bank deposits and treasury bonds (art. 28)."""

    id = "HZ-A28"
    article = 28
    title_zh = "资金只能存银行、买国债等低风险固定收益产品"
    title_en = "funds only in bank deposits and treasury bonds"

    def __init__(self) -> None:
        self.bad_accounts: set[str] = set()
        self.bad_commodities: set[str] = set()

    @staticmethod
    def _describe(kind: str) -> str:
        if kind in ASSET_KINDS_PROHIBITED:
            return f"禁止的类型“{kind}”（{label(kind)}）"
        return f"未知的类型“{kind}”"

    def declarations(self, ctx: Context) -> None:
        for info in ctx.model.accounts.values():
            if info.root != "Assets" or info.kind is None or info.kind in ASSET_KINDS_ALLOWED:
                continue
            self.bad_accounts.add(info.name)
            ctx.emit(
                self,
                info.source,
                Msg(
                    f"资产账户 {info.name} 为{self._describe(info.kind)}；资金只能用于银行存款、"
                    "购买国债等低风险固定收益类产品，不得购买股票、基金、债券、期货、理财产品，"
                    f"不得兴建、改建办公场所（允许的类型：{kind_list(ASSET_KINDS_ALLOWED)}）",
                    f"asset account {info.name} has prohibited or unknown kind {info.kind!r}",
                ),
                fund=info.fund,
                date=info.open_date,
                detail=info.name,
            )
        for com in ctx.model.commodities.values():
            if com.kind is None or com.kind in ASSET_KINDS_ALLOWED:
                continue
            self.bad_commodities.add(com.currency)
            ctx.emit(
                self,
                com.source,
                Msg(
                    f"商品 {com.currency}{'（' + com.name + '）' if com.name else ''}为"
                    f"{self._describe(com.kind)}，不是允许持有的资产",
                    f"commodity {com.currency} has prohibited or unknown kind {com.kind!r}",
                ),
                date=com.date,
                detail=com.currency,
            )

    @override
    def watches_transactions(self, ctx: Context) -> bool:
        return bool(self.bad_accounts or self.bad_commodities)

    def transaction(self, facts: TxnFacts, ctx: Context) -> None:
        for pf in facts.postings:
            if pf.number <= 0:
                continue
            if pf.account in self.bad_accounts or pf.currency in self.bad_commodities:
                what = pf.account if pf.account in self.bad_accounts else pf.currency
                ctx.emit(
                    self,
                    facts.txn,
                    Msg(
                        f"交易增持了禁止或未知类型的资产：{pf.account} 增加 "
                        f"{pf.number:,} {pf.currency}"
                        + (f"（商品 {what}）" if what != pf.account else "")
                        + f"；基金 {pf.fund or ''} 的资金不得用于股票、基金、债券、期货、理财等"
                        "金融产品或兴建办公场所，请撤销该投资",
                        f"transaction increases a prohibited holding {what}: {pf.account} "
                        f"+{pf.number} {pf.currency}",
                    ),
                    fund=pf.fund,
                    detail=pf.account,
                )
                return
