"""HZ-A26: administrative spending within its yearly budget (art. 26)."""

from __future__ import annotations

import bisect
import datetime
from collections import defaultdict
from decimal import Decimal

from beancount.core import data

from hzledger.budgets import calculate_budget
from hzledger.findings import Severity
from hzledger.kinds import ADMIN_KINDS
from hzledger.messages import Msg, money
from hzledger.rules.base import Context, Rule
from hzledger.txn import TxnFacts

CENT = Decimal("0.005")
# A year's budget may be set from 1 October of the year before (the budgeting season).
BUDGET_SEASON_MONTH = 10


class AdminBudgetRule(Rule):
    """HZ-A26: administrative spending within its yearly budget (art. 26)."""

    id = "HZ-A26"
    article = 26
    severity = Severity.WARNING
    title_zh = "管理费用不超过年度预算"
    title_en = "administrative spending within the yearly budget"

    def __init__(self) -> None:
        self.covering: dict[str, tuple[str, ...]] = {}
        self.spent: dict[tuple[str, int, str], Decimal] = defaultdict(Decimal)
        self.budget_cache: dict[tuple[str, int], dict[str, Decimal]] = {}
        self.reported: set[tuple[str, int]] = set()
        # Fiscal year -> its first administrative spending (where a missing budget is reported).
        self.first_spending: dict[int, data.Transaction] = {}
        self.admin_accounts = False

    def _budgets_over(self, account: str, ctx: Context) -> tuple[str, ...]:
        """The budgeted accounts whose subtree holds `account` (itself included)."""
        found = self.covering.get(account)
        if found is None:
            budgets = ctx.model.budgets
            parts = account.split(":")
            found = tuple(
                ":".join(parts[:n])
                for n in range(len(parts), 0, -1)
                if ":".join(parts[:n]) in budgets
            )
            self.covering[account] = found
        return found

    def _budget(self, account: str, year: int, ctx: Context) -> dict[str, Decimal]:
        key = (account, year)
        if key not in self.budget_cache:
            self.budget_cache[key] = dict(
                calculate_budget(
                    ctx.model.budgets,
                    account,
                    datetime.date(year, 1, 1),
                    datetime.date(year + 1, 1, 1),
                )
            )
        return self.budget_cache[key]

    def watches_transactions(self, ctx: Context) -> bool:
        return bool(ctx.model.budgets) or any(
            info.kind in ADMIN_KINDS and info.root == "Expenses"
            for info in ctx.model.accounts.values()
        )

    def transaction(self, facts: TxnFacts, ctx: Context) -> None:
        txn = facts.txn
        year = txn.date.year
        if year not in self.first_spending:
            for pf in facts.postings:
                if pf.kind in ADMIN_KINDS and pf.root == "Expenses" and pf.number > 0:
                    self.first_spending[year] = txn
                    break
        if not ctx.model.budgets:
            return
        for pf in facts.postings:
            if pf.kind not in ADMIN_KINDS or pf.root != "Expenses":
                continue
            for budgeted in self._budgets_over(pf.account, ctx):
                if (budgeted, year) in self.reported:
                    continue
                budget = self._budget(budgeted, year, ctx).get(pf.currency)
                if budget is None:
                    continue
                key = (budgeted, year, pf.currency)
                self.spent[key] += pf.number
                if self.spent[key] > budget + CENT:
                    self.reported.add((budgeted, year))
                    ctx.emit(
                        self,
                        txn,
                        Msg(
                            f"{year} 年 {budgeted} 的管理类支出累计 "
                            f"{money(self.spent[key], pf.currency)}，超过年度预算 "
                            f"{money(budget.quantize(Decimal('0.01')), pf.currency)}；"
                            "应严格控制管理费用，超支须调整预算并报主管工会审核备案",
                            f"{year}: administrative spending on {budgeted} reaches "
                            f"{self.spent[key]} {pf.currency}, over the yearly budget "
                            f"{budget.quantize(Decimal('0.01'))}",
                        ),
                        fund=pf.fund,
                        detail=f"{budgeted}:{year}",
                    )

    def finish(self, ctx: Context) -> None:
        """Each year's budget is set afresh (art. 26): in the year or from 1 October before."""
        dates = ctx.model.budget_dates
        for year, txn in sorted(self.first_spending.items()):
            since = datetime.date(year - 1, BUDGET_SEASON_MONTH, 1)
            idx = bisect.bisect_left(dates, since)
            if idx < len(dates) and dates[idx] <= datetime.date(year, 12, 31):
                continue
            ctx.emit(
                self,
                txn,
                Msg(
                    f"{year} 年有管理类（admin/payroll/office）支出（首笔 {txn.date}），但该年度"
                    f'（及 {year - 1} 年 10 月 1 日以来）没有编制任何预算（custom "budget"）；'
                    "每年应编制年度预算，管理费用须控制在预算之内",
                    f"fiscal year {year} has administrative spending (first on {txn.date}) but "
                    f'no custom "budget" entry dated in it or since 1 October {year - 1}',
                ),
                detail=f"no-budget:{year}",
            )
