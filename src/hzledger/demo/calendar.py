"""Business-day arithmetic for the generator (weekends only: enough for demo books)."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterator

Month = tuple[int, int]  # (year, month)


def months(first: Month, last: Month) -> Iterator[Month]:
    year, month = first
    while (year, month) <= last:
        yield year, month
        year, month = add_months((year, month), 1)


def add_months(ym: Month, n: int) -> Month:
    index = ym[0] * 12 + ym[1] - 1 + n
    return index // 12, index % 12 + 1


def month_of(date: datetime.date) -> Month:
    return date.year, date.month


def last_day(ym: Month) -> datetime.date:
    return datetime.date(ym[0], ym[1], calendar.monthrange(*ym)[1])


def first_day(ym: Month) -> datetime.date:
    return datetime.date(ym[0], ym[1], 1)


def business_day_on_or_after(ym: Month, day: int) -> datetime.date:
    """The first weekday on or after the given day of the month, staying in the month."""
    end = last_day(ym)
    date = datetime.date(ym[0], ym[1], min(day, end.day))
    while date.weekday() >= 5 and date < end:
        date += datetime.timedelta(days=1)
    while date.weekday() >= 5:
        date -= datetime.timedelta(days=1)
    return date


def last_business_day(ym: Month) -> datetime.date:
    date = last_day(ym)
    while date.weekday() >= 5:
        date -= datetime.timedelta(days=1)
    return date


def business_days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    days: list[datetime.date] = []
    date = start
    while date <= end:
        if date.weekday() < 5:
            days.append(date)
        date += datetime.timedelta(days=1)
    return days or [start]


def is_quarter_end(ym: Month) -> bool:
    return ym[1] % 3 == 0
