"""HZ-FUND: every account belongs to a declared fund; fund codes well-formed and unique (art. 17)."""

from __future__ import annotations

from hzledger.messages import Msg
from hzledger.model import second_component
from hzledger.rules.base import Context, ParsedProblemsRule

FUND_ROOTS = ("Assets", "Liabilities", "Equity", "Income", "Expenses")


class FundRule(ParsedProblemsRule):
    """HZ-FUND: every account belongs to a declared fund; fund codes well-formed and unique (art. 17)."""

    id = "HZ-FUND"
    article = 17
    title_zh = "账户归属已声明的基金（不同保障活动项目单独核算）"
    title_en = "every account belongs to a declared fund"

    def declarations(self, ctx: Context) -> None:
        super().declarations(ctx)
        known = "、".join(sorted(ctx.model.funds)) or "（无）"
        for info in ctx.model.accounts.values():
            if info.root not in FUND_ROOTS or info.fund is not None:
                continue
            code = second_component(info.name)
            ctx.emit(
                self,
                info.source,
                Msg(
                    f"账户 {info.name} 的第二级 {code or '（缺失）'} 不是已声明的基金或项目"
                    f"（已声明：{known}）；请用 hz-fund/hz-project 声明该基金，"
                    "或把账户放到所属基金代码之下",
                    f"account {info.name}: second component {code or '(missing)'} is not a "
                    f"declared fund (declared: {', '.join(sorted(ctx.model.funds)) or 'none'})",
                ),
                date=info.open_date,
                detail=info.name,
            )
