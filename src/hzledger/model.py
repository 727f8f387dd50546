"""The ledger model of LEDGER-SPEC §2–§6, parsed once into typed pydantic models.

`parse_model(entries, options_map)` reads the declarations (`hz-*` customs,
`open` kinds, `commodity` kinds, Fava budgets) and returns a `LedgerModel` plus
the HZ-POLICY findings for every malformed directive. It never raises on bad
input: a directive it cannot read becomes a finding at its own file and line.
The rules read this model; they never look at `custom` values themselves.
"""

from __future__ import annotations

import bisect
import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from beancount.core import data
from beancount.core.amount import Amount
from pydantic import BaseModel, ConfigDict, Field

from hzledger.budgets import parse_budgets
from hzledger.kinds import root_of
from hzledger.messages import Msg

FUND_CODE_RE = re.compile(r"[A-Z][A-Z0-9]{0,15}")
# Beancount's own link grammar: a decision id must be usable as `^ID`.
DECISION_ID_RE = re.compile(r"[A-Za-z0-9\-_/.]+")
DEADLINE_RE = re.compile(r"(\d\d)-(\d\d)")

# LEDGER-SPEC §7 HZ-META: the metadata keys the contract gives a meaning to.
CONTRACT_KEYS: frozenset[str] = frozenset(
    {
        "kind",
        "role",
        "restricted",
        "level",
        "parent",
        "start",
        "end",
        "filing",
        "filed",
        "actuarial",
        "dues-cover",
        "prepared-by",
        "approved-by",
        "members",
        "claims",
        "coverage-start",
        "coverage-end",
        "body",
        "limit",
        "document",
        "report",
    }
)
# Beancount's own metadata, never judged.
BEANCOUNT_KEYS: frozenset[str] = frozenset({"filename", "lineno"})

HZ_DIRECTIVES = ("hz-org", "hz-fund", "hz-project", "hz-policy", "hz-decision", "hz-audit")
DEFAULT_CURRENCY = "CNY"


class Money(BaseModel):
    """An amount and its currency."""

    model_config = ConfigDict(frozen=True)

    number: Decimal
    currency: str

    @classmethod
    def of(cls, amount: Amount) -> Money:
        return cls(number=amount.number or Decimal(0), currency=amount.currency)

    def __str__(self) -> str:
        return f"{self.number:,.2f} {self.currency}"


class Source(BaseModel):
    """Where a declaration stands: absolute file name and line, as Beancount reports it."""

    model_config = ConfigDict(frozen=True)

    file: str | None = None
    line: int | None = None

    @classmethod
    def of(cls, meta: data.Meta | None) -> Source:
        meta = meta or {}
        line = meta.get("lineno")
        return cls(file=meta.get("filename"), line=line if isinstance(line, int) else None)


@dataclass(frozen=True, slots=True)
class Problem:
    """A malformed declaration, for the rule named by `rule` to report (HZ-FUND, HZ-POLICY)."""

    rule: str
    entry: data.Directive
    msg: Msg


class Org(BaseModel):
    """The `hz-org` declaration: the organisation, its level and parent."""

    name: str
    level: Literal["city", "province"] | None = None
    parent: str | None = None
    date: datetime.date
    source: Source


class Fund(BaseModel):
    """A general fund (`hz-fund`) or a protection project (`hz-project`, art. 15/17)."""

    code: str
    name: str
    is_project: bool = False
    date: datetime.date
    start: datetime.date | None = None
    end: datetime.date | None = None
    filing: str | None = None
    filed: datetime.date | None = None
    actuarial: str | None = None
    # LEDGER-SPEC v1.1 §3: what one dues payment buys, "term" (default) or "year".
    dues_cover: str | None = None
    source: Source


class AccountInfo(BaseModel):
    """An opened account: root, fund, kind, bank role, opening date and currencies."""

    name: str
    root: str
    fund: str | None
    kind: str | None
    role: str | None = None
    open_date: datetime.date
    currencies: tuple[str, ...] = ()
    source: Source


class CommodityInfo(BaseModel):
    """A declared commodity and its kind."""

    currency: str
    kind: str | None
    name: str | None = None
    date: datetime.date
    source: Source


class Decision(BaseModel):
    """A collective decision (集体决策记录, art. 30)."""

    id: str
    title: str
    date: datetime.date
    body: str | None = None
    limit: Money | None = None
    document: str | None = None
    source: Source


class Audit(BaseModel):
    """An `hz-audit` record: which audit of which year, when, by whom."""

    kind: Literal["internal", "external"]
    year: int
    date: datetime.date
    report: str | None = None
    auditor: str | None = None
    source: Source


PolicyValue = Money | Decimal | str


class PolicyKey(BaseModel):
    """A policy key of the contract: its value type and default."""

    name: str
    type: Literal["amount", "number", "mm-dd"]
    default: PolicyValue | None


POLICY_KEYS: dict[str, PolicyKey] = {
    "large-amount": PolicyKey(
        name="large-amount",
        type="amount",
        default=Money(number=Decimal(500000), currency=DEFAULT_CURRENCY),
    ),
    "approval-amount": PolicyKey(name="approval-amount", type="amount", default=None),
    "term-max-years": PolicyKey(name="term-max-years", type="number", default=Decimal(3)),
    "audit-deadline": PolicyKey(name="audit-deadline", type="mm-dd", default="06-30"),
    "split-window-days": PolicyKey(name="split-window-days", type="number", default=Decimal(30)),
}
# Policy keys counted in whole days.
WHOLE_NUMBER_KEYS = frozenset({"split-window-days"})


class Policy(BaseModel):
    """Effective-dated policy values: each holds from its date until the next of its key."""

    timeline: dict[str, list[tuple[datetime.date, PolicyValue]]] = Field(default_factory=dict)

    def set(self, key: str, date: datetime.date, value: PolicyValue) -> None:
        line = self.timeline.setdefault(key, [])
        idx = bisect.bisect_right([d for d, _ in line], date)
        line.insert(idx, (date, value))

    def value(self, key: str, date: datetime.date) -> PolicyValue | None:
        line = self.timeline.get(key)
        if line:
            idx = bisect.bisect_right(line, date, key=lambda item: item[0])
            if idx:
                return line[idx - 1][1]
        return POLICY_KEYS[key].default

    def amount(self, key: str, date: datetime.date) -> Money | None:
        value = self.value(key, date)
        return value if isinstance(value, Money) else None

    def number(self, key: str, date: datetime.date) -> Decimal | None:
        value = self.value(key, date)
        return value if isinstance(value, Decimal) else None


class LedgerModel(BaseModel):
    """Everything the rules read from a ledger's declarations."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    title: str | None = None
    operating_currency: str = DEFAULT_CURRENCY
    org: Org | None = None
    funds: dict[str, Fund] = Field(default_factory=dict)
    accounts: dict[str, AccountInfo] = Field(default_factory=dict)
    commodities: dict[str, CommodityInfo] = Field(default_factory=dict)
    decisions: dict[str, Decision] = Field(default_factory=dict)
    audits: list[Audit] = Field(default_factory=list)
    policy: Policy = Field(default_factory=Policy)
    # account -> [Budget], as Fava reads `custom "budget"` (see hzledger.budgets).
    budgets: dict[str, Any] = Field(default_factory=dict)
    # Dates of every `custom "budget"` entry, sorted (HZ-A26: is a year budgeted at all?).
    budget_dates: list[datetime.date] = Field(default_factory=list)
    has_hz_directives: bool = False
    has_pads: bool = False
    # `open` and `hz-*` entries whose metadata has keys the contract doesn't know (HZ-META).
    unknown_keys: list[tuple[data.Directive, tuple[str, ...]]] = Field(default_factory=list)

    @property
    def projects(self) -> dict[str, Fund]:
        return {code: f for code, f in self.funds.items() if f.is_project}

    def fund_of(self, account: str) -> str | None:
        """The account's fund code if its second component is a declared fund."""
        parts = account.split(":", 2)
        if len(parts) > 1 and parts[1] in self.funds:
            return parts[1]
        return None

    def kind_of(self, account: str) -> str | None:
        info = self.accounts.get(account)
        return info.kind if info else None


def second_component(account: str) -> str | None:
    parts = account.split(":", 2)
    return parts[1] if len(parts) > 1 else None


class _Parser:
    """Accumulates the model and HZ-POLICY findings over the declaration entries."""

    def __init__(self, options_map: dict[str, Any]) -> None:
        currencies = options_map.get("operating_currency") or [DEFAULT_CURRENCY]
        self.model = LedgerModel(
            title=options_map.get("title"),
            operating_currency=currencies[0],
        )
        self.problems: list[Problem] = []
        self.customs: list[data.Custom] = []

    # -- reporting ---------------------------------------------------------------------------

    def problem(self, entry: data.Directive, rule: str, msg: Msg) -> None:
        self.problems.append(Problem(rule=rule, entry=entry, msg=msg))

    def malformed(self, entry: data.Custom, zh: str, en: str) -> None:
        self.problem(
            entry,
            "HZ-POLICY",
            Msg(
                f"“{entry.type}”指令格式错误：{zh}（见 LEDGER-SPEC 第6节）",
                f"malformed “{entry.type}” directive: {en} (see LEDGER-SPEC §6)",
            ),
        )

    # -- helpers -----------------------------------------------------------------------------

    def arg(
        self, entry: data.Custom, index: int, types: tuple[type, ...], what: str, en: str
    ) -> Any:
        values = entry.values or []
        if index >= len(values):
            self.malformed(entry, f"缺少参数：{what}", f"missing argument: {en}")
            return None
        value = values[index].value
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            self.malformed(
                entry,
                f"参数“{what}”类型错误（得到 {value!r}）",
                f"argument “{en}” has the wrong type (got {value!r})",
            )
            return None
        return value

    def meta(self, entry: data.Directive, key: str, types: tuple[type, ...], what: str) -> Any:
        """An optional metadata value of the given type; a wrong type is HZ-POLICY."""
        value = (entry.meta or {}).get(key)
        if value is None:
            return None
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            self.malformed(
                entry,  # type: ignore[arg-type]
                f"元数据 {key}（{what}）类型错误：{value!r}",
                f"metadata {key} has the wrong type: {value!r}",
            )
            return None
        return value

    # -- directives --------------------------------------------------------------------------

    def note_keys(self, entry: data.Directive) -> None:
        keys = tuple(
            key
            for key in entry.meta or ()
            if key not in CONTRACT_KEYS and key not in BEANCOUNT_KEYS and not key.startswith("__")
        )
        if keys:
            self.model.unknown_keys.append((entry, keys))

    def custom(self, entry: data.Custom) -> None:
        kind = entry.type
        if kind == "budget":
            self.customs.append(entry)
            return
        if not kind.startswith("hz-"):
            return
        self.model.has_hz_directives = True
        self.note_keys(entry)
        handler = {
            "hz-org": self.org,
            "hz-fund": self.fund,
            "hz-project": self.project,
            "hz-policy": self.policy,
            "hz-decision": self.decision,
            "hz-audit": self.audit,
        }.get(kind)
        if handler is None:
            self.malformed(
                entry,
                f"未知的指令类型 {kind}（可用：{'、'.join(HZ_DIRECTIVES)}）",
                f"unknown directive type {kind} (known: {', '.join(HZ_DIRECTIVES)})",
            )
            return
        handler(entry)

    def org(self, entry: data.Custom) -> None:
        name = self.arg(entry, 0, (str,), "组织名称", "organisation name")
        if name is None:
            return
        level = self.meta(entry, "level", (str,), "city 或 province")
        if level is None and "level" not in entry.meta:
            self.malformed(entry, "缺少 level（city 或 province，第三十七条）", "missing level")
        elif level is not None and level not in ("city", "province"):
            self.malformed(
                entry, f"level 应为 city 或 province，而不是 {level!r}", f"bad level {level!r}"
            )
            level = None
        if self.model.org is not None:
            self.malformed(entry, "hz-org 重复声明", "hz-org declared twice")
            return
        self.model.org = Org(
            name=name,
            level=level,
            parent=self.meta(entry, "parent", (str,), "上级工会"),
            date=entry.date,
            source=Source.of(entry.meta),
        )

    def _declare_fund(self, entry: data.Custom, *, is_project: bool) -> Fund | None:
        code = self.arg(entry, 0, (str,), "基金代码", "fund code")
        name = code and self.arg(entry, 1, (str,), "基金名称", "fund name")
        if code is None or name is None:
            return None
        if not FUND_CODE_RE.fullmatch(code):
            self.problem(
                entry,
                "HZ-FUND",
                Msg(
                    f"基金代码 {code!r} 不合格式：应为大写字母开头、最多16位的大写字母或数字"
                    "（[A-Z][A-Z0-9]{0,15}）",
                    f"fund code {code!r} is malformed: expected [A-Z][A-Z0-9]{{0,15}}",
                ),
            )
            return None
        if code in self.model.funds:
            first = self.model.funds[code].source
            self.problem(
                entry,
                "HZ-FUND",
                Msg(
                    f"基金代码 {code} 重复声明（首次声明于 {first.file}:{first.line}）；"
                    "每个基金或项目只能声明一次",
                    f"fund code {code} declared twice (first at {first.file}:{first.line})",
                ),
            )
            return None
        fund = Fund(
            code=code,
            name=name,
            is_project=is_project,
            date=entry.date,
            source=Source.of(entry.meta),
        )
        self.model.funds[code] = fund
        return fund

    def fund(self, entry: data.Custom) -> None:
        self._declare_fund(entry, is_project=False)

    def project(self, entry: data.Custom) -> None:
        fund = self._declare_fund(entry, is_project=True)
        if fund is None:
            return
        fund.start = self.meta(entry, "start", (datetime.date,), "保障起始日")
        fund.end = self.meta(entry, "end", (datetime.date,), "保障终止日")
        fund.filing = self.meta(entry, "filing", (str,), "备案文号")
        fund.filed = self.meta(entry, "filed", (datetime.date,), "备案日期")
        fund.actuarial = self.meta(entry, "actuarial", (str,), "测算报告")
        cover = self.meta(entry, "dues-cover", (str,), "会费保障口径")
        if cover is not None and cover not in ("term", "year"):
            self.malformed(
                entry,
                f'元数据 dues-cover 只能是 "term" 或 "year"：{cover!r}',
                f'metadata dues-cover must be "term" or "year": {cover!r}',
            )
            cover = None
        fund.dues_cover = cover

    def policy(self, entry: data.Custom) -> None:
        key = self.arg(entry, 0, (str,), "政策项", "policy key")
        if key is None:
            return
        spec = POLICY_KEYS.get(key)
        if spec is None:
            self.malformed(
                entry,
                f"未知的政策项 {key!r}（可用：{'、'.join(POLICY_KEYS)}）",
                f"unknown policy key {key!r} (known: {', '.join(POLICY_KEYS)})",
            )
            return
        value: PolicyValue | None
        if spec.type == "amount":
            raw = self.arg(entry, 1, (Amount,), f"{key} 金额（如 500000 CNY）", f"{key} amount")
            if raw is None:
                return
            if raw.number is None or raw.number < 0:
                self.malformed(entry, f"{key} 金额不能为负", f"{key} must not be negative")
                return
            if raw.currency != self.model.operating_currency:
                self.malformed(
                    entry,
                    f"{key} 应以记账本位币 {self.model.operating_currency} 计，而不是 {raw.currency}",
                    f"{key} must be in the operating currency {self.model.operating_currency}",
                )
                return
            value = Money.of(raw)
        elif spec.type == "number":
            raw = self.arg(entry, 1, (Decimal,), f"{key} 数值", f"{key} number")
            if raw is None:
                return
            if raw <= 0:
                self.malformed(entry, f"{key} 应为正数", f"{key} must be positive")
                return
            if key in WHOLE_NUMBER_KEYS and raw != raw.to_integral_value():
                self.malformed(entry, f"{key} 应为整数（天数）", f"{key} must be a whole number")
                return
            value = raw
        else:
            raw = self.arg(entry, 1, (str,), f'{key}（"MM-DD"）', f'{key} ("MM-DD")')
            if raw is None:
                return
            if parse_mm_dd(raw, 2000) is None:
                self.malformed(
                    entry, f'{key} 应为 "MM-DD"，而不是 {raw!r}', f'{key} must be "MM-DD"'
                )
                return
            value = raw
        self.model.policy.set(key, entry.date, value)

    def decision(self, entry: data.Custom) -> None:
        ident = self.arg(entry, 0, (str,), "决策编号", "decision id")
        title = ident and self.arg(entry, 1, (str,), "决策事项", "decision title")
        if ident is None or title is None:
            return
        if not DECISION_ID_RE.fullmatch(ident):
            self.malformed(
                entry,
                f"决策编号 {ident!r} 不能用作链接（只可含字母、数字和 -_/.）",
                f"decision id {ident!r} cannot be used as a link",
            )
            return
        if ident in self.model.decisions:
            first = self.model.decisions[ident].source
            self.malformed(
                entry,
                f"决策编号 {ident} 重复（首次声明于 {first.file}:{first.line}）",
                f"decision id {ident} declared twice",
            )
            return
        limit = self.meta(entry, "limit", (Amount,), "授权金额上限")
        if limit is not None and limit.currency != self.model.operating_currency:
            self.malformed(
                entry,
                f"limit 应以记账本位币 {self.model.operating_currency} 计，而不是 {limit.currency}",
                f"limit must be in the operating currency {self.model.operating_currency}",
            )
            limit = None
        self.model.decisions[ident] = Decision(
            id=ident,
            title=title,
            date=entry.date,
            body=self.meta(entry, "body", (str,), "决策机构"),
            limit=Money.of(limit) if limit is not None else None,
            document=self.meta(entry, "document", (str,), "决策文件"),
            source=Source.of(entry.meta),
        )

    def audit(self, entry: data.Custom) -> None:
        kind = self.arg(entry, 0, (str,), "审计类型（internal 或 external）", "audit kind")
        year_raw = kind and self.arg(entry, 1, (str, Decimal), "会计年度", "fiscal year")
        if kind is None or year_raw is None:
            return
        if kind not in ("internal", "external"):
            self.malformed(
                entry,
                f"审计类型应为 internal（内部稽核）或 external（外部审计），而不是 {kind!r}",
                f"audit kind must be internal or external, not {kind!r}",
            )
            return
        year_text = str(year_raw).strip()
        if not re.fullmatch(r"\d{4}", year_text):
            self.malformed(
                entry, f"会计年度应为四位年份，而不是 {year_raw!r}", f"bad fiscal year {year_raw!r}"
            )
            return
        self.model.audits.append(
            Audit(
                kind=kind,
                year=int(year_text),
                date=entry.date,
                report=self.meta(entry, "report", (str,), "报告"),
                auditor=self.meta(entry, "auditor", (str,), "审计机构"),
                source=Source.of(entry.meta),
            )
        )

    def open(self, entry: data.Open) -> None:
        self.note_keys(entry)
        meta = entry.meta or {}
        kind = meta.get("kind")
        role = meta.get("role")
        self.model.accounts[entry.account] = AccountInfo(
            name=entry.account,
            root=root_of(entry.account),
            fund=None,  # resolved once every fund is known
            kind=kind if isinstance(kind, str) else None,
            role=role if isinstance(role, str) else None,
            open_date=entry.date,
            currencies=tuple(entry.currencies or ()),
            source=Source.of(meta),
        )

    def commodity(self, entry: data.Commodity) -> None:
        meta = entry.meta or {}
        kind = meta.get("kind")
        name = meta.get("name")
        self.model.commodities[entry.currency] = CommodityInfo(
            currency=entry.currency,
            kind=kind if isinstance(kind, str) else None,
            name=name if isinstance(name, str) else None,
            date=entry.date,
            source=Source.of(meta),
        )

    def finish(self) -> None:
        for info in self.model.accounts.values():
            info.fund = self.model.fund_of(info.name)
        # Fava reports malformed budgets on its own Errors page.
        self.model.budgets = parse_budgets(self.customs)
        self.model.budget_dates = sorted(entry.date for entry in self.customs)


def parse_mm_dd(text: str, year: int) -> datetime.date | None:
    """`"06-30"` in a given year; Feb 29 falls back to Feb 28 in a common year."""
    match = DEADLINE_RE.fullmatch(text)
    if not match:
        return None
    month, day = int(match.group(1)), int(match.group(2))
    try:
        return datetime.date(year, month, day)
    except ValueError:
        if month == 2 and day == 29:
            return datetime.date(year, 2, 28)
        return None


def parse_model(
    entries: Sequence[data.Directive] | Iterable[data.Directive], options_map: dict[str, Any]
) -> tuple[LedgerModel, list[Problem]]:
    """Read every declaration of the ledger; transactions are skipped, not inspected."""
    parser = _Parser(options_map)
    txn_type = data.Transaction
    for entry in entries:
        etype = type(entry)
        if etype is txn_type:
            continue
        if etype is data.Custom:
            parser.custom(entry)  # type: ignore[arg-type]
        elif etype is data.Open:
            parser.open(entry)  # type: ignore[arg-type]
        elif etype is data.Commodity:
            parser.commodity(entry)  # type: ignore[arg-type]
        elif etype is data.Pad:
            parser.model.has_pads = True
    parser.finish()
    return parser.model, parser.problems
