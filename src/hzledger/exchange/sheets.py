"""Reading and writing the spreadsheets that carry books in and out.

Reading: python-calamine for .xlsx, .xls (legacy BIFF, as banks still hand out) and .ods;
CSV decoded as UTF-8 when it is, else by charset-normalizer (GBK/GB18030 exports). Writing:
openpyxl, amounts as numbers with a two-decimal format, dates as dates.

Cells come back as Python values; `to_decimal` reads money exactly: a spreadsheet number is a
binary float, and `Decimal(str(float))` is its shortest decimal spelling, which for the
≤15 significant digits of money is the number that was typed.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from hzledger import fsio
from hzledger.exchange import ExchangeError
from hzledger.fsio import scratch_beside

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"


@dataclass
class Table:
    """One sheet: its name (or the CSV file's) and its rows, 1-based as the user sees them."""

    file: str
    sheet: str | None
    rows: list[list[Any]]

    def error(self, row: int | None, zh: str, en: str) -> ExchangeError:
        return ExchangeError(zh, en, file=self.file, sheet=self.sheet, row=row)


def decode(raw: bytes, encoding: str | None, file: str) -> str:
    """Text of a CSV file: the configured encoding, else UTF-8, else what charset-normalizer finds."""
    if encoding and encoding.lower() != "auto":
        try:
            return raw.decode(encoding)
        except LookupError:
            raise ExchangeError(
                f"未知的编码 {encoding!r}（可用 utf-8、gbk、gb18030 或 auto）",
                f"unknown encoding {encoding!r}",
                file=file,
            ) from None
        except UnicodeDecodeError as exc:
            raise ExchangeError(
                f"文件不是 {encoding} 编码（第 {exc.start} 字节处无法解码）；请在配置中改正 encoding",
                f"file is not {encoding} (cannot decode at byte {exc.start})",
                file=file,
            ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    # Chinese bank exports are GBK or GB18030 (a superset); let the detector choose among the
    # encodings such a file can be in rather than every codec it knows.
    best = from_bytes(raw, cp_isolation=["gb18030", "big5", "utf_16", "utf_32"]).best()
    if best is None:
        raise ExchangeError(
            "无法识别文件编码；请在配置中写明 encoding（如 gbk）",
            "cannot detect the file's encoding; set encoding in the config",
            file=file,
        )
    return str(best)


def read_tables(
    path: Path, sheet: str | int | None = None, encoding: str | None = None
) -> list[Table]:
    """Every sheet of a workbook (or the one named/numbered), or the CSV file as one table."""
    file = str(path)
    if not path.is_file():
        raise ExchangeError("找不到文件", "file not found", file=file)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        text = decode(path.read_bytes(), encoding, file)
        dialect: type[csv.Dialect] | csv.Dialect = csv.excel
        with contextlib.suppress(csv.Error):
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;|")
        lines: list[list[Any]] = [list(r) for r in csv.reader(io.StringIO(text), dialect)]
        return [Table(file, None, lines)]
    if suffix not in SPREADSHEET_SUFFIXES:
        raise ExchangeError(
            f"不支持的文件类型 {suffix or '（无扩展名）'}：可读 .xlsx .xls .ods .csv",
            f"unsupported file type {suffix!r}: .xlsx .xls .ods .csv are read",
            file=file,
        )
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(file)
    except Exception as exc:  # calamine raises its own error types for corrupt files
        raise ExchangeError(
            f"无法读取电子表格：{exc}", f"cannot read the spreadsheet: {exc}", file=file
        ) from None
    names = list(book.sheet_names)
    if sheet is not None:
        if isinstance(sheet, int):
            if not 1 <= sheet <= len(names):
                raise ExchangeError(
                    f"没有第 {sheet} 个工作表（共 {len(names)} 个）",
                    f"no sheet number {sheet} (there are {len(names)})",
                    file=file,
                )
            names = [names[sheet - 1]]
        elif sheet not in names:
            raise ExchangeError(
                f"没有名为“{sheet}”的工作表（有：{'、'.join(names)}）",
                f"no sheet named {sheet!r} (have: {', '.join(names)})",
                file=file,
            )
        else:
            names = [sheet]
    tables = []
    for name in names:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        tables.append(Table(file, name, [list(r) for r in rows]))  # calamine: typed cells
    return tables


def cell_text(value: Any) -> str:
    """A cell as text: numbers that are whole print without `.0` (codes typed as numbers)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


_NUMBER_JUNK = re.compile(r"[,\s，¥￥]")


def to_decimal(value: Any) -> Decimal | None:
    """Money in a cell, exactly; empty is None. `(1,234.50)` and `-1,234.50` are negative."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(int(value)) if value.is_integer() else Decimal(str(value))
    text = _NUMBER_JUNK.sub("", str(value))
    if not text or text in ("-", "—"):
        return None
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1]
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(value) from None
    return -number if negative else number


def to_money(value: Any) -> Decimal | None:
    """Money with at least the two decimals an accountant writes (`22260` reads `22260.00`)."""
    number = to_decimal(value)
    if number is None:
        return None
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        return number.quantize(CENT)
    return number


CENT = Decimal("0.01")
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")


def to_date(value: Any, fmt: str | None = None) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    text = text.split(" ")[0].split("T")[0] if not fmt else text
    for candidate in (fmt,) if fmt else _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, candidate).date()
        except ValueError:
            continue
    raise ValueError(value)


def find_header(
    table: Table, wanted: Sequence[str], row: int | None = None
) -> tuple[int, dict[str, int]]:
    """The header row (1-based) and each header's column: the given row, else the first of
    the first 20 rows that holds every wanted header (exports put titles above it).
    """
    candidates = [row] if row else list(range(1, min(len(table.rows), 20) + 1))
    for number in candidates:
        if number > len(table.rows):
            break
        cells = [cell_text(c) for c in table.rows[number - 1]]
        found = {name: cells.index(name) for name in cells if name}
        if all(w in found for w in wanted):
            return number, found
    missing_in = f"第 {row} 行" if row else "前 20 行"
    raise table.error(
        row,
        f"{missing_in}中找不到表头（需要列：{'、'.join(wanted)}）；列名可在映射或配置文件中修改",
        f"no header row with the columns {', '.join(wanted)}; the names are configurable",
    )


@dataclass
class SheetOut:
    """A sheet to write: title lines above the header, then rows; `money`/`dates` are columns."""

    name: str
    header: list[str]
    rows: Iterable[Sequence[Any]]
    titles: Sequence[str] = ()
    money: frozenset[int] = frozenset()
    widths: dict[int, int] | None = None


def write_xlsx(path: Path, sheets: Sequence[SheetOut]) -> None:
    """An Excel file auditors forward as is: bold frozen header, money and date formats."""
    with atomic_output(path) as tmp:
        _build_xlsx(sheets).save(tmp)


def _build_xlsx(sheets: Sequence[SheetOut]) -> Any:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for spec in sheets:
        ws = book.create_sheet(spec.name)
        # A write-only sheet takes its panes and widths only before the first row.
        ws.freeze_panes = f"A{len(spec.titles) + 2}"
        for index, width in (spec.widths or {}).items():
            ws.column_dimensions[_column_letter(index)].width = width
        for title in spec.titles:
            ws.append([title])
        head = []
        for name in spec.header:
            cell = WriteOnlyCell(ws, value=name)
            cell.font = bold
            head.append(cell)
        ws.append(head)
        for values in spec.rows:
            out: list[Any] = []
            for index, value in enumerate(values):
                if isinstance(value, Decimal):
                    cell = WriteOnlyCell(ws, value=value)
                    cell.number_format = MONEY_FORMAT if index in spec.money else "General"
                    out.append(cell)
                elif isinstance(value, datetime.date):
                    cell = WriteOnlyCell(ws, value=value)
                    cell.number_format = DATE_FORMAT
                    out.append(cell)
                else:
                    out.append(value)
            ws.append(out)
    return book


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """A temporary file beside `path`, moved over it when written whole: an export never
    leaves half a file, and an unwritable place is refused before any work is done.
    """
    try:
        scratch = scratch_beside(path)
    except OSError as exc:
        raise ExchangeError(
            f"无法写入：{exc.strerror}", f"cannot write: {exc.strerror}", file=str(path)
        ) from None
    with fsio.atomic_output(path, scratch) as tmp:
        yield tmp


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))
