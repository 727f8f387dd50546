"""What every report shares: money arithmetic, the reporting period, the header.

Money is `Decimal` throughout and is rounded to the cent only where a report
states a figure; JSON dumps carry it as strings so no reader turns it into a float.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from beancount.core import data
from pydantic import BaseModel, ConfigDict

from hzledger.figures.numbers import CENT, RATIO_PLACES, ZERO, cents, money_text, percent, ratio
from hzledger.messages import BilingualError

# The one rounding rule lives with the figures; reports re-export it.
__all__ = ["CENT", "RATIO_PLACES", "ZERO", "cents", "money_text", "percent", "ratio"]


class Period(BaseModel):
    """Inclusive dates: `--year 2025` is 2025-01-01..2025-12-31."""

    model_config = ConfigDict(frozen=True)

    start: datetime.date
    end: datetime.date

    @property
    def end_exclusive(self) -> datetime.date:
        return self.end + datetime.timedelta(days=1)

    def contains(self, date: datetime.date) -> bool:
        return self.start <= date <= self.end

    @property
    def is_year(self) -> bool:
        return (
            self.start.year == self.end.year
            and (self.start.month, self.start.day) == (1, 1)
            and (self.end.month, self.end.day) == (12, 31)
        )

    @property
    def label(self) -> str:
        if self.is_year:
            return f"{self.start.year}年度"
        return f"{self.start.isoformat()} 至 {self.end.isoformat()}"

    @property
    def label_en(self) -> str:
        if self.is_year:
            return f"year {self.start.year}"
        return f"{self.start.isoformat()} to {self.end.isoformat()}"

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31))


class ReportError(BilingualError, ValueError):
    """Bad report arguments: carries the Chinese and English message the CLI prints."""


def transaction_dates(entries: Iterable[data.Directive]) -> list[datetime.date]:
    return [e.date for e in entries if isinstance(e, data.Transaction)]


def resolve_period(
    entries: Iterable[data.Directive],
    *,
    year: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Period:
    """The period a report covers.

    `--year` wins; `--from`/`--to` are inclusive and an open end falls back to the
    first/last transaction; with neither, the calendar year of the last transaction
    (a ledger without transactions reports on the current year).
    """
    if year is not None and (date_from or date_to):
        raise ReportError(
            "--year 不能与 --from/--to 同时使用", "--year cannot be combined with --from/--to"
        )
    if year is not None:
        if not 1900 <= year <= 9999:
            raise ReportError(f"年度 {year} 不合理", f"year {year} is out of range")
        return Period.year(year)
    dates = transaction_dates(entries)
    if date_from or date_to:
        start = date_from or (min(dates) if dates else date_to)
        end = date_to or (max(dates) if dates else date_from)
        assert start is not None and end is not None  # noqa: S101 (narrows the type; an invariant, not input checking)
        if end < start:
            raise ReportError(
                f"截止日期 {end} 早于起始日期 {start}", f"--to {end} is before --from {start}"
            )
        return Period(start=start, end=end)
    last = max(dates) if dates else (today or datetime.date.today())
    return Period.year(last.year)


def last_complete_year(
    entries: Iterable[data.Directive], today: datetime.date | None = None
) -> int | None:
    """The last fiscal year that is over and has data: the overview's default year.

    The year of the last transaction, but never the running year (its obligations are
    not yet complete); None for a ledger without transactions.
    """
    dates = transaction_dates(entries)
    if not dates:
        return None
    return min((today or datetime.date.today()).year - 1, max(dates).year)


class ReportHeader(BaseModel):
    """Who and what a report is about; every report starts with one."""

    report: str
    title_zh: str
    title_en: str
    ledger: str
    organisation: str
    level: str | None = None
    parent: str | None = None
    currency: str
    period: Period
    fund: str | None = None
    ledger_errors: int = 0
    ledger_warnings: int = 0
    notes: list[str] = []
