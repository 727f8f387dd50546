"""HZ-A25: spending only in the three categories of art. 25."""

from __future__ import annotations

from hzledger.kinds import EXPENSE_KINDS
from hzledger.rules.base import KindTableRule


class SpendingCategoriesRule(KindTableRule):
    """HZ-A25: spending only in the three categories of art. 25."""

    id = "HZ-A25"
    article = 25
    root = "Expenses"
    kinds = EXPENSE_KINDS
    title_zh = "支出只能用于三类范围"
    title_en = "spending only in the three allowed categories"
    message_zh = (
        "支出账户 {account} 的类型“{kind}”不在三类支出范围内（互助金 benefit；会员服务 "
        "relief/health/culture/publicity/legal/member-service；管理 admin/payroll/office）；"
        "请改为其中之一"
    )
    message_en = (
        "expense account {account} has kind {kind!r}, outside the three categories "
        f"({', '.join(sorted(EXPENSE_KINDS))})"
    )
