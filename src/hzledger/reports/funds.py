"""`report funds`: the statement of each fund and project (art. 17, 24, 25).

For every fund: net assets at the start, income by the five sources of art. 24,
spending by the three categories of art. 25 (and their kinds), movements booked
straight to net assets, and net assets at the end. Net assets are the fund's
assets less its liabilities at cost, so the statement ties to Beancount's own
balances; `difference` is non-zero only where a transaction crosses funds
(which `hzledger check` reports as HZ-A17).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel

from hzledger.kinds import CATEGORY_LABEL_ZH, EXPENSE_CATEGORY, INCOME_KINDS, label
from hzledger.reports.common import ZERO, ReportHeader
from hzledger.reports.context import UNASSIGNED, ReportContext
from hzledger.reports.tables import Column, Table

CATEGORY_CLAUSE = {1: "25(一)", 2: "25(二)", 3: "25(三)"}
CATEGORY_LABEL_EN = {
    1: "benefits paid to members",
    2: "member services and development",
    3: "management, staff pay and office",
}


class KindAmount(BaseModel):
    """An amount of one account kind, labelled and with its clause."""

    kind: str
    label: str
    clause: str | None = None
    amount: Decimal


class CategoryAmount(BaseModel):
    """An amount of one art. 25 category, with its kinds."""

    category: int
    label: str
    clause: str
    amount: Decimal
    kinds: list[KindAmount]


class Statement(BaseModel):
    """Income and spending of some funds; the organisation's total is one (no code of its own)."""

    opening: Decimal
    income: list[KindAmount]
    income_total: Decimal
    expenses: list[CategoryAmount]
    expenses_total: Decimal
    equity_movement: Decimal
    closing: Decimal
    difference: Decimal


class FundStatement(Statement):
    """One fund's statement, named by its code."""

    code: str
    name: str
    is_project: bool


class FundsReport(BaseModel):
    """`report funds`: income and spending of each fund and of the organisation."""

    kind: Literal["funds"] = "funds"
    header: ReportHeader
    funds: list[FundStatement]
    total: Statement

    def tables(self) -> list[Table]:
        return [statement_table(self.funds, self.total)]


def income_lines(flow: dict[str, Decimal]) -> list[KindAmount]:
    """Every art. 24 source, zero or not, then any undeclared kind that has money."""
    lines = [
        KindAmount(kind=k, label=label(k), clause=clause, amount=-flow.get(k, ZERO))
        for k, clause in INCOME_KINDS.items()
    ]
    lines += [
        KindAmount(kind=k, label=label(k or None), amount=-v)
        for k, v in sorted(flow.items())
        if k not in INCOME_KINDS and v
    ]
    return lines


def expense_lines(flow: dict[str, Decimal]) -> list[CategoryAmount]:
    categories: list[CategoryAmount] = []
    for category, cat_label in CATEGORY_LABEL_ZH.items():
        kinds = [
            KindAmount(kind=k, label=label(k), amount=flow.get(k, ZERO))
            for k, c in EXPENSE_CATEGORY.items()
            if c == category
        ]
        categories.append(
            CategoryAmount(
                category=category,
                label=cat_label,
                clause=CATEGORY_CLAUSE[category],
                amount=sum((k.amount for k in kinds), ZERO),
                kinds=kinds,
            )
        )
    other = [
        KindAmount(kind=k, label=label(k or None), amount=v)
        for k, v in sorted(flow.items())
        if k not in EXPENSE_CATEGORY and v
    ]
    if other:
        categories.append(
            CategoryAmount(
                category=0,
                label="未归类支出（违反第二十五条）",
                clause="25",
                amount=sum((k.amount for k in other), ZERO),
                kinds=other,
            )
        )
    return categories


def _statement(
    ctx: ReportContext, code: str, name: str, is_project: bool, fund: str | None
) -> FundStatement:
    bal = ctx.balances

    def kinds(root: str, which: str) -> dict[str, Decimal]:
        if fund is None:  # accounts whose second component is no declared fund
            return _unassigned(ctx, root, which)
        return bal.by_kind(root, fund, which)

    def total(root: str, which: str) -> Decimal:
        return sum(kinds(root, which).values(), ZERO)

    opening = total("Assets", "opening") + total("Liabilities", "opening")
    closing = total("Assets", "closing") + total("Liabilities", "closing")
    income = income_lines(kinds("Income", "flow"))
    expenses = expense_lines(kinds("Expenses", "flow"))
    income_total = sum((k.amount for k in income), ZERO)
    expenses_total = sum((c.amount for c in expenses), ZERO)
    equity_movement = -total("Equity", "flow")
    return FundStatement(
        code=code,
        name=name,
        is_project=is_project,
        opening=opening,
        income=income,
        income_total=income_total,
        expenses=expenses,
        expenses_total=expenses_total,
        equity_movement=equity_movement,
        closing=closing,
        difference=closing - (opening + income_total - expenses_total + equity_movement),
    )


def _unassigned(ctx: ReportContext, root: str, which: str) -> dict[str, Decimal]:
    bal = ctx.balances
    sums: dict[str, Decimal] = {}
    for account in bal.accounts:
        if account.split(":", 1)[0] != root or bal.fund_of(account) is not None:
            continue
        value = {
            "opening": bal.opening.get(account, ZERO),
            "flow": bal.flow.get(account, ZERO),
        }.get(which, bal.closing(account))
        if value:
            kind = bal.kind_of(account) or ""
            sums[kind] = sums.get(kind, ZERO) + value
    return sums


def sum_statements(statements: list[FundStatement]) -> Statement:
    def add(attr: str) -> Decimal:
        return sum((getattr(s, attr) for s in statements), ZERO)

    income: dict[str, KindAmount] = {}
    for s in statements:
        for k in s.income:
            prev = income.get(k.kind)
            income[k.kind] = k.model_copy(
                update={"amount": (prev.amount if prev else ZERO) + k.amount}
            )
    categories: dict[int, CategoryAmount] = {}
    for s in statements:
        for c in s.expenses:
            prev_cat = categories.get(c.category)
            kinds = {k.kind: k for k in (prev_cat.kinds if prev_cat else [])}
            for k in c.kinds:
                old = kinds.get(k.kind)
                kinds[k.kind] = k.model_copy(
                    update={"amount": (old.amount if old else ZERO) + k.amount}
                )
            categories[c.category] = c.model_copy(
                update={
                    "amount": (prev_cat.amount if prev_cat else ZERO) + c.amount,
                    "kinds": list(kinds.values()),
                }
            )
    return Statement(
        opening=add("opening"),
        income=list(income.values()),
        income_total=add("income_total"),
        expenses=sorted(categories.values(), key=lambda c: c.category or 99),
        expenses_total=add("expenses_total"),
        equity_movement=add("equity_movement"),
        closing=add("closing"),
        difference=add("difference"),
    )


def has_unassigned(ctx: ReportContext) -> bool:
    bal = ctx.balances
    return any(
        bal.fund_of(a) is None and (bal.opening.get(a) or bal.flow.get(a)) for a in bal.accounts
    )


def funds_report(ctx: ReportContext) -> FundsReport:
    statements = [_statement(ctx, f.code, f.name, f.is_project, f.code) for f in ctx.funds()]
    if ctx.fund is None and has_unassigned(ctx):
        statements.append(
            _statement(ctx, UNASSIGNED, "未归属基金的账户（违反第十七条）", False, None)
        )
    return FundsReport(
        header=ctx.header("funds", "基金收支情况表", "Statement of funds"),
        funds=statements,
        total=sum_statements(statements),
    )


def statement_table(statements: list[FundStatement], total: Statement) -> Table:
    """Line items down, funds across, the consolidated total last (基金收支情况表)."""
    columns = [Column("项目", "Item"), Column("条款", "Article")]
    shown = statements if len(statements) > 1 else []
    columns += [Column(s.code, s.code, "money") for s in shown]
    columns.append(Column("合计", "Total", "money"))
    every: list[Statement] = [*shown, total]
    table = Table(
        "基金收支", "基金收支情况表（第十七、二十四、二十五条）", "Statement of funds", columns
    )

    def row(item: str, clause: str, values: list[Decimal], style: str = "") -> None:
        table.add(item, clause, *values, style=style)  # type: ignore[arg-type]

    row("一、期初净资产", "", [s.opening for s in every], "section")
    row("二、本期收入", "24", [s.income_total for s in every], "section")
    for line in total.income:
        row(f"　　{line.label}", line.clause or "", [_income_amount(s, line.kind) for s in every])
    row("三、本期支出", "25", [s.expenses_total for s in every], "section")
    for cat in total.expenses:
        row(
            f"　{cat.label}",
            cat.clause,
            [_category_amount(s, cat.category) for s in every],
            "section",
        )
        for kind in cat.kinds:
            row(f"　　　{kind.label}", "", [_expense_amount(s, kind.kind) for s in every])
    row("四、直接计入净资产的变动", "", [s.equity_movement for s in every])
    row("五、期末净资产", "", [s.closing for s in every], "total")
    if any(s.difference for s in every):
        row("差额（跨基金收支，违反第十七条）", "17", [s.difference for s in every], "flag")
    table.notes += [f"{s.code}：{s.name}" for s in statements]
    table.notes.append(
        "期末净资产 = 期初净资产 + 本期收入 − 本期支出 + 直接计入净资产的变动；金额按成本计价。"
    )
    return table


def _income_amount(s: Statement, kind: str) -> Decimal:
    return sum((k.amount for k in s.income if k.kind == kind), ZERO)


def _category_amount(s: Statement, category: int) -> Decimal:
    return sum((c.amount for c in s.expenses if c.category == category), ZERO)


def _expense_amount(s: Statement, kind: str) -> Decimal:
    return sum((k.amount for c in s.expenses for k in c.kinds if k.kind == kind), ZERO)
