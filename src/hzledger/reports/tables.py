"""The one shape every renderer understands: titled tables of typed columns.

Each report turns its pydantic model into `Table`s; text, Excel and HTML are
written from these, so a new report needs no renderer code of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

ColumnType = Literal["text", "money", "int", "ratio", "date"]
RowStyle = Literal["", "section", "total", "flag"]


@dataclass(frozen=True)
class Column:
    """A table column: Chinese and English heading, and how to format it."""

    zh: str
    en: str
    type: ColumnType = "text"

    def header(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


@dataclass
class Table:
    """One sheet of a workbook, one block of text, one HTML table."""

    sheet: str
    title_zh: str
    title_en: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    styles: list[RowStyle] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *values: Any, style: RowStyle = "") -> None:
        if len(values) != len(self.columns):
            raise ValueError(f"{self.sheet}: {len(values)} values for {len(self.columns)} columns")
        self.rows.append(list(values))
        self.styles.append(style)

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_zh


def cell_text(value: Any, type_: ColumnType) -> str:
    """How a cell reads in text and HTML; Excel gets the raw number instead."""
    if value is None:
        return "" if type_ == "text" else "—"
    if type_ == "money" and isinstance(value, Decimal):
        from hzledger.reports.common import money_text

        return money_text(value)
    if type_ == "ratio" and isinstance(value, Decimal):
        from hzledger.reports.common import percent

        return percent(value)
    if type_ == "int" and isinstance(value, int | Decimal):
        return f"{int(value):,}"
    return str(value)
