"""Every rule of LEDGER-SPEC §7, in the order their findings read best."""

from __future__ import annotations

from hzledger.rules.accounts import SeparateLinesRule
from hzledger.rules.audits import AuditRule
from hzledger.rules.base import Context, Rule
from hzledger.rules.budgets import AdminBudgetRule
from hzledger.rules.decisions import CollectiveDecisionRule, SeparationOfDutiesRule
from hzledger.rules.declarations import (
    FundRule,
    IncomeSourcesRule,
    InvestmentsRule,
    KindRule,
    PolicyRule,
    SpendingCategoriesRule,
)
from hzledger.rules.funds import SeparateFundsRule
from hzledger.rules.meta_typos import MetaTypoRule
from hzledger.rules.projects import ProjectTermRule

ALL_RULES: tuple[type[Rule], ...] = (
    FundRule,
    KindRule,
    IncomeSourcesRule,
    SpendingCategoriesRule,
    InvestmentsRule,
    CollectiveDecisionRule,
    SeparateFundsRule,
    SeparateLinesRule,
    ProjectTermRule,
    SeparationOfDutiesRule,
    AuditRule,
    AdminBudgetRule,
    MetaTypoRule,
    PolicyRule,
)

RULES_BY_ID: dict[str, type[Rule]] = {rule.id: rule for rule in ALL_RULES}

# Beancount's own errors, passed through under this id (LEDGER-SPEC §7).
BEANCOUNT_RULE_ID = "beancount"

__all__ = ["ALL_RULES", "BEANCOUNT_RULE_ID", "RULES_BY_ID", "Context", "Rule"]
