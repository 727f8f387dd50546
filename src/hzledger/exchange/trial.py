"""The 科目余额表 (trial balance): opening, debit, credit and closing per account.

Export: for the year up to `--as-of` (1 January to that date), every account open by then,
grouped by fund with a subtotal per fund and a grand total, at cost in the operating currency;
holdings in other commodities (treasury bonds held in units) are listed with their lots.

Import (`import vouchers --opening`): the closing balances become opening transactions dated
the as-of day, one per fund. Balance-sheet accounts go in one transaction; income and expense
balances, when the books were not closed, each in one more, all balanced through a clearing
account `Equity:<fund>:3999期初余额结转` that ends at zero — so no opening transaction mixes
income with expenses (art. 29) or crosses funds (art. 17).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from beancount.core import convert, data, inventory
from beancount.core.amount import Amount
from beancount.core.number import ZERO
from beancount.core.position import Cost

from hzledger.exchange import ExchangeError, ExchangeErrors
from hzledger.exchange.chart import ChartLine
from hzledger.exchange.mapping import AccountDecl, Mapping, TrialColumns
from hzledger.exchange.sheets import SheetOut, Table, cell_text, find_header, to_money

AS_OF_LABEL = "截止日期"
_AS_OF_RE = re.compile(AS_OF_LABEL + r"[:：]\s*(\d{4}-\d{2}-\d{2})")
_LOT_RE = re.compile(
    r"(?P<units>-?[\d.]+)\s+(?P<commodity>[A-Z][A-Z0-9'._-]*)\s*\{\s*(?P<cost>[\d.]+)\s+(?P<currency>[A-Z]+)"
    r"(?:\s*,\s*(?P<date>\d{4}-\d{2}-\d{2}))?\s*\}"
)
ROOTS = ("Assets", "Liabilities", "Equity", "Income", "Expenses")
CLEARING = "3999期初余额结转"


@dataclass
class Line:
    """One account's row of the trial balance."""

    account: str
    opening: Decimal = ZERO
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    holdings: inventory.Inventory = field(default_factory=inventory.Inventory)

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit


def posting_weight(posting: Any) -> Decimal:
    """Beancount's own weight, as journal and trial balance both book it: units at cost, else
    at price, else the units.
    """
    return Decimal(convert.get_weight(posting).number)


def trial_lines(
    entries: list[data.Directive], as_of: datetime.date, currency: str
) -> dict[str, Line]:
    start = datetime.date(as_of.year, 1, 1)
    lines: dict[str, Line] = {}
    for entry in entries:
        if isinstance(entry, data.Open) and entry.date <= as_of:
            lines.setdefault(entry.account, Line(entry.account))
        if not isinstance(entry, data.Transaction) or entry.date > as_of:
            continue
        for posting in entry.postings:
            line = lines.setdefault(posting.account, Line(posting.account))
            weight = posting_weight(posting)
            if entry.date < start:
                line.opening += weight
            elif weight > 0:
                line.debit += weight
            else:
                line.credit -= weight
            if posting.units is not None and posting.units.currency != currency:
                line.holdings.add_position(posting)
    return lines


def _side(value: Decimal) -> tuple[Any, Any]:
    return (value, "") if value > 0 else ("", -value) if value < 0 else ("", "")


def holdings_text(inv: inventory.Inventory) -> str:
    parts = []
    positions: list[Any] = list(inv)
    for pos in sorted(positions, key=lambda p: (p.units.currency, str(p.cost))):
        if not pos.units.number:
            continue
        cost = pos.cost
        if cost is None:
            parts.append(f"{pos.units.number} {pos.units.currency}")
        else:
            day = f", {cost.date}" if cost.date else ""
            parts.append(
                f"{pos.units.number} {pos.units.currency} {{{cost.number} {cost.currency}{day}}}"
            )
    return "; ".join(parts)


def trial_sheet(
    lines: dict[str, Line],
    chart: dict[str, ChartLine],
    fund_order: list[str],
    cols: TrialColumns,
    titles: list[str],
) -> SheetOut:
    header = [
        cols.code,
        cols.name,
        cols.item,
        cols.opening_debit,
        cols.opening_credit,
        cols.debit,
        cols.credit,
        cols.closing_debit,
        cols.closing_credit,
        cols.holdings,
    ]

    def key(account: str) -> tuple[int, str]:
        item = chart[account].item if account in chart else ""
        order = fund_order.index(item) if item in fund_order else len(fund_order)
        return order, chart[account].code if account in chart else account

    def total_row(label: str, item: str, group: list[Line]) -> list[Any]:
        opening = sum((g.opening for g in group), ZERO)
        closing = sum((g.closing for g in group), ZERO)
        return [
            "",
            label,
            item,
            *_side(opening),
            sum((g.debit for g in group), ZERO),
            sum((g.credit for g in group), ZERO),
            *_side(closing),
            "",
        ]

    def rows() -> Iterator[list[Any]]:
        ordered = sorted(lines, key=key)
        groups: dict[str, list[Line]] = {}
        for account in ordered:
            item = chart[account].item if account in chart else ""
            groups.setdefault(item, []).append(lines[account])
        for item, group in groups.items():
            for line in group:
                ch = chart.get(line.account)
                yield [
                    ch.code if ch else "",
                    ch.name if ch else line.account,
                    item,
                    *_side(line.opening),
                    line.debit,
                    line.credit,
                    *_side(line.closing),
                    holdings_text(line.holdings),
                ]
            yield total_row(f"{item or '未归属基金'} 小计", item, group)
        yield total_row("合计", "", list(lines.values()))

    return SheetOut(
        "科目余额表",
        header,
        rows(),
        titles=titles,
        money=frozenset(range(3, 9)),
        widths={0: 12, 1: 28, 2: 10, 9: 36},
    )


# -- import: opening balances --------------------------------------------------------------


@dataclass
class OpeningLine:
    """An opening balance read from a 科目余额表."""

    account: AccountDecl
    balance: Decimal
    lots: list[tuple[Amount, Cost]]
    row: int


def read_as_of(table: Table, header_row: int) -> datetime.date | None:
    for raw in table.rows[: header_row - 1]:
        for cell in raw:
            match = _AS_OF_RE.search(cell_text(cell))
            if match:
                return datetime.date.fromisoformat(match.group(1))
    return None


def read_opening(
    tables: list[Table], mapping: Mapping
) -> tuple[datetime.date | None, list[OpeningLine]]:
    cols = mapping.trial_balance_columns
    table = tables[0]
    header_row, found = find_header(table, [cols.code, cols.closing_debit, cols.closing_credit])
    as_of = read_as_of(table, header_row)
    index = mapping.account_index()
    by_code: dict[str, list[AccountDecl]] = {}
    for decl in mapping.accounts:
        by_code.setdefault(decl.code, []).append(decl)
    names = {
        "code": cols.code,
        "item": cols.item,
        "cd": cols.closing_debit,
        "cc": cols.closing_credit,
        "hold": cols.holdings,
    }
    where = {k: found[v] for k, v in names.items() if v in found}
    errors: list[ExchangeError] = []
    lines: list[OpeningLine] = []
    for number in range(header_row + 1, len(table.rows) + 1):
        raw = table.rows[number - 1]
        cells = {k: (raw[i] if i < len(raw) else "") for k, i in where.items()}
        code = cell_text(cells.get("code"))
        if not code:
            continue  # 小计 and 合计
        item = cell_text(cells.get("item"))
        acc: AccountDecl | None = index.get((code, item))
        if acc is None and not item and len(by_code.get(code, [])) == 1:
            acc = by_code[code][0]
        if acc is None:
            shown = f"{code}（辅助核算 {item}）" if item else code
            errors.append(
                table.error(
                    number,
                    f"科目编码 {shown} 不在映射文件中",
                    f"account code {shown} is not in the mapping",
                )
            )
            continue
        try:
            balance = (to_money(cells.get("cd")) or ZERO) - (to_money(cells.get("cc")) or ZERO)
        except ValueError as exc:
            errors.append(table.error(number, f"金额无法识别：{exc.args[0]!r}", "bad amount"))
            continue
        lots = []
        for match in _LOT_RE.finditer(cell_text(cells.get("hold"))):
            day = match.group("date")
            lots.append(
                (
                    Amount(Decimal(match.group("units")), match.group("commodity")),
                    Cost(
                        Decimal(match.group("cost")),
                        match.group("currency"),
                        datetime.date.fromisoformat(day) if day else None,  # type: ignore[arg-type]
                        None,
                    ),
                )
            )
        if balance or lots:
            lines.append(OpeningLine(acc, balance, lots, number))
    if errors:
        raise ExchangeErrors(errors)
    return as_of, lines


def opening_entries(
    lines: list[OpeningLine], as_of: datetime.date, currency: str, funds: set[str]
) -> tuple[list[data.Transaction], list[data.Open]]:
    """Opening transactions (one per fund and group) and the clearing accounts they need."""
    by_fund: dict[str, list[OpeningLine]] = {}
    for line in lines:
        by_fund.setdefault(line.account.item if line.account.item in funds else "", []).append(line)
    txns: list[data.Transaction] = []
    opens: list[data.Open] = []
    for fund, group in by_fund.items():
        clearing = f"Equity:{fund}:{CLEARING}" if fund else "Equity:Opening-Balances"
        parts = {
            "资产、负债与净资产": [
                g for g in group if g.account.account.split(":")[0] in ROOTS[:3]
            ],
            "收入": [g for g in group if g.account.account.startswith("Income")],
            "支出": [g for g in group if g.account.account.startswith("Expenses")],
        }
        needs_clearing = bool(parts["收入"] or parts["支出"])
        made: list[data.Transaction] = []
        for label, part in parts.items():
            if not part:
                continue
            postings: list[data.Posting] = []
            total = ZERO
            for line in part:
                lot_cost = ZERO
                for units, cost in line.lots:
                    postings.append(
                        data.Posting(line.account.account, units, cost, None, None, None)
                    )
                    lot_cost += (units.number or ZERO) * (cost.number or ZERO)
                rest = line.balance - lot_cost
                if rest or not line.lots:
                    postings.append(
                        data.Posting(
                            line.account.account, Amount(rest, currency), None, None, None, None
                        )
                    )
                total += line.balance
            if total:
                needs_clearing = True
                postings.append(
                    data.Posting(clearing, Amount(-total, currency), None, None, None, None)
                )
            made.append(
                data.Transaction(
                    {},
                    as_of,
                    "*",
                    None,
                    f"期初余额：{label}（{fund or '未归属基金'}，据科目余额表，截至 {as_of}）",
                    data.EMPTY_SET,
                    data.EMPTY_SET,
                    postings,
                )
            )
        if needs_clearing:
            meta: data.Meta = {"kind": "net-assets"}
            opens.append(data.Open(meta, as_of, clearing, [currency], None))
        txns.extend(made)
    return txns, opens
