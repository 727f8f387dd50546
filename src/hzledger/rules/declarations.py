"""Rules on declarations: funds (HZ-FUND), kinds (HZ-KIND), malformed directives (HZ-POLICY),
and the kinds allowed for income (art. 24), spending (art. 25) and assets (art. 28)."""

from __future__ import annotations

from typing import ClassVar

from hzledger.kinds import (
    ASSET_KINDS_ALLOWED,
    ASSET_KINDS_PROHIBITED,
    BANK_ROLES,
    EQUITY_KINDS,
    EXPENSE_KINDS,
    INCOME_KINDS,
    LIABILITY_KINDS,
    label,
)
from hzledger.messages import Msg
from hzledger.model import second_component
from hzledger.rules.base import Context, Rule
from hzledger.txn import TxnFacts

FUND_ROOTS = ("Assets", "Liabilities", "Equity", "Income", "Expenses")


def _kinds(kinds: frozenset[str] | dict[str, str]) -> str:
    return "、".join(sorted(kinds))


class ParsedFindings(Rule):
    """Reports the model parser's problems that carry this rule's id."""

    def declarations(self, ctx: Context) -> None:
        for problem in ctx.problems:
            if problem.rule == self.id:
                ctx.emit(self, problem.entry, problem.msg)


class PolicyRule(ParsedFindings):
    id = "HZ-POLICY"
    article = 27
    title_zh = "hz-* 指令格式"
    title_en = "hz-* directives well-formed"


class FundRule(ParsedFindings):
    id = "HZ-FUND"
    article = 17
    title_zh = "账户归属已声明的基金（不同保障活动项目单独核算）"
    title_en = "every account belongs to a declared fund"

    def declarations(self, ctx: Context) -> None:
        super().declarations(ctx)
        known = "、".join(sorted(ctx.model.funds)) or "（无）"
        for info in ctx.model.accounts.values():
            if info.root not in FUND_ROOTS or info.fund is not None:
                continue
            code = second_component(info.name)
            ctx.emit(
                self,
                info.source,
                Msg(
                    f"账户 {info.name} 的第二级 {code or '（缺失）'} 不是已声明的基金或项目"
                    f"（已声明：{known}）；请用 hz-fund/hz-project 声明该基金，"
                    "或把账户放到所属基金代码之下",
                    f"account {info.name}: second component {code or '(missing)'} is not a "
                    f"declared fund (declared: {', '.join(sorted(ctx.model.funds)) or 'none'})",
                ),
                date=info.open_date,
                detail=info.name,
            )


class KindRule(Rule):
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
                            f"（可用：{_kinds(allowed)}）",
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


class _KindTableRule(Rule):
    """An account root whose kinds must come from one table of the regulation."""

    root: ClassVar[str]
    kinds: ClassVar[frozenset[str]]
    # What is wrong and how to put it right; {account} and {kind} are filled in.
    message_zh: ClassVar[str]
    message_en: ClassVar[str]

    def declarations(self, ctx: Context) -> None:
        for info in ctx.model.accounts.values():
            if info.root != self.root or info.kind is None or info.kind in self.kinds:
                continue
            ctx.emit(
                self,
                info.source,
                Msg(
                    self.message_zh.format(account=info.name, kind=info.kind),
                    self.message_en.format(account=info.name, kind=info.kind),
                ),
                fund=info.fund,
                date=info.open_date,
                detail=info.name,
            )


class IncomeSourcesRule(_KindTableRule):
    id = "HZ-A24"
    article = 24
    root = "Income"
    kinds = frozenset(INCOME_KINDS)
    title_zh = "收入只能来自五项资金来源"
    title_en = "income only from the five allowed sources"
    message_zh = (
        "收入账户 {account} 的类型“{kind}”不属于五项资金来源（会费 dues、捐赠 donation、"
        "资助补助 subsidy、服务收入 service、利息 interest、其他合法收入 other）；"
        "请改为其中之一，或停止此类收入"
    )
    message_en = (
        "income account {account} has kind {kind!r}, not one of the five sources "
        f"({', '.join(INCOME_KINDS)})"
    )


class SpendingCategoriesRule(_KindTableRule):
    id = "HZ-A25"
    article = 25
    root = "Expenses"
    kinds = EXPENSE_KINDS
    title_zh = "支出只能用于三类范围"
    title_en = "spending only in the three allowed categories"
    message_zh = (
        "支出账户 {account} 的类型“{kind}”不在三类支出范围内（互助金 benefit；会员服务 "
        "relief/health/culture/publicity/legal/member-service；管理 admin/payroll/office）；"
        "请改为其中之一"
    )
    message_en = (
        "expense account {account} has kind {kind!r}, outside the three categories "
        f"({', '.join(sorted(EXPENSE_KINDS))})"
    )


class InvestmentsRule(Rule):
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
                    f"不得兴建、改建办公场所（允许的类型：{_kinds(ASSET_KINDS_ALLOWED)}）",
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
