"""`report budget`: budget against actual for the period (art. 26).

Budgets are Fava's own `custom "budget"` directives, spread over the period with
Fava's arithmetic (`hzledger.budgets.calculate_budget`: a yearly budget over half
a year counts half). Actual spending of a budgeted account includes its sub-accounts. The
category rows sum every expense account of the three art. 25 categories, budgeted
or not; the admin share is category (三) — daily management, staff pay, office —
over all spending, which art. 26 asks the organisation to keep strictly in check.
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
    fund: str
    category: int
    label: str
    budget: Decimal
    actual: Decimal
    execution: Decimal | None


class BudgetReport(BaseModel):
    kind: Literal["budget"] = "budget"
    header: ReportHeader
    lines: list[BudgetLine]
    categories: list[BudgetCategory]
    expenses_total: Decimal
    admin_actual: Decimal
    admin_share: Decimal | None
    admin_budget: Decimal
    budget_total: Decimal
    admin_budget_share: Decimal | None

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
                Column("实际数", "Actual", "money"),
                Column("执行率", "Execution", "ratio"),
            ],
        )
        for c in self.categories:
            cats.add(
                c.fund,
                c.label,
                c.budget,
                c.actual,
                c.execution,
                style="total" if c.fund == "合计" else "",
            )
        cats.notes.append("类别预算为该类别中有预算指令的账户之和；实际数含该类别全部账户。")
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
        share.add("预算", self.admin_budget, self.budget_total, self.admin_budget_share)
        share.add("实际", self.admin_actual, self.expenses_total, self.admin_share)
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
    totals: dict[int, list[Decimal]] = {c: [ZERO, ZERO] for c in CATEGORY_LABEL_ZH}
    for fund in sorted(in_scope):
        flow = bal.by_kind("Expenses", fund, "flow")
        for category, cat_label in CATEGORY_LABEL_ZH.items():
            actual = sum((v for k, v in flow.items() if EXPENSE_CATEGORY.get(k) == category), ZERO)
            budget = sum(
                (b.budget for b in lines if b.fund == fund and b.category == category), ZERO
            )
            if not actual and not budget:
                continue
            totals[category][0] += budget
            totals[category][1] += actual
            categories.append(
                BudgetCategory(
                    fund=fund,
                    category=category,
                    label=cat_label,
                    budget=budget,
                    actual=actual,
                    execution=ratio(actual, budget),
                )
            )
    for category, (budget, actual) in totals.items():
        categories.append(
            BudgetCategory(
                fund="合计",
                category=category,
                label=CATEGORY_LABEL_ZH[category],
                budget=budget,
                actual=actual,
                execution=ratio(actual, budget),
            )
        )
    expenses_total = sum(
        (sum(bal.by_kind("Expenses", f, "flow").values(), ZERO) for f in in_scope), ZERO
    )
    admin_actual = sum(
        (
            v
            for f in in_scope
            for k, v in bal.by_kind("Expenses", f, "flow").items()
            if k in ADMIN_KINDS
        ),
        ZERO,
    )
    admin_budget = sum((b.budget for b in lines if b.kind in ADMIN_KINDS), ZERO)
    budget_total = sum((b.budget for b in lines if b.category is not None), ZERO)
    return BudgetReport(
        header=ctx.header("budget", "预算执行情况表", "Budget report"),
        lines=lines,
        categories=categories,
        expenses_total=expenses_total,
        admin_actual=admin_actual,
        admin_share=ratio(admin_actual, expenses_total),
        admin_budget=admin_budget,
        budget_total=budget_total,
        admin_budget_share=ratio(admin_budget, budget_total),
    )
