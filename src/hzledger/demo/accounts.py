"""The chart of accounts the generator writes (codes after 《民间非营利组织会计制度》)."""

from __future__ import annotations

ZH = "ZH"
ZH_NAME = "综合管理基金"
ZH_BANK = "Assets:ZH:1002银行存款:J基本户"
ZH_EQUITY = "Equity:ZH:3101非限定性净资产"
ZH_SUBSIDY = "Income:ZH:4401补助收入:G工会补助"
ZH_INTEREST = "Income:ZH:4601利息收入"
ZH_PAYROLL = "Expenses:ZH:5201管理费用:G工资福利"
ZH_OFFICE = "Expenses:ZH:5201管理费用:B办公费"
ZH_ADMIN = "Expenses:ZH:5201管理费用:R日常管理"
ZH_FIXED = "Assets:ZH:1601固定资产:X信息系统设备"


def zh_receivable(code: str) -> str:
    return f"Assets:ZH:1122其他应收款:W往来{code}"


def collection(code: str) -> str:
    return f"Assets:{code}:1002银行存款:S收入户"


def expenditure(code: str) -> str:
    return f"Assets:{code}:1002银行存款:Z支出户"


def term_deposit(code: str) -> str:
    return f"Assets:{code}:1002银行存款:D定期存款"


def bonds(code: str) -> str:
    return f"Assets:{code}:1101短期投资:G国债"


def wealth(code: str) -> str:
    return f"Assets:{code}:1101短期投资:L银行理财"


def payable_zh(code: str) -> str:
    return f"Liabilities:{code}:2209其他应付款:W往来ZH"


def dues(code: str) -> str:
    return f"Income:{code}:4201会费收入"


def donation(code: str) -> str:
    return f"Income:{code}:4101捐赠收入"


def interest(code: str) -> str:
    return f"Income:{code}:4601利息收入"


def benefit(code: str) -> str:
    return f"Expenses:{code}:5101业务活动成本:H互助金"


def service(code: str, leaf: str) -> str:
    return f"Expenses:{code}:5101业务活动成本:{leaf}"


def admin_share(code: str) -> str:
    return f"Expenses:{code}:5201管理费用:F分摊管理费"
