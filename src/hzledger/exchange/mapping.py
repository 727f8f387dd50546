"""The mapping file: an organisation's set-up as one TOML file (`export mapping`).

It holds the chart of accounts — each (科目编码, 辅助核算 item) and the Beancount account,
kind, role and open date it stands for — and every declaration: the `hz-org`, funds and
projects with their metadata, policies, decisions, audits, budgets, commodities, and the
Fava options and queries. It is the template a migrating organisation fills in, and what
`import vouchers` builds a ledger from. The column names of the 序时账 and 科目余额表 are
here too, so a 用友 or 金蝶 export with its own headers can be read without editing it.
"""

from __future__ import annotations

import datetime
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hzledger.exchange import ExchangeError
from hzledger.messages import validation_message


class _Model(BaseModel):
    # TOML keys are hyphenated like the ledger's metadata (`prepared-by`); Python's are not.
    model_config = ConfigDict(
        extra="forbid", populate_by_name=True, alias_generator=lambda name: name.replace("_", "-")
    )


MetaValue = str | bool | int | datetime.date


class JournalColumns(_Model):
    """序时账 headers. The first eight are what a 用友/金蝶 export has; the rest are ours."""

    voucher: str = "凭证号"
    date: str = "日期"
    summary: str = "摘要"
    code: str = "科目编码"
    name: str = "科目名称"
    debit: str = "借方金额"
    credit: str = "贷方金额"
    item: str = "基金/项目"
    payee: str = "交易方"
    flag: str = "标记"
    tags: str = "标签"
    links: str = "链接"
    members: str = "参保人次"
    claims: str = "给付件数"
    prepared_by: str = "制单人"
    approved_by: str = "审批人"
    coverage_start: str = "保障起始日"
    coverage_end: str = "保障终止日"
    units: str = "数量"
    commodity: str = "商品"
    cost: str = "单位成本"
    cost_date: str = "成本日期"
    txn_meta: str = "交易元数据"
    posting_meta: str = "分录元数据"
    ledger_file: str = "分账本"


class TrialColumns(_Model):
    """Column names of a 科目余额表 to import."""

    code: str = "科目编码"
    name: str = "科目名称"
    item: str = "基金/项目"
    opening_debit: str = "期初借方余额"
    opening_credit: str = "期初贷方余额"
    debit: str = "本期借方发生额"
    credit: str = "本期贷方发生额"
    closing_debit: str = "期末借方余额"
    closing_credit: str = "期末贷方余额"
    holdings: str = "期末持有（数量与成本）"


class LedgerOptions(_Model):
    """The ledger's options in the mapping file."""

    title: str
    operating_currency: str = "CNY"
    documents: str | None = "documents"
    plugins: list[str] = Field(default_factory=lambda: ["hzledger.plugins.compliance"])


class OrgDecl(_Model):
    """The `hz-org` declaration in the mapping file."""

    name: str
    date: datetime.date
    level: Literal["city", "province"] | None = None
    parent: str | None = None
    meta: dict[str, MetaValue] = Field(default_factory=dict)


class FundDecl(_Model):
    """A fund or project declaration in the mapping file."""

    code: str
    name: str
    date: datetime.date
    project: bool = False
    start: datetime.date | None = None
    end: datetime.date | None = None
    filing: str | None = None
    filed: datetime.date | None = None
    actuarial: str | None = None
    dues_cover: str | None = None
    file: str | None = (
        None  # the sub-ledger; default funds/CODE.beancount or projects/CODE.beancount
    )
    meta: dict[str, MetaValue] = Field(default_factory=dict)

    @property
    def path(self) -> str:
        return self.file or f"{'projects' if self.project else 'funds'}/{self.code}.beancount"


class AccountDecl(_Model):
    """One account of the mapping: its code, fund item and Beancount account."""

    code: str
    item: str = ""
    account: str
    name: str = ""
    kind: str | None = None
    role: str | None = None
    restricted: bool | None = None
    open: datetime.date
    close: datetime.date | None = None
    currencies: list[str] = Field(default_factory=list)
    booking: str | None = None
    meta: dict[str, MetaValue] = Field(default_factory=dict)


class CommodityDecl(_Model):
    """A commodity declaration in the mapping file."""

    currency: str
    date: datetime.date
    kind: str | None = None
    name: str | None = None
    meta: dict[str, MetaValue] = Field(default_factory=dict)


class PolicyDecl(_Model):
    """An `hz-policy` value in the mapping file."""

    date: datetime.date
    key: str
    value: str  # "500000 CNY", "3" or "06-30", as the hz-policy line spells it


class DecisionDecl(_Model):
    """An `hz-decision` declaration in the mapping file."""

    id: str
    title: str
    date: datetime.date
    body: str | None = None
    limit: str | None = None  # "1200000 CNY"
    document: str | None = None
    meta: dict[str, MetaValue] = Field(default_factory=dict)


class AuditDecl(_Model):
    """An `hz-audit` record in the mapping file."""

    kind: str
    year: str
    date: datetime.date
    report: str | None = None
    auditor: str | None = None
    meta: dict[str, MetaValue] = Field(default_factory=dict)


class BudgetDecl(_Model):
    """A `custom "budget"` entry in the mapping file."""

    date: datetime.date
    account: str
    period: str
    amount: str  # "900000.00 CNY"


class FavaOptionDecl(_Model):
    """A `custom "fava-option"` entry in the mapping file."""

    date: datetime.date
    key: str
    value: str


class QueryDecl(_Model):
    """A saved query in the mapping file."""

    date: datetime.date
    name: str
    query: str


class Mapping(_Model):
    """The organisation's set-up as one file: options, declarations and the chart of accounts."""

    version: int = 1
    ledger: LedgerOptions
    org: OrgDecl | None = None
    journal_columns: JournalColumns = Field(default_factory=JournalColumns)
    trial_balance_columns: TrialColumns = Field(default_factory=TrialColumns)
    funds: list[FundDecl] = Field(default_factory=list)
    accounts: list[AccountDecl] = Field(default_factory=list)
    commodities: list[CommodityDecl] = Field(default_factory=list)
    policies: list[PolicyDecl] = Field(default_factory=list)
    decisions: list[DecisionDecl] = Field(default_factory=list)
    audits: list[AuditDecl] = Field(default_factory=list)
    budgets: list[BudgetDecl] = Field(default_factory=list)
    fava_options: list[FavaOptionDecl] = Field(default_factory=list)
    queries: list[QueryDecl] = Field(default_factory=list)

    def account_index(self) -> dict[tuple[str, str], AccountDecl]:
        return {(a.code, a.item): a for a in self.accounts}

    def fund_codes(self) -> set[str]:
        return {f.code for f in self.funds}


HEADER = """\
# hzledger 映射文件（hzledger export mapping 生成；迁移时按本单位情况填写）。
# [ledger] 选项；[org] 组织（hz-org）；[journal-columns]/[trial-balance-columns] 序时账与科目余额表的列名，
# 可改成本单位软件导出的表头；[[funds]] 基金与项目（hz-fund/hz-project，file 为分账本）；
# [[accounts]] 科目表：科目编码 code + 辅助核算 item（基金/项目代码）→ Beancount 账户、kind、role、开户日期；
# [[policies]] [[decisions]] [[audits]] [[budgets]] [[commodities]] [[fava-options]] [[queries]] 其余声明。
# 金额写作 "500000 CNY"。详见 docs/import-export.md。
"""


def _clean(value: Any) -> Any:
    """TOML has no null: drop Nones and empty tables/lists, recursively."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v is not None and v != {} and v != []}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    return value


def dump_mapping(mapping: Mapping) -> str:
    import tomli_w

    data = _clean(mapping.model_dump(by_alias=True, mode="python"))
    return HEADER + "\n" + tomli_w.dumps(data)


def load_mapping(path: Path) -> Mapping:
    file = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ExchangeError("找不到映射文件", "mapping file not found", file=file) from None
    except UnicodeDecodeError:
        raise ExchangeError(
            "映射文件不是 UTF-8 编码", "mapping file is not UTF-8", file=file
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ExchangeError(
            f"映射文件不是合法的 TOML：{exc}", f"mapping file is not valid TOML: {exc}", file=file
        ) from None
    try:
        mapping = Mapping.model_validate(raw)
    except ValidationError as exc:
        msg = validation_message(exc)
        raise ExchangeError(
            f"映射文件有误：{msg.zh}", f"invalid mapping file: {msg.en}", file=file
        ) from None
    from beancount.core.account import is_valid

    seen: dict[tuple[str, str], str] = {}
    for number, acc in enumerate(mapping.accounts, start=1):
        if not is_valid(acc.account):
            raise ExchangeError(
                f"[[accounts]] 第 {number} 项（科目编码 {acc.code}）的账户名 {acc.account!r} 不合 Beancount 规则："
                "以 Assets/Liabilities/Equity/Income/Expenses 开头，其后各级须以大写字母或数字开头"
                "（如 Assets:ZH:1002银行存款:J基本户）",
                f"accounts #{number}: {acc.account!r} is not a valid Beancount account name",
                file=file,
            )
        key = (acc.code, acc.item)
        if key in seen and seen[key] != acc.account:
            raise ExchangeError(
                f"科目编码 {acc.code}（{acc.item or '无辅助核算'}）对应了两个账户：{seen[key]} 和 {acc.account}",
                f"code {acc.code} ({acc.item}) maps to two accounts",
                file=file,
            )
        seen[key] = acc.account
    return mapping
