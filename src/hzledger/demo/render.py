"""Beancount text for the generator's entries. Money is integer cents throughout."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

Posting = tuple[str, int | None] | tuple[str, int | None, str]


def cents(value: int) -> str:
    sign = "-" if value < 0 else ""
    value = abs(value)
    return f"{sign}{value // 100}.{value % 100:02d}"


def yuan(value: int) -> str:
    """Cents for people: 1234567 -> 12,345.67."""
    return f"{Decimal(value) / 100:,.2f}"


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def transaction(
    date: datetime.date,
    narration: str,
    postings: Sequence[Posting],
    *,
    payee: str | None = None,
    meta: Sequence[tuple[str, str | int | datetime.date]] = (),
    tags: Sequence[str] = (),
    links: Sequence[str] = (),
) -> str:
    head = f"{date} *"
    if payee is not None:
        head += f" {quote(payee)}"
    head += f" {quote(narration)}"
    for tag in tags:
        head += f" #{tag}"
    for link in links:
        head += f" ^{link}"
    lines = [head]
    for key, value in meta:
        shown = value if isinstance(value, int | datetime.date) else quote(value)
        lines.append(f"  {key}: {shown}")
    for posting in postings:
        account, amount = posting[0], posting[1]
        if amount is None:
            lines.append(f"  {account}")
        elif len(posting) == 3:
            lines.append(f"  {account}  {posting[2]}")
        else:
            lines.append(f"  {account}  {cents(amount)} CNY")
    return "\n".join(lines) + "\n"


def open_account(
    date: datetime.date, account: str, kind: str, *, currency: str = "CNY", role: str | None = None
) -> str:
    text = f"{date} open {account} {currency}\n  kind: {quote(kind)}\n"
    if role:
        text += f"  role: {quote(role)}\n"
    return text


def balance(date: datetime.date, account: str, amount: int) -> str:
    return f"{date} balance {account}  {cents(amount)} CNY\n"


def custom(
    date: datetime.date, kind: str, args: Sequence[str], meta: Sequence[tuple[str, str]] = ()
) -> str:
    text = f"{date} custom {quote(kind)} " + " ".join(args) + "\n"
    for key, value in meta:
        text += f"  {key}: {value}\n"
    return text
