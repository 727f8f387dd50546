"""`report budget`: budget against actual for the period (art. 26).

Budgets are Fava's own `custom "budget"` directives, spread over the period with
Fava's arithmetic (`hzledger.budgets.calculate_budget`: a yearly budget over half
a year counts half). Actual spending of a budgeted account includes its sub-accounts. The
category rows sum every expense account of the three art. 25 categories, budgeted
but execution compares budgeted accounts only: a category's execution is the actual of
its budgeted accounts over their budget, and spending on accounts without a budget is
listed apart (未列入预算), never folded into an execution rate. The admin share is
`hzledger.figures.admin`'s one admin ratio (category 三 of every fund over all spending).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel

from hzledger.budgets import calculate_budget
from hzledger.kinds import ADMIN_KINDS, CATEGORY_LABEL_ZH, EXPENSE_CATEGORY, label
from hzledger.reports.common import ZERO, ReportHeader, cents, ratio
from hzledger.reports.context import ReportContext
from hzledger.reports.tables import Column, Table


class BudgetLine(BaseModel):
    """One budgeted account: budget, actual, remaining, execution."""

    fund: str | None
    account: str
    kind: str | None
    kind_label: str
    category: int | None
    budget: Decimal
    actual: Decimal
    remaining: Decimal
    execution: Decimal | None
    over: bool


class BudgetCategory(BaseModel):
    """Budget and spending of one art. 25 category, per fund and in total."""

    fund: str | None  # None: the organisation's total over the funds in scope
    category: int
    label: str
    budget: Decimal
    actual: Decimal  # of the budgeted accounts only
    execution: Decimal | None
    unbudgeted: Decimal  # spending on accounts of the category without a budget


class BudgetReport(BaseModel):
    """`report budget`: budget execution and the admin ratio (art. 26)."""

    kind: Literal["budget"] = "budget"
    header: ReportHeader
    lines: list[BudgetLine]
    categories: list[BudgetCategory]
    expenses_total: Decimal
    admin_actual: Decimal
    admin_share: Decimal | None
    admin_budget: Decimal
    budget_total: Decimal

    def tables(self) -> list[Table]:
        lines = Table(
            "预算执行",
            "预算执行情况（第二十六条）",
            "Budget against actual (art. 26)",
            [
                Column("基金", "Fund"),
                Column("账户", "Account"),
                Column("类别", "Kind"),
                Column("预算数", "Budget", "money"),
                Column("实际数", "Actual", "money"),
                Column("预算余额", "Remaining", "money"),
                Column("执行率", "Execution", "ratio"),
            ],
        )
        for line in self.lines:
            lines.add(
                line.fund or "—",
                line.account,
                line.kind_label,
                line.budget,
                line.actual,
                line.remaining,
                line.execution,
                style="flag" if line.over else "",
            )
        if not self.lines:
            lines.notes.append('本期没有预算（custom "budget"）指令。')
        cats = Table(
            "支出类别",
            "支出按第二十五条类别的预算与实际",
            "Spending by art. 25 category",
            [
                Column("基金", "Fund"),
                Column("类别", "Category"),
                Column("预算数", "Budget", "money"),
                Column("预算内实际数", "Actual (budgeted)", "money"),
                Column("执行率", "Execution", "ratio"),
                Column("未列入预算的支出", "Unbudgeted spending", "money"),
            ],
        )
        for c in self.categories:
            cats.add(
                c.fund or "合计",
                c.label,
                c.budget,
                c.actual,
                c.execution,
                c.unbudgeted,
                style="total" if c.fund is None else ("flag" if c.unbudgeted else ""),
            )
        cats.notes.append(
            "执行率只比较有预算指令的账户（预算内实际数 ÷ 预算数）；没有预算的账户的支出单列为“未列入预算的支出”，"
            "不计入执行率（第二十六条：全面预算管理）。"
        )
        share = Table(
            "管理费用占比",
            "管理类支出占比（第二十六条：严格控制管理费用）",
            "Admin share (art. 26)",
            [
                Column("口径", "Basis"),
                Column("管理类支出（第二十五条第三项）", "Admin spending", "money"),
                Column("支出合计", "All spending", "money"),
                Column("占比", "Share", "ratio"),
            ],
        )
        share.add("实际（全部基金）", self.admin_actual, self.expenses_total, self.admin_share)
        share.notes.append(
            "管理费用 = 第二十五条第（三）类支出（日常管理、工资福利、行政办公），含综合管理基金；"
            "管理费用率 = 管理费用 ÷ 支出合计，与统计报表、合规页和汇总同一口径。"
        )
        return [lines, cats, share]


def _kind_of_budget(ctx: ReportContext, account: str) -> str | None:
    """A budget on a parent account takes the kind its opened sub-accounts share."""
    kind = ctx.model.kind_of(account)
    if kind:
        return kind
    kinds = {
        info.kind
        for name, info in ctx.model.accounts.items()
        if name.startswith(account + ":") and info.kind
    }
    return kinds.pop() if len(kinds) == 1 else None


def budget_report(ctx: ReportContext) -> BudgetReport:
    bal = ctx.balances
    period = ctx.period
    currency = ctx.currency
    in_scope = {f.code for f in ctx.funds()}
    lines: list[BudgetLine] = []
    for account in sorted(ctx.model.budgets):
        fund = ctx.model.fund_of(account)
        if fund not in in_scope:
            continue
        # Fava spreads a budget day by day in 28-digit Decimals; state it to the cent.
        amount = cents(
            calculate_budget(ctx.model.budgets, account, period.start, period.end_exclusive).get(
                currency, ZERO
            )
        )
        sign = -1 if account.startswith("Income:") else 1
        actual = sign * sum(
            (v for a, v in bal.flow.items() if a == account or a.startswith(account + ":")), ZERO
        )
        if not amount and not actual:
            continue
        kind = _kind_of_budget(ctx, account)
        lines.append(
            BudgetLine(
                fund=fund,
                account=account,
                kind=kind,
                kind_label=label(kind),
                category=EXPENSE_CATEGORY.get(kind or ""),
                budget=amount,
                actual=actual,
                remaining=amount - actual,
                execution=ratio(actual, amount),
                over=sign > 0 and actual > amount,
            )
        )
    categories: list[BudgetCategory] = []
    totals: dict[int, list[Decimal]] = {c: [ZERO, ZERO, ZERO] for c in CATEGORY_LABEL_ZH}
    budgeted = [b.account for b in lines]
    for fund in sorted(in_scope):
        for category, cat_label in CATEGORY_LABEL_ZH.items():
            inside = outside = ZERO
            for account, value in bal.flow.items():
                if not account.startswith("Expenses:") or bal.fund_of(account) != fund:
                    continue
                if EXPENSE_CATEGORY.get(bal.kind_of(account) or "") != category:
                    continue
                if any(account == b or account.startswith(b + ":") for b in budgeted):
                    inside += value
                else:
                    outside += value
            budget = sum(
                (b.budget for b in lines if b.fund == fund and b.category == category), ZERO
            )
            if not inside and not outside and not budget:
                continue
            totals[category][0] += budget
            totals[category][1] += inside
            totals[category][2] += outside
            categories.append(
                BudgetCategory(
                    fund=fund,
                    category=category,
                    label=cat_label,
                    budget=budget,
                    actual=inside,
                    execution=ratio(inside, budget),
                    unbudgeted=outside,
                )
            )
    for category, (budget, inside, outside) in totals.items():
        categories.append(
            BudgetCategory(
                fund=None,
                category=category,
                label=CATEGORY_LABEL_ZH[category],
                budget=budget,
                actual=inside,
                execution=ratio(inside, budget),
                unbudgeted=outside,
            )
        )
    admin = ctx.ledger.figures.admin(period, sorted(in_scope))
    admin_budget = sum((b.budget for b in lines if b.kind in ADMIN_KINDS), ZERO)
    budget_total = sum((b.budget for b in lines if b.category is not None), ZERO)
    return BudgetReport(
        header=ctx.header("budget", "预算执行情况表", "Budget report"),
        lines=lines,
        categories=categories,
        expenses_total=admin.expenses,
        admin_actual=admin.admin,
        admin_share=admin.ratio,
        admin_budget=admin_budget,
        budget_total=budget_total,
    )
