"""HZ-A15: protection projects are filed, have a term, and take dues only while filed (art. 15)."""

from __future__ import annotations

from decimal import Decimal

from hzledger.dates import term_limit
from hzledger.findings import Severity
from hzledger.messages import Msg, money
from hzledger.rules.base import Context, Rule
from hzledger.txn import TxnFacts

_REQUIRED = (
    ("start", "start（保障起始日）"),
    ("end", "end（保障终止日）"),
    ("filing", "filing（备案文号）"),
    ("filed", "filed（备案日期）"),
)


class ProjectTermRule(Rule):
    """HZ-A15: protection projects are filed, have a term, and take dues only while filed (art. 15)."""

    id = "HZ-A15"
    article = 15
    title_zh = "保障项目须备案、期限一般不超过三年"
    title_en = "projects are filed and their term is at most three years"

    def declarations(self, ctx: Context) -> None:
        for fund in ctx.model.projects.values():
            missing = [label for key, label in _REQUIRED if getattr(fund, key) is None]
            if missing:
                ctx.emit(
                    self,
                    fund.source,
                    Msg(
                        f"保障项目 {fund.code}（{fund.name}）缺少 {'、'.join(missing)}；"
                        "项目须有保障期限，并经本级和上级工会监管部门备案",
                        f"project {fund.code} lacks "
                        f"{', '.join(k for k, _ in _REQUIRED if getattr(fund, k) is None)}",
                    ),
                    fund=fund.code,
                    date=fund.date,
                    detail="missing",
                )
            if fund.start is None or fund.end is None:
                continue
            if fund.end < fund.start:
                ctx.emit(
                    self,
                    fund.source,
                    Msg(
                        f"保障项目 {fund.code} 的终止日 {fund.end} 早于起始日 {fund.start}",
                        f"project {fund.code} ends ({fund.end}) before it starts ({fund.start})",
                    ),
                    fund=fund.code,
                    date=fund.date,
                    detail="order",
                )
                continue
            years = ctx.model.policy.value("term-max-years", fund.date)
            if not isinstance(years, Decimal):
                continue
            last = term_limit(fund.start, years)
            if fund.end > last:
                ctx.emit(
                    self,
                    fund.source,
                    Msg(
                        f"保障项目 {fund.code} 的保障期限 {fund.start} 至 {fund.end} 超过 "
                        f"{years} 年（最迟应至 {last}）；保障期限一般控制在三年（含）以内",
                        f"project {fund.code} runs {fund.start}..{fund.end}, longer than "
                        f"{years} years (last day would be {last})",
                    ),
                    fund=fund.code,
                    date=fund.date,
                    severity=Severity.WARNING,
                    detail="term",
                )

    def watches_transactions(self, ctx: Context) -> bool:
        return any(f.filed is not None or f.end is not None for f in ctx.model.projects.values())

    def transaction(self, facts: TxnFacts, ctx: Context) -> None:
        txn = facts.txn
        for pf in facts.postings:
            if pf.kind != "dues" or pf.fund is None:
                continue
            project = ctx.model.funds[pf.fund]
            if not project.is_project:
                continue
            if project.filed is not None and txn.date < project.filed:
                amount = money(-pf.number, pf.currency)
                ctx.emit(
                    self,
                    txn,
                    Msg(
                        f"项目 {project.code} 在备案日 {project.filed} 之前收取会费 {amount}"
                        f"（{pf.account}）；项目须先备案再收费",
                        f"dues of {amount} posted to {project.code} before it was filed "
                        f"({project.filed})",
                    ),
                    fund=project.code,
                    detail="before-filed",
                )
            elif project.end is not None and txn.date > project.end:
                amount = money(-pf.number, pf.currency)
                ctx.emit(
                    self,
                    txn,
                    Msg(
                        f"项目 {project.code} 已于 {project.end} 终止，仍收取会费 {amount}"
                        f"（{pf.account}）；新一期保障应另立项目并备案",
                        f"dues of {amount} posted to {project.code} after its end ({project.end})",
                    ),
                    fund=project.code,
                    detail="after-end",
                )
