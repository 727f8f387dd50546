"""Account kinds of LEDGER-SPEC §4 and the articles they answer to.

Every `open` declares a `kind`; the rules read these tables rather than account
names, so a ledger may name its accounts however its chart of accounts wants.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class Root(StrEnum):
    """Beancount's five account roots."""

    ASSETS = "Assets"
    LIABILITIES = "Liabilities"
    EQUITY = "Equity"
    INCOME = "Income"
    EXPENSES = "Expenses"


# Art. 24: the five income sources, by kind, with the clause each answers to.
INCOME_KINDS: Final[dict[str, str]] = {
    "dues": "24(一)",
    "donation": "24(二)",
    "subsidy": "24(三)",
    "service": "24(四)",
    "interest": "24(五)",
    "other": "24(五)",
}

# Art. 25: the three spending categories.
EXPENSE_CATEGORY: Final[dict[str, int]] = {
    "benefit": 1,
    "relief": 2,
    "health": 2,
    "culture": 2,
    "publicity": 2,
    "legal": 2,
    "member-service": 2,
    "admin": 3,
    "payroll": 3,
    "office": 3,
}
EXPENSE_KINDS: Final[frozenset[str]] = frozenset(EXPENSE_CATEGORY)
ADMIN_KINDS: Final[frozenset[str]] = frozenset({"admin", "payroll", "office"})

# Asset kinds art. 28 allows, in the order of the 资产负债表 (current, then non-current).
CURRENT_ASSET_KINDS: Final[tuple[str, ...]] = (
    "cash",
    "bank",
    "term-deposit",
    "treasury-bond",
    "receivable",
    "prepaid",
    "interfund",
)
NON_CURRENT_ASSET_KINDS: Final[tuple[str, ...]] = ("fixed-asset",)
ASSET_KINDS_ALLOWED: Final[frozenset[str]] = frozenset(
    CURRENT_ASSET_KINDS + NON_CURRENT_ASSET_KINDS
)
# Art. 28: what fund money may never be put into.
ASSET_KINDS_PROHIBITED: Final[frozenset[str]] = frozenset(
    {"stock", "fund", "bond", "futures", "wealth-product", "premises"}
)
LIQUID_KINDS: Final[frozenset[str]] = frozenset({"cash", "bank"})
# Where a collection account (收入户) may move money to (art. 29).
COLLECTION_TARGET_KINDS: Final[frozenset[str]] = frozenset(
    {"cash", "bank", "term-deposit", "treasury-bond"}
)

# Liability kinds, in the order of the 资产负债表.
LIABILITY_KIND_ORDER: Final[tuple[str, ...]] = (
    "payable",
    "benefit-payable",
    "payroll",
    "tax",
    "interfund",
    "unearned-dues",
    "claim-reserve",
)
LIABILITY_KINDS: Final[frozenset[str]] = frozenset(LIABILITY_KIND_ORDER)
# Solvency (spec §7): what can pay benefits, and the reserves held against them.
AVAILABLE_KINDS: Final[tuple[str, ...]] = ("cash", "bank", "term-deposit", "treasury-bond")
RESERVE_KINDS: Final[frozenset[str]] = frozenset(
    {"unearned-dues", "claim-reserve", "benefit-payable"}
)
EQUITY_KINDS: Final[frozenset[str]] = frozenset({"net-assets"})

BANK_ROLES: Final[frozenset[str]] = frozenset({"collection", "expenditure"})

KIND_LABEL_ZH: Final[dict[str, str]] = {
    "dues": "会员会费",
    "donation": "社会捐赠",
    "subsidy": "政府、行政和工会资助或补助",
    "service": "核准业务范围内活动和服务收入",
    "interest": "利息收入",
    "other": "其他合法收入",
    "benefit": "给付会员的互助金",
    "relief": "救助慰问",
    "health": "健康管理",
    "culture": "文体活动",
    "publicity": "宣传培训",
    "legal": "法律服务",
    "member-service": "其他会员服务与事业发展",
    "admin": "日常管理",
    "payroll": "工作人员工资福利",
    "office": "行政办公",
    "cash": "库存现金",
    "bank": "银行存款",
    "term-deposit": "定期存款/大额存单",
    "treasury-bond": "国债",
    "receivable": "应收款项",
    "prepaid": "预付款项",
    "interfund": "基金往来",
    "fixed-asset": "设备类固定资产",
    "stock": "股票",
    "fund": "基金（金融产品）",
    "bond": "债券（非国债）",
    "futures": "期货",
    "wealth-product": "理财产品",
    "premises": "兴建/改建办公场所",
    "payable": "应付款项",
    "benefit-payable": "应付互助金",
    "unearned-dues": "未到期责任准备金",
    "claim-reserve": "未决赔款准备金",
    "tax": "应交税金",
    "net-assets": "净资产",
}

CATEGORY_LABEL_ZH: Final[dict[int, str]] = {
    1: "互助金给付",
    2: "会员服务与事业发展",
    3: "日常管理、工资福利与行政办公",
}


def root_of(account: str) -> str:
    return account.split(":", 1)[0]


def allowed_kinds(root: str) -> frozenset[str]:
    """The kinds the spec's table allows under an account root."""
    return {
        Root.ASSETS.value: ASSET_KINDS_ALLOWED,
        Root.LIABILITIES.value: LIABILITY_KINDS,
        Root.EQUITY.value: EQUITY_KINDS,
        Root.INCOME.value: frozenset(INCOME_KINDS),
        Root.EXPENSES.value: EXPENSE_KINDS,
    }.get(root, frozenset())


def label(kind: str | None) -> str:
    return KIND_LABEL_ZH.get(kind or "", kind or "（未声明）")
