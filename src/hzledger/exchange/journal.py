"""The 序时账 (general journal): one row per posting, a voucher number per transaction.

Export writes the eight columns a 用友/金蝶 序时账 has (凭证号, 日期, 摘要, 科目编码, 科目名称,
借方金额, 贷方金额, 基金/项目 as the 辅助核算 item) and then the columns they lack and our import
reads when present — payee, flag, tags, links, `members`, `claims`, `prepared-by`,
`approved-by`, cover dates, units and cost of commodity postings, any other metadata (JSON),
the sub-ledger file — so that our own export comes back exactly.

Vouchers are numbered 记-0001… within each month, as 用友 does; an import groups rows by
(month, 凭证号).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from beancount.core import data
from beancount.core.amount import Amount
from beancount.core.number import ZERO
from beancount.core.position import Cost

from hzledger.exchange import ExchangeError, ExchangeErrors
from hzledger.exchange.chart import ChartLine
from hzledger.exchange.mapping import AccountDecl, JournalColumns, Mapping
from hzledger.exchange.sheets import (
    SheetOut,
    Table,
    cell_text,
    find_header,
    to_date,
    to_decimal,
    to_money,
)
from hzledger.exchange.trial import posting_weight

# Metadata with a column of its own; every other key travels in the JSON column.
_TXN_COLUMNS = {
    "members": "members",
    "claims": "claims",
    "prepared-by": "prepared_by",
    "approved-by": "approved_by",
    "coverage-start": "coverage_start",
    "coverage-end": "coverage_end",
}
_SKIP_META = {"filename", "lineno"}
_DATE_KEYS = {"coverage-start", "coverage-end"}
_INT_KEYS = {"members", "claims"}


def voucher_numbers(txns: list[data.Transaction]) -> list[str]:
    numbers: list[str] = []
    counters: dict[tuple[int, int], int] = {}
    for txn in txns:
        month = (txn.date.year, txn.date.month)
        counters[month] = counters.get(month, 0) + 1
        numbers.append(f"记-{counters[month]:04d}")
    return numbers


def _json_meta(meta: data.Meta | None, skip: set[str]) -> str:
    out: dict[str, Any] = {}
    for key, value in (meta or {}).items():
        if key in _SKIP_META or key in skip or key.startswith("__"):
            continue
        if isinstance(value, bool):
            out[key] = {"bool": value}
        elif isinstance(value, str):
            out[key] = value
        elif isinstance(value, Decimal):
            out[key] = {"number": str(value)}
        elif isinstance(value, datetime.date):
            out[key] = {"date": value.isoformat()}
        elif isinstance(value, Amount):
            out[key] = {"amount": value.to_string()}
    return json.dumps(out, ensure_ascii=False, sort_keys=True) if out else ""


def _json_meta_in(text: str, table: Table, row: int) -> data.Meta:
    try:
        raw = json.loads(text)
        if not isinstance(raw, dict):
            raise ValueError(text)
        meta: data.Meta = {}
        for key, value in raw.items():
            if isinstance(value, str):
                meta[key] = value
            elif "bool" in value:
                meta[key] = bool(value["bool"])
            elif "number" in value:
                meta[key] = Decimal(value["number"])
            elif "date" in value:
                meta[key] = datetime.date.fromisoformat(value["date"])
            elif "amount" in value:
                number, currency = value["amount"].split()
                meta[key] = Amount(Decimal(number), currency)
        return meta
    except (ValueError, TypeError, ArithmeticError, AttributeError):
        raise table.error(
            row, f"元数据列不是合法的 JSON：{text[:60]}", "bad metadata JSON"
        ) from None


def export_header(cols: JournalColumns) -> list[str]:
    return [
        cols.voucher,
        cols.date,
        cols.summary,
        cols.code,
        cols.name,
        cols.debit,
        cols.credit,
        cols.item,
        cols.payee,
        cols.flag,
        cols.tags,
        cols.links,
        cols.members,
        cols.claims,
        cols.prepared_by,
        cols.approved_by,
        cols.coverage_start,
        cols.coverage_end,
        cols.units,
        cols.commodity,
        cols.cost,
        cols.cost_date,
        cols.txn_meta,
        cols.posting_meta,
        cols.ledger_file,
    ]


def journal_sheet(
    txns: list[data.Transaction],
    chart: dict[str, ChartLine],
    cols: JournalColumns,
    currency: str,
    file_of: dict[int, str],
    titles: list[str],
) -> SheetOut:
    def rows() -> Iterator[list[Any]]:
        for number, txn in zip(voucher_numbers(txns), txns, strict=True):
            meta = txn.meta or {}
            txn_cols: list[Any] = []
            for key in _TXN_COLUMNS:
                value = meta.get(key)
                if isinstance(value, Decimal) and key in _INT_KEYS:
                    value = int(value) if value == value.to_integral_value() else value
                txn_cols.append(value if value is not None else "")
            extra = _json_meta(meta, set(_TXN_COLUMNS))
            for posting in txn.postings:
                line = chart.get(posting.account)
                units: Any = posting.units
                weight = posting_weight(posting)
                is_money = units.currency == currency and posting.cost is None
                cost: Any = posting.cost
                yield [
                    number,
                    txn.date,
                    txn.narration,
                    line.code if line else "",
                    line.name if line else posting.account,
                    weight if weight > 0 else "",
                    -weight if weight < 0 else "",
                    line.item if line else "",
                    txn.payee or "",
                    txn.flag if txn.flag not in ("*", None) else "",
                    " ".join(sorted(txn.tags or ())),
                    " ".join(sorted(txn.links or ())),
                    *txn_cols,
                    "" if is_money else units.number,
                    "" if is_money else units.currency,
                    cost.number if cost is not None else "",
                    cost.date if cost is not None and cost.date else "",
                    extra,
                    _json_meta(posting.meta, set()),
                    file_of.get(id(txn), ""),
                ]

    money = frozenset({5, 6, 20})
    return SheetOut(
        "序时账",
        export_header(cols),
        rows(),
        titles=titles,
        money=money,
        widths={0: 10, 1: 12, 2: 36, 3: 12, 4: 24, 5: 16, 6: 16},
    )


# -- import -------------------------------------------------------------------------------


@dataclass
class Voucher:
    """Rows of one voucher as read, before they become a transaction."""

    key: tuple[str, str]  # (YYYY-MM, 凭证号)
    number: str
    first_row: int
    table: Table
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


@dataclass
class ImportedTxn:
    """One voucher as a Beancount transaction, and the file it goes to."""

    txn: data.Transaction
    ledger_file: str | None
    where: str  # "file，工作表，第 N 行" of its first row, for messages


_REQUIRED = ("voucher", "date", "summary", "code", "debit", "credit")


def read_vouchers(tables: list[Table], mapping: Mapping, currency: str) -> list[ImportedTxn]:
    """Every voucher of every sheet, as balanced transactions; all bad rows reported at once."""
    cols = mapping.journal_columns
    index = mapping.account_index()
    by_code: dict[str, list[AccountDecl]] = {}
    for acc in mapping.accounts:
        by_code.setdefault(acc.code, []).append(acc)
    errors: list[ExchangeError] = []
    result: list[ImportedTxn] = []
    for table in tables:
        wanted = [getattr(cols, name) for name in _REQUIRED]
        try:
            header_row, found = find_header(table, wanted)
        except ExchangeError as exc:
            if len(tables) > 1 and table.sheet is not None:
                continue  # other sheets of the workbook (notes, summaries) are not journals
            raise exc
        columns = {
            name: found[getattr(cols, name)]
            for name in JournalColumns.model_fields
            if getattr(cols, name) in found
        }
        vouchers: dict[tuple[str, str], Voucher] = {}
        for number in range(header_row + 1, len(table.rows) + 1):
            raw = table.rows[number - 1]
            cells = {name: (raw[i] if i < len(raw) else "") for name, i in columns.items()}
            if not any(cell_text(v) for v in cells.values()):
                continue
            voucher = cell_text(cells.get("voucher"))
            code = cell_text(cells.get("code"))
            if not voucher and not code:
                continue  # 合计/小计 lines of an export
            try:
                day = to_date(cells.get("date"))
            except ValueError:
                errors.append(
                    table.error(
                        number, f"日期无法识别：{cell_text(cells.get('date'))!r}", "bad date"
                    )
                )
                continue
            if day is None or not voucher:
                errors.append(
                    table.error(number, "缺少日期或凭证号", "missing date or voucher number")
                )
                continue
            key = (f"{day:%Y-%m}", voucher)
            if key not in vouchers:
                vouchers[key] = Voucher(key, voucher, number, table)
            vouchers[key].rows.append((number, cells))
        for v in vouchers.values():
            try:
                result.append(_voucher_txn(v, index, by_code, currency, cols))
            except ExchangeErrors as exc:
                errors.extend(exc.errors)
            except ExchangeError as exc:
                errors.append(exc)
    if errors:
        raise ExchangeErrors(errors)
    return result


def _account(
    code: str,
    item: str,
    index: dict[tuple[str, str], AccountDecl],
    by_code: dict[str, list[AccountDecl]],
) -> AccountDecl | None:
    found = index.get((code, item))
    if found is None and not item and len(by_code.get(code, [])) == 1:
        found = by_code[code][0]
    return found


def _voucher_txn(
    v: Voucher,
    index: dict[tuple[str, str], AccountDecl],
    by_code: dict[str, list[AccountDecl]],
    currency: str,
    cols: JournalColumns,
) -> ImportedTxn:
    table = v.table
    errors: list[ExchangeError] = []
    first_number, first = v.rows[0]
    day = to_date(first.get("date"))
    assert day is not None  # noqa: S101 (narrows the type; an invariant, not input checking)
    postings: list[data.Posting] = []
    totals: dict[str, Decimal] = {}
    debit_total = credit_total = ZERO
    for number, cells in v.rows:
        if to_date(cells.get("date")) != day:
            errors.append(
                table.error(
                    number, f"凭证 {v.number} 各行日期不一致", f"voucher {v.number} has two dates"
                )
            )
            continue
        code = cell_text(cells.get("code"))
        item = cell_text(cells.get("item"))
        acc = _account(code, item, index, by_code)
        if acc is None and not item and len(by_code.get(code, [])) > 1:
            funds = "、".join(sorted(a.item or "（无）" for a in by_code[code]))
            errors.append(
                table.error(
                    number,
                    f"科目编码 {code} 在映射中属于多个基金/项目（{funds}），请填写“{cols.item}”列",
                    f"account code {code} exists in several funds ({funds}); fill in {cols.item!r}",
                )
            )
            continue
        if acc is None:
            shown = f"{code}（辅助核算 {item}）" if item else code
            errors.append(
                table.error(
                    number,
                    f"科目编码 {shown} 不在映射文件中；请在 [[accounts]] 中补充它对应的账户",
                    f"account code {shown} is not in the mapping",
                )
            )
            continue
        try:
            debit = to_money(cells.get("debit")) or ZERO
            credit = to_money(cells.get("credit")) or ZERO
            units_number = to_decimal(cells.get("units"))
            cost_number = to_money(cells.get("cost"))
        except ValueError as exc:
            errors.append(table.error(number, f"金额无法识别：{exc.args[0]!r}", "bad amount"))
            continue
        amount = debit - credit
        debit_total += debit
        credit_total += credit
        commodity = cell_text(cells.get("commodity"))
        cost: Cost | None = None
        if units_number is not None and commodity:
            units = Amount(units_number, commodity)
            if cost_number is not None:
                try:
                    cost_day = to_date(cells.get("cost_date"))
                except ValueError:
                    cost_day = None
                cost = Cost(cost_number, currency, cost_day, None)  # type: ignore[arg-type]
        else:
            units = Amount(amount, currency)
        posting_meta_text = cell_text(cells.get("posting_meta"))
        pmeta = _json_meta_in(posting_meta_text, table, number) if posting_meta_text else None
        postings.append(data.Posting(acc.account, units, cost, None, None, pmeta))
        totals[currency] = totals.get(currency, ZERO) + amount
    if errors:
        raise ExchangeErrors(errors)
    if abs(debit_total - credit_total) > Decimal("0.005"):
        raise table.error(
            first_number,
            f"凭证 {v.key[0]} {v.number} 借贷不平衡：借方合计 {debit_total:,.2f}，贷方合计 {credit_total:,.2f}，"
            f"相差 {debit_total - credit_total:,.2f}（自第 {first_number} 行起）",
            f"voucher {v.number} does not balance: debit {debit_total}, credit {credit_total}",
        )
    meta: data.Meta = {}
    extra = cell_text(first.get("txn_meta"))
    if extra:
        meta.update(_json_meta_in(extra, table, first_number))
    for key, attr in _TXN_COLUMNS.items():
        value = first.get(attr)
        if value is None or value == "":
            continue
        try:
            if key in _DATE_KEYS:
                meta[key] = to_date(value)
            elif key in _INT_KEYS:
                meta[key] = to_decimal(value)
            else:
                meta[key] = cell_text(value)
        except ValueError:
            raise table.error(
                first_number, f"{getattr(cols, attr)} 无法识别：{value!r}", f"bad {key}"
            ) from None
    flag = cell_text(first.get("flag")) or "*"
    txn = data.Transaction(
        meta,
        day,
        flag if flag in ("*", "!") else "*",
        cell_text(first.get("payee")) or None,
        cell_text(first.get("summary")),
        frozenset(cell_text(first.get("tags")).split()) or data.EMPTY_SET,
        frozenset(cell_text(first.get("links")).split()) or data.EMPTY_SET,
        postings,
    )
    where = (
        f"{table.file}"
        + (f"，工作表“{table.sheet}”" if table.sheet else "")
        + f"，第 {first_number} 行"
    )
    return ImportedTxn(txn, cell_text(first.get("ledger_file")) or None, where)
