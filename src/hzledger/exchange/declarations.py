"""From a ledger to its mapping file (`export mapping`) and from a mapping back to directives.

Both directions go through Beancount's own types: a declaration read from the mapping becomes
a `data.Custom`/`data.Open`/… and is written with Beancount's printer, so what lands in the
files is exactly what Beancount would write.
"""

from __future__ import annotations

import datetime
import os
from collections import defaultdict
from decimal import Decimal
from typing import Any

from beancount.core import account as account_type
from beancount.core import data
from beancount.core.amount import Amount
from beancount.parser.grammar import ValueType

from hzledger.exchange import ExchangeError
from hzledger.exchange.chart import build_chart
from hzledger.exchange.mapping import (
    AccountDecl,
    AuditDecl,
    BudgetDecl,
    CommodityDecl,
    DecisionDecl,
    FavaOptionDecl,
    FundDecl,
    LedgerOptions,
    Mapping,
    MetaValue,
    OrgDecl,
    PolicyDecl,
    QueryDecl,
)
from hzledger.model import LedgerModel

MAIN = "main.beancount"
DECISIONS = "decisions.beancount"
AUDITS = "audits.beancount"

_SKIP_META = {"filename", "lineno"}


def _meta_out(meta: data.Meta | None, known: set[str]) -> dict[str, MetaValue]:
    out: dict[str, MetaValue] = {}
    for key, value in (meta or {}).items():
        if key in _SKIP_META or key in known or key.startswith("__"):
            continue
        if isinstance(value, bool | str | datetime.date):
            out[key] = value
        elif isinstance(value, Decimal):
            out[key] = int(value) if value == value.to_integral_value() else str(value)
        elif isinstance(value, Amount):
            out[key] = value.to_string()
    return out


def _value(entry: data.Custom, index: int) -> Any:
    values = entry.values or []
    return values[index].value if index < len(values) else None


def _text(value: Any) -> str:
    if isinstance(value, Amount):
        return value.to_string()
    return str(value)


def _relative(meta: data.Meta | None, base: str) -> str | None:
    name = (meta or {}).get("filename")
    if not isinstance(name, str) or name.startswith("<"):
        return None
    rel = os.path.relpath(name, base)
    return None if rel.startswith("..") else rel.replace(os.sep, "/")


def build_mapping(
    entries: list[data.Directive], options: dict[str, Any], model: LedgerModel, ledger_path: str
) -> Mapping:
    base = os.path.dirname(os.path.abspath(ledger_path))
    documents = [
        os.path.relpath(d, base) if os.path.isabs(d) else d for d in options.get("documents") or []
    ]
    plugins = [name for name, _config in options.get("plugin") or []]
    currencies = options.get("operating_currency") or ["CNY"]
    mapping = Mapping(
        ledger=LedgerOptions(
            title=options.get("title") or (model.org.name if model.org else "未命名组织"),
            operating_currency=currencies[0],
            documents=documents[0] if documents else None,
            plugins=plugins,
        )
    )
    funds = set(model.funds)
    closes = {e.account: e.date for e in entries if isinstance(e, data.Close)}
    opens = [e for e in entries if isinstance(e, data.Open)]
    chart = build_chart([e.account for e in opens], funds)
    for entry in entries:
        if isinstance(entry, data.Open):
            meta = entry.meta or {}
            line = chart[entry.account]
            mapping.accounts.append(
                AccountDecl(
                    code=line.code,
                    item=line.item,
                    account=entry.account,
                    name=line.name,
                    kind=meta.get("kind") if isinstance(meta.get("kind"), str) else None,
                    role=meta.get("role") if isinstance(meta.get("role"), str) else None,
                    restricted=meta.get("restricted")
                    if isinstance(meta.get("restricted"), bool)
                    else None,
                    open=entry.date,
                    close=closes.get(entry.account),
                    currencies=list(entry.currencies or []),
                    booking=entry.booking.name if entry.booking else None,
                    meta=_meta_out(meta, {"kind", "role", "restricted"}),
                )
            )
        elif isinstance(entry, data.Commodity):
            meta = entry.meta or {}
            mapping.commodities.append(
                CommodityDecl(
                    currency=entry.currency,
                    date=entry.date,
                    kind=meta.get("kind") if isinstance(meta.get("kind"), str) else None,
                    name=meta.get("name") if isinstance(meta.get("name"), str) else None,
                    meta=_meta_out(meta, {"kind", "name"}),
                )
            )
        elif isinstance(entry, data.Query):
            mapping.queries.append(
                QueryDecl(date=entry.date, name=entry.name, query=entry.query_string)
            )
        elif isinstance(entry, data.Custom):
            _custom(mapping, entry, base)
    return mapping


def _custom(mapping: Mapping, entry: data.Custom, base: str) -> None:
    meta = entry.meta or {}
    kind = entry.type
    if kind == "hz-org":
        mapping.org = OrgDecl(
            name=_text(_value(entry, 0)),
            date=entry.date,
            level=meta.get("level") if meta.get("level") in ("city", "province") else None,
            parent=meta.get("parent") if isinstance(meta.get("parent"), str) else None,
            meta=_meta_out(meta, {"level", "parent"}),
        )
    elif kind in ("hz-fund", "hz-project"):
        known = {"start", "end", "filing", "filed", "actuarial", "dues-cover"}
        get = {k: meta.get(k) for k in known}
        mapping.funds.append(
            FundDecl(
                code=_text(_value(entry, 0)),
                name=_text(_value(entry, 1)),
                date=entry.date,
                project=kind == "hz-project",
                start=get["start"] if isinstance(get["start"], datetime.date) else None,
                end=get["end"] if isinstance(get["end"], datetime.date) else None,
                filing=get["filing"] if isinstance(get["filing"], str) else None,
                filed=get["filed"] if isinstance(get["filed"], datetime.date) else None,
                actuarial=get["actuarial"] if isinstance(get["actuarial"], str) else None,
                dues_cover=get["dues-cover"] if isinstance(get["dues-cover"], str) else None,
                file=_relative(meta, base),
                meta=_meta_out(meta, known),
            )
        )
    elif kind == "hz-policy":
        mapping.policies.append(
            PolicyDecl(date=entry.date, key=_text(_value(entry, 0)), value=_text(_value(entry, 1)))
        )
    elif kind == "hz-decision":
        limit = meta.get("limit")
        mapping.decisions.append(
            DecisionDecl(
                id=_text(_value(entry, 0)),
                title=_text(_value(entry, 1)),
                date=entry.date,
                body=meta.get("body") if isinstance(meta.get("body"), str) else None,
                limit=limit.to_string() if isinstance(limit, Amount) else None,
                document=meta.get("document") if isinstance(meta.get("document"), str) else None,
                meta=_meta_out(meta, {"body", "limit", "document"}),
            )
        )
    elif kind == "hz-audit":
        mapping.audits.append(
            AuditDecl(
                kind=_text(_value(entry, 0)),
                year=_text(_value(entry, 1)),
                date=entry.date,
                report=meta.get("report") if isinstance(meta.get("report"), str) else None,
                auditor=meta.get("auditor") if isinstance(meta.get("auditor"), str) else None,
                meta=_meta_out(meta, {"report", "auditor"}),
            )
        )
    elif kind == "budget":
        mapping.budgets.append(
            BudgetDecl(
                date=entry.date,
                account=_text(_value(entry, 0)),
                period=_text(_value(entry, 1)),
                amount=_text(_value(entry, 2)),
            )
        )
    elif kind == "fava-option":
        mapping.fava_options.append(
            FavaOptionDecl(
                date=entry.date, key=_text(_value(entry, 0)), value=_text(_value(entry, 1))
            )
        )


# -- back: mapping -> directives, grouped by the file they belong in ------------------------


def parse_amount(text: str, what: str) -> Amount:
    parts = text.split()
    try:
        if len(parts) != 2:
            raise ValueError(text)
        return Amount(Decimal(parts[0]), parts[1])
    except (ArithmeticError, ValueError):
        raise ExchangeError(
            f'映射文件中{what}应写作“金额 币种”（如 "500000 CNY"），而不是 {text!r}',
            f'{what} must read like "500000 CNY", not {text!r}',
        ) from None


def _meta_in(values: dict[str, Any]) -> data.Meta:
    meta: data.Meta = {}
    for key, value in values.items():
        if value is None:
            continue
        if isinstance(value, int) and not isinstance(value, bool):
            value = Decimal(value)
        meta[key] = value
    return meta


def _str(value: str) -> tuple[Any, type]:
    return (value, str)


def fund_of_account(account: str, funds: set[str]) -> str | None:
    parts = account.split(":", 2)
    return parts[1] if len(parts) > 1 and parts[1] in funds else None


def declaration_entries(mapping: Mapping) -> dict[str, list[data.Directive]]:
    """Every directive the mapping declares, keyed by the file (relative to the org) it goes in."""
    files: dict[str, list[data.Directive]] = defaultdict(list)
    funds = {f.code: f for f in mapping.funds}
    code_set = set(funds)
    cur = mapping.ledger.operating_currency

    def fund_file(account: str) -> str:
        code = fund_of_account(account, code_set)
        return funds[code].path if code else MAIN

    def custom(
        date: datetime.date, kind: str, values: list[tuple[Any, Any]], meta: dict[str, Any]
    ) -> data.Custom:
        return data.Custom(_meta_in(meta), date, kind, [ValueType(v, t) for v, t in values])

    if mapping.org:
        org = mapping.org
        files[MAIN].append(
            custom(
                org.date,
                "hz-org",
                [_str(org.name)],
                {"level": org.level, "parent": org.parent, **org.meta},
            )
        )
    for opt in mapping.fava_options:
        files[MAIN].append(custom(opt.date, "fava-option", [_str(opt.key), _str(opt.value)], {}))
    for policy in mapping.policies:
        raw = policy.value.strip()
        value: tuple[Any, Any]
        if len(raw.split()) == 2:
            amount = parse_amount(raw, f"政策 {policy.key} 的值")
            value = (amount, Amount)
        else:
            try:
                value = (Decimal(raw), Decimal)
            except ArithmeticError:
                value = _str(raw)
        files[MAIN].append(custom(policy.date, "hz-policy", [_str(policy.key), value], {}))
    for com in mapping.commodities:
        files[MAIN].append(
            data.Commodity(
                _meta_in({"kind": com.kind, "name": com.name, **com.meta}), com.date, com.currency
            )
        )
    for query in mapping.queries:
        files[MAIN].append(data.Query({}, query.date, query.name, query.query))
    for fund in mapping.funds:
        meta: dict[str, Any] = dict(fund.meta)
        if fund.project:
            meta = {
                "start": fund.start,
                "end": fund.end,
                "filing": fund.filing,
                "filed": fund.filed,
                "actuarial": fund.actuarial,
                "dues-cover": fund.dues_cover,
                **meta,
            }
        kind = "hz-project" if fund.project else "hz-fund"
        files[fund.path].append(custom(fund.date, kind, [_str(fund.code), _str(fund.name)], meta))
    for acc in mapping.accounts:
        from beancount.core.data import Booking

        booking = (
            Booking[acc.booking] if acc.booking and acc.booking in Booking.__members__ else None
        )
        meta = {"kind": acc.kind, "role": acc.role, "restricted": acc.restricted, **acc.meta}
        files[fund_file(acc.account)].append(
            data.Open(_meta_in(meta), acc.open, acc.account, list(acc.currencies) or None, booking)  # type: ignore[arg-type]
        )
        if acc.close:
            files[fund_file(acc.account)].append(data.Close({}, acc.close, acc.account))
    for budget in mapping.budgets:
        amount = parse_amount(budget.amount, f"预算 {budget.account} 的金额")
        files[fund_file(budget.account)].append(
            custom(
                budget.date,
                "budget",
                [(budget.account, account_type.TYPE), _str(budget.period), (amount, Amount)],
                {},
            )
        )
    for dec in mapping.decisions:
        limit = parse_amount(dec.limit, f"决策 {dec.id} 的 limit") if dec.limit else None
        files[DECISIONS].append(
            custom(
                dec.date,
                "hz-decision",
                [_str(dec.id), _str(dec.title)],
                {"body": dec.body, "limit": limit, "document": dec.document, **dec.meta},
            )
        )
    for audit in mapping.audits:
        files[AUDITS].append(
            custom(
                audit.date,
                "hz-audit",
                [_str(audit.kind), _str(audit.year)],
                {"auditor": audit.auditor, "report": audit.report, **audit.meta},
            )
        )
    del cur
    return files


def declaration_key(entry: data.Directive) -> tuple[Any, ...]:
    """What makes two declarations the same one (an existing ledger gets only what it lacks)."""
    if isinstance(entry, data.Open | data.Close):
        return (type(entry).__name__, entry.account)
    if isinstance(entry, data.Balance):
        return ("Balance", entry.account, entry.date)
    if isinstance(entry, data.Commodity):
        return ("Commodity", entry.currency)
    if isinstance(entry, data.Query):
        return ("Query", entry.name)
    if isinstance(entry, data.Custom):
        values = [v.value for v in entry.values or []]
        if entry.type in ("hz-fund", "hz-project"):
            return ("fund", str(values[0]) if values else "")
        if entry.type == "hz-org":
            return ("hz-org",)
        if entry.type in ("hz-decision",):
            return (entry.type, str(values[0]) if values else "")
        if entry.type in ("hz-policy", "fava-option"):
            return (entry.type, entry.date, str(values[0]) if values else "")
        return (entry.type, entry.date, tuple(str(v) for v in values))
    return (type(entry).__name__, entry.date)
