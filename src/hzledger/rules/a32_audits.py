"""HZ-A32: internal and external audit of every fiscal year, recorded by the deadline (art. 32)."""

from __future__ import annotations

import datetime

from beancount.core import data

from hzledger.findings import Severity
from hzledger.messages import Msg
from hzledger.model import parse_mm_dd
from hzledger.rules.base import Context, Rule
from hzledger.txn import TxnFacts

_KIND_ZH = {"internal": "内部稽核", "external": "外部年度审计"}


class AuditRule(Rule):
    id = "HZ-A32"
    article = 32
    severity = Severity.WARNING
    title_zh = "每年内部稽核和外部年度审计"
    title_en = "yearly internal audit and external audit"
    depends_on_as_of = True

    def __init__(self) -> None:
        # Fiscal year -> its last transaction, where a missing audit is reported.
        self.years: dict[int, data.Transaction] = {}

    def transaction(self, facts: TxnFacts, ctx: Context) -> None:
        self.years[facts.txn.date.year] = facts.txn

    def finish(self, ctx: Context) -> None:
        as_of = ctx.as_of
        # A ledger with no declared fund is not an organisation's books (HZ-FUND says so).
        if as_of is None or not ctx.model.funds:
            return
        for year, last_txn in sorted(self.years.items()):
            rule = ctx.model.policy.value("audit-deadline", datetime.date(year, 12, 31))
            deadline = parse_mm_dd(str(rule), year + 1)
            if deadline is None or as_of <= deadline:
                continue
            for kind in ("internal", "external"):
                recorded = [
                    a.date
                    for a in ctx.model.audits
                    if a.kind == kind and a.year == year and a.date <= as_of
                ]
                if recorded and min(recorded) <= deadline:
                    continue
                state_zh = f"迟至 {min(recorded)} 才记录" if recorded else "未记录"
                state_en = f"recorded late on {min(recorded)}" if recorded else "not recorded"
                ctx.emit(
                    self,
                    last_txn,
                    Msg(
                        f"{year} 年度的{_KIND_ZH[kind]}{state_zh}（截止日 {deadline}，"
                        f'核查日 {as_of}）；请登记 hz-audit "{kind}" "{year}" 及报告',
                        f"the {kind} audit of fiscal year {year} is {state_en} "
                        f"(deadline {deadline}, as of {as_of})",
                    ),
                    date=last_txn.date,
                    detail=f"{kind}:{year}",
                )
