"""科目编码 for a Beancount chart of accounts, the way 用友/金蝶 number theirs.

`Assets:ZY24:1002银行存款:S收入户` is 科目 1002 (银行存款) with sub-account 01 (收入户), kept
for fund ZY24 as the 辅助核算 item: 科目编码 `100201`, item `ZY24`. The first level takes the
digits the account already starts with (《民间非营利组织会计制度》 codes); lower levels are
numbered 01, 02… among their siblings in name order. Codes are unique per item, so
(科目编码, item) names one account — the key of the mapping file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_LEADING_DIGITS = re.compile(r"^(\d+)")
# A Beancount component must start with a capital or digit, so Chinese names carry an ASCII
# prefix (`S收入户`); the 科目名称 drops it.
_ASCII_PREFIX = re.compile(r"^[A-Za-z0-9\-]+(?=[^\x00-\x7f])")
_ROOT_DIGIT = {"Assets": "1", "Liabilities": "2", "Equity": "3", "Income": "4", "Expenses": "5"}


@dataclass(frozen=True)
class ChartLine:
    """One account of the chart: its code, fund item, name and Beancount account."""

    code: str
    item: str  # the fund or project (辅助核算 项目); "" for an account outside every fund
    account: str
    name: str


def split(account: str, funds: set[str]) -> tuple[str, str, list[str]]:
    """(root, fund item, the components below the fund)."""
    parts = account.split(":")
    if len(parts) > 1 and parts[1] in funds:
        return parts[0], parts[1], parts[2:]
    return parts[0], "", parts[1:]


def display_name(components: Iterable[str]) -> str:
    return "/".join(_ASCII_PREFIX.sub("", c) or c for c in components)


def build_chart(accounts: Iterable[str], funds: set[str]) -> dict[str, ChartLine]:
    """Account -> its line; parents that are not accounts themselves still take a code."""
    names = sorted(set(accounts))
    codes: dict[tuple[str, str, tuple[str, ...]], str] = {}
    used: dict[str, set[str]] = {}

    def code_of(root: str, item: str, path: tuple[str, ...]) -> str:
        key = (root, item, path)
        if key in codes:
            return codes[key]
        taken = used.setdefault(item, set())
        if not path:
            code = _ROOT_DIGIT.get(root, "9")
        elif len(path) == 1:
            match = _LEADING_DIGITS.match(path[0])
            base = match.group(1) if match else _ROOT_DIGIT.get(root, "9") + "9"
            code = base
            n = 1
            while code in taken:
                code = f"{base}{n:02d}"
                n += 1
        else:
            parent = code_of(root, item, path[:-1])
            n = 1 + sum(
                1
                for (r, i, p) in codes
                if r == root and i == item and p[:-1] == path[:-1] and len(p) == len(path)
            )
            code = f"{parent}{n:02d}"
            while code in taken:
                n += 1
                code = f"{parent}{n:02d}"
        taken.add(code)
        codes[key] = code
        return code

    chart: dict[str, ChartLine] = {}
    for account in names:
        root, item, rest = split(account, funds)
        chart[account] = ChartLine(
            code=code_of(root, item, tuple(rest)),
            item=item,
            account=account,
            name=display_name(rest) or root,
        )
    return chart
