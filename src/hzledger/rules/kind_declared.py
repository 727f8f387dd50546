"""HZ-KIND: accounts and commodities declare a kind from the tables (art. 17: national accounting rules)."""

from __future__ import annotations

from hzledger.kinds import BANK_ROLES, EQUITY_KINDS, LIABILITY_KINDS
from hzledger.messages import Msg
from hzledger.rules.base import Context, Rule, kind_list
from hzledger.txn import TxnFacts


class KindRule(Rule):
    """HZ-KIND: accounts and commodities declare a kind from the tables (art. 17: national accounting rules)."""

    id = "HZ-KIND"
    article = 17
    title_zh = "账户与商品声明 kind"
    title_en = "accounts and commodities declare a kind"

    def __init__(self) -> None:
        self.reported_currencies: set[str] = set()

    def declarations(self, ctx: Context) -> None:
        for info in ctx.model.accounts.values():
            if info.role is not None and info.role not in BANK_ROLES:
                ctx.emit(
                    self,
                    info.source,
                    Msg(
                        f"账户 {info.name} 的 role “{info.role}” 无效：只能是 collection（收入户）"
                        "或 expenditure（支出户）",
                        f"{info.name}: role {info.role!r} must be collection or expenditure",
                    ),
                    date=info.open_date,
                    detail=f"role:{info.name}",
                )
            if info.kind is None:
                ctx.emit(
                    self,
                    info.source,
                    Msg(
                        f'账户 {info.name} 的 open 缺少 kind 元数据（如 kind: "bank"），'
                        "hzledger 据此判断资金来源、支出范围和资产类别（LEDGER-SPEC 第4节）",
                        f"the open of {info.name} has no kind metadata (LEDGER-SPEC §4)",
                    ),
                    date=info.open_date,
                    detail=info.name,
                )
            elif info.root in ("Liabilities", "Equity"):
                allowed = LIABILITY_KINDS if info.root == "Liabilities" else EQUITY_KINDS
                if info.kind not in allowed:
                    ctx.emit(
                        self,
                        info.source,
                        Msg(
                            f"账户 {info.name} 的类型“{info.kind}”不是 {info.root} 允许的类型"
                            f"（可用：{kind_list(allowed)}）",
                            f"{info.name}: kind {info.kind!r} is not allowed under {info.root} "
                            f"(allowed: {', '.join(sorted(allowed))})",
                        ),
                        date=info.open_date,
                        detail=info.name,
                    )
        op = ctx.operating_currencies
        for com in ctx.model.commodities.values():
            if com.currency not in op and com.kind is None:
                self.reported_currencies.add(com.currency)
                ctx.emit(
                    self,
                    com.source,
                    Msg(
                        f"商品 {com.currency} 不是记账本位币，须在 commodity 指令上声明资产类型 kind"
                        '（如 kind: "treasury-bond"）',
                        f"commodity {com.currency} is not the operating currency and needs a kind",
                    ),
                    date=com.date,
                    detail=com.currency,
                )

    def transaction(self, facts: TxnFacts, ctx: Context) -> None:
        commodities = ctx.model.commodities
        op = ctx.operating_currencies
        for pf in facts.postings:
            cur = pf.currency
            if cur in op or cur in commodities or cur in self.reported_currencies or not cur:
                continue
            self.reported_currencies.add(cur)
            ctx.emit(
                self,
                facts.txn,
                Msg(
                    f"商品 {cur} 没有 commodity 声明；非本位币商品须用 commodity 指令声明资产类型 kind",
                    f"commodity {cur} is used without a commodity directive declaring its kind",
                ),
                fund=pf.fund,
                detail=cur,
            )
