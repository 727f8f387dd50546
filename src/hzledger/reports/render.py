"""Renderers for any report: aligned text, an Excel workbook, a printable HTML page.

JSON is not here: it is the report model's own `model_dump_json()`.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from io import BytesIO
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from hzledger.reports.common import ReportHeader
from hzledger.reports.tables import Column, Table, cell_text

MONEY_FORMAT = "#,##0.00"
RATIO_FORMAT = "0.00%"
INT_FORMAT = "#,##0"
DATE_FORMAT = "yyyy-mm-dd"


def display_width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def header_lines(header: ReportHeader, lang: str) -> list[str]:
    if lang == "en":
        lines = [
            f"{header.title_en} — {header.organisation}",
            f"Ledger: {header.ledger}  Period: {header.period.label_en}  "
            f"As of: {(getattr(header, 'as_of', None) or header.period.end).isoformat()}  "
            f"Currency: {header.currency}",
        ]
        if header.fund:
            lines.append(f"Fund: {header.fund}")
        if header.ledger_errors:
            lines.append(
                f"Warning: the ledger has {header.ledger_errors} error(s); "
                "run `hzledger check` — figures may be unreliable."
            )
        return lines + [f"Note: {n}" for n in header.notes]
    lines = [
        f"{header.organisation} {header.title_zh}",
        f"账本：{header.ledger}  期间：{header.period.label}  "
        f"截至：{(getattr(header, 'as_of', None) or header.period.end).isoformat()}  币种：{header.currency}",
    ]
    if header.fund:
        lines.append(f"基金/项目：{header.fund}")
    if header.ledger_errors:
        lines.append(
            f"注意：账本有 {header.ledger_errors} 个错误（请运行 hzledger check），报表数字可能不可靠。"
        )
    return lines + [f"说明：{n}" for n in header.notes]


def sheet_context(header: ReportHeader, lang: str) -> list[str]:
    as_of = getattr(header, "as_of", None) or header.period.end
    if lang == "en":
        return [
            f"Organisation: {header.organisation}",
            f"Period: {header.period.label_en}; as of {as_of.isoformat()}",
        ]
    return [
        f"组织：{header.organisation}",
        f"期间：{header.period.label}；截至 {as_of.isoformat()}",
    ]


def render_text(header: ReportHeader, tables: Sequence[Table], lang: str = "zh") -> str:
    out = header_lines(header, lang)
    for table in tables:
        out.append("")
        out.append(f"【{table.title(lang)}】" if lang != "en" else f"[{table.title(lang)}]")
        heads = [c.header(lang) for c in table.columns]
        cells = [
            [cell_text(v, c.type) for v, c in zip(row, table.columns, strict=True)]
            for row in table.rows
        ]
        widths = [
            max([display_width(h)] + [display_width(r[i]) for r in cells])
            for i, h in enumerate(heads)
        ]
        right = [c.type != "text" for c in table.columns]
        out.append(
            "  ".join(_pad(h, w, r) for h, w, r in zip(heads, widths, right, strict=True)).rstrip()
        )
        out.append("  ".join("-" * w for w in widths))
        for row, style in zip(cells, table.styles, strict=True):
            line = "  ".join(_pad(v, w, r) for v, w, r in zip(row, widths, right, strict=True))
            if style == "flag":
                line += "  <!>"
            out.append(line.rstrip())
        for note in table.notes:
            out.append(f"  * {note}")
    return "\n".join(out) + "\n"


def _xlsx_value(value: Any, column: Column) -> Any:
    if value is None:
        return None
    if column.type in ("money", "ratio") and isinstance(value, Decimal):
        # openpyxl stores numbers as IEEE doubles; cents survive that exactly enough to display.
        return float(value)
    if column.type == "int" and isinstance(value, Decimal):
        return int(value)
    return value


def render_xlsx(header: ReportHeader, tables: Sequence[Table], lang: str = "zh") -> bytes:
    """A workbook a supervisor can forward: one sheet per table, frozen bold headers."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDE5F0")
    total_fill = PatternFill("solid", fgColor="F2F2F2")
    flag_fill = PatternFill("solid", fgColor="FCE4E4")
    used: set[str] = set()
    for table in tables:
        name = _sheet_name(table.sheet, used)
        ws = book.create_sheet(name)
        ws.append([c.header(lang) for c in table.columns])
        for cell in ws[1]:
            cell.font = bold
            cell.fill = head_fill
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for row, style in zip(table.rows, table.styles, strict=True):
            ws.append([_xlsx_value(v, c) for v, c in zip(row, table.columns, strict=True)])
            excel_row = ws.max_row
            for index, column in enumerate(table.columns, start=1):
                cell = ws.cell(row=excel_row, column=index)
                if column.type == "money":
                    cell.number_format = MONEY_FORMAT
                elif column.type == "ratio":
                    cell.number_format = RATIO_FORMAT
                elif column.type == "int":
                    cell.number_format = INT_FORMAT
                elif column.type == "date":
                    cell.number_format = DATE_FORMAT
                if style in ("total", "section"):
                    cell.font = bold
                if style == "total":
                    cell.fill = total_fill
                elif style == "flag":
                    cell.fill = flag_fill
        ws.freeze_panes = "A2"
        for index, column in enumerate(table.columns, start=1):
            texts = [column.header(lang)] + [
                cell_text(r[index - 1], column.type) for r in table.rows
            ]
            width = max(display_width(t) for t in texts) + 2
            ws.column_dimensions[get_column_letter(index)].width = min(max(width, 8), 60)
        if table.notes:
            ws.append([])
            for note in table.notes:
                ws.append([note])
        # Every sheet says whose figures, for which period, as of when: a sheet forwarded
        # on its own must still be read correctly.
        ws.append([])
        for line in sheet_context(header, lang):
            ws.append([line])
        ws.oddHeader.center.text = " ".join(sheet_context(header, lang))
    info = book.create_sheet("说明" if lang != "en" else "About")
    for line in header_lines(header, lang):
        info.append([line])
    info.column_dimensions["A"].width = 100
    buffer = BytesIO()
    book.save(buffer)
    return reproducible_xlsx(buffer.getvalue(), header.period.end)


def _sheet_name(name: str, used: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ and unique within the workbook.
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "Sheet"
    candidate, n = clean, 2
    while candidate in used:
        suffix = f"({n})"
        candidate, n = clean[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate)
    return candidate


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("hzledger.reports", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cell"] = cell_text
    return env


def render_html(header: ReportHeader, tables: Sequence[Table], lang: str = "zh") -> str:
    template = environment().get_template("tables.html.j2")
    return template.render(
        header=header, tables=tables, lang=lang, header_lines=header_lines(header, lang)
    )


_CORE = "docProps/core.xml"
_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def reproducible_xlsx(data: bytes, day: datetime.date) -> bytes:
    """The same report, the same bytes: the CLI and the service must agree to the byte.

    openpyxl stamps the workbook (`created`, `modified`) and every zip member with the
    time of saving. All of them become the report period's last day (00:00), so the
    file says which period it is about, not when it was rendered.
    """
    stamp = f"{day.isoformat()}T00:00:00Z".encode()
    source = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == _CORE:
                body = _STAMP.sub(lambda m: m.group(1) + stamp + m.group(2), body)
            fixed = zipfile.ZipInfo(
                info.filename, date_time=(day.year, day.month, day.day, 0, 0, 0)
            )
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, body)
    return out.getvalue()
