"""Tiny ledgers, one per figure definition of issue 10, each worked out by hand in the tests."""

from __future__ import annotations

HEAD = """\
option "title" "{title}"
option "operating_currency" "CNY"
plugin "hzledger.plugins.compliance"

2020-01-01 custom "hz-org" "{title}"
  level: "{level}"
{parent}
2020-01-01 custom "hz-fund" "ZH" "综合管理基金"
2020-01-01 open Assets:ZH:1002银行存款 CNY
  kind: "bank"
2020-01-01 open Equity:ZH:3101净资产 CNY
  kind: "net-assets"
2020-01-01 open Expenses:ZH:5201工资 CNY
  kind: "payroll"
2020-01-01 open Expenses:ZH:5202办公费 CNY
  kind: "office"
"""


def head(title: str = "甲市职工互助保障会", level: str = "city", parent: str | None = None) -> str:
    return HEAD.format(title=title, level=level, parent=f'  parent: "{parent}"\n' if parent else "")


def project(code: str, start: str, end: str, cover: str | None = None) -> str:
    text = f"""
2020-01-01 custom "hz-project" "{code}" "{code}互助保障计划"
  start: {start}
  end: {end}
  filing: "甲备〔2020〕1号"
  filed: 2020-01-01
"""
    if cover:
        text += f'  dues-cover: "{cover}"\n'
    return (
        text
        + f"""
2020-01-01 open Assets:{code}:1002银行存款 CNY
  kind: "bank"
2020-01-01 open Income:{code}:4201会费 CNY
  kind: "dues"
2020-01-01 open Expenses:{code}:5101互助金 CNY
  kind: "benefit"
2020-01-01 open Expenses:{code}:5201管理费 CNY
  kind: "admin"
"""
    )


def dues(code: str, date: str, amount: str, members: int = 0, meta: str = "") -> str:
    m = f"  members: {members}\n" if members else ""
    return f"""
{date} * "单位" "{code}会费"
{m}{meta}  Assets:{code}:1002银行存款  {amount} CNY
  Income:{code}:4201会费
"""


def benefit(code: str, date: str, amount: str, claims: int = 0) -> str:
    c = f"  claims: {claims}\n" if claims else ""
    return f"""
{date} * "{code}互助金给付"
{c}  Expenses:{code}:5101互助金  {amount} CNY
  Assets:{code}:1002银行存款
"""


# Annual dues on a three-year project (dues-cover "year"). 2024 is a leap year (366 days).
ANNUAL = (
    head()
    + project("ZJ", "2024-01-01", "2026-12-31", cover="year")
    + dues("ZJ", "2023-12-15", "36600.00", 1000)  # before start: the first project year
    + dues("ZJ", "2024-12-20", "36500.00", 1000)  # no metadata: its own project year, 2024
    + dues(
        "ZJ",
        "2024-12-21",
        "73000.00",
        2000,
        "  coverage-start: 2025-01-01\n  coverage-end: 2025-12-31\n",
    )  # metadata wins: 2025
)

# A finished project with a run-off after its cover, and the current one still in cover.
RUNOFF = (
    head()
    + project("A23", "2023-01-01", "2023-12-31")
    + project("A24", "2024-01-01", "2024-12-31")
    + dues("A23", "2022-12-20", "20000.00", 500)
    + benefit("A23", "2023-06-30", "10000.00", 10)
    + benefit("A23", "2024-01-15", "2000.00", 2)  # development month 1
    + benefit("A24", "2024-01-16", "20000.00", 20)  # A24 in cover, as of 2024-12-31
    + benefit("A23", "2024-02-15", "1000.00", 1)  # development month 2
    + dues("A24", "2023-12-20", "30000.00", 600)
)

# The organisation's funds owe each other: ZH lent the project 5,000 through interfund accounts.
INTERFUND = (
    head()
    + project("P", "2024-01-01", "2024-12-31")
    + """
2020-01-01 open Assets:ZH:1221往来P CNY
  kind: "interfund"
2020-01-01 open Liabilities:P:2209往来ZH CNY
  kind: "interfund"

2024-01-01 * "期初"
  Assets:ZH:1002银行存款  50000.00 CNY
  Equity:ZH:3101净资产

2024-02-01 * "综合基金借给项目"
  Assets:ZH:1221往来P  5000.00 CNY
  Assets:ZH:1002银行存款  -5000.00 CNY
  Assets:P:1002银行存款  5000.00 CNY
  Liabilities:P:2209往来ZH  -5000.00 CNY
"""
)

# Admin spending in the general fund and a project; and a diversion of project money.
ADMIN = (
    head()
    + project("P", "2024-01-01", "2024-12-31")
    + """
2024-01-01 * "期初"
  Assets:ZH:1002银行存款  50000.00 CNY
  Equity:ZH:3101净资产
"""
    + dues("P", "2024-01-05", "20000.00", 400)
    + benefit("P", "2024-06-01", "6000.00", 6)
    + """
2024-06-30 * "工资"
  Expenses:ZH:5201工资  3000.00 CNY
  Assets:ZH:1002银行存款

2024-07-01 * "项目分摊管理费"
  Expenses:P:5201管理费  1000.00 CNY
  Assets:P:1002银行存款
"""
)

DIVERSION = (
    ADMIN
    + """
2024-08-01 * "办公用品公司" "用项目资金付综合基金办公费"
  Expenses:ZH:5202办公费  800.00 CNY
  Assets:P:1002银行存款
"""
)

# One batch of dues split over two projects: its 100 members count once, for the larger part.
SPLIT = (
    head()
    + project("A", "2024-01-01", "2024-12-31")
    + project("B", "2024-01-01", "2024-12-31")
    + """
2024-01-10 * "单位" "两个项目的会费"
  members: 100
  Assets:A:1002银行存款  600.00 CNY
  Income:A:4201会费  -600.00 CNY
  Assets:B:1002银行存款  400.00 CNY
  Income:B:4201会费  -400.00 CNY
"""
)
