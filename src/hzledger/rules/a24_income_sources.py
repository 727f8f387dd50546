"""HZ-A24: income only from the five sources of art. 24."""

from __future__ import annotations

from hzledger.kinds import INCOME_KINDS
from hzledger.rules.base import KindTableRule


class IncomeSourcesRule(KindTableRule):
    """HZ-A24: income only from the five sources of art. 24."""

    id = "HZ-A24"
    article = 24
    root = "Income"
    kinds = frozenset(INCOME_KINDS)
    title_zh = "收入只能来自五项资金来源"
    title_en = "income only from the five allowed sources"
    message_zh = (
        "收入账户 {account} 的类型“{kind}”不属于五项资金来源（会费 dues、捐赠 donation、"
        "资助补助 subsidy、服务收入 service、利息 interest、其他合法收入 other）；"
        "请改为其中之一，或停止此类收入"
    )
    message_en = (
        "income account {account} has kind {kind!r}, not one of the five sources "
        f"({', '.join(INCOME_KINDS)})"
    )
