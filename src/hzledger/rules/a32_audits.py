"""HZ-A32: internal and external audit of every fiscal year, recorded by the deadline (art. 32)."""

from __future__ import annotations

from beancount.core import data
from typing_extensions import override

from hzledger.figures.audits import KINDS, audit_state
from hzledger.findings import Severity
from hzledger.messages import Msg
from hzledger.rules.base import Context, Rule
from hzledger.txn import TxnFacts

_KIND_ZH = {"internal": "内部稽核", "external": "外部年度审计"}


class AuditRule(Rule):
    """HZ-A32: internal and external audit of every fiscal year, recorded by the deadline (art. 32)."""

    id = "HZ-A32"
    article = 32
    severity = Severity.WARNING
    title_zh = "每年内部稽核和外部年度审计"
    title_en = "yearly internal audit and external audit"
    depends_on_as_of = True

    def __init__(self) -> None:
        # Fiscal year -> its last transaction, where a missing audit is reported.
        self.years: dict[int, data.Transaction] = {}

    @override
    def transaction(self, facts: TxnFacts, ctx: Context) -> None:
        self.years[facts.txn.date.year] = facts.txn

    def finish(self, ctx: Context) -> None:
        as_of = ctx.as_of
        # A ledger with no declared fund is not an organisation's books (HZ-FUND says so).
        if as_of is None or not ctx.model.funds:
            return
        for year, last_txn in sorted(self.years.items()):
            for kind in KINDS:
                # One audit-status rule for this check, the compliance page and the disclosure.
                st = audit_state(ctx.model, year, kind, as_of)
                if st.state not in ("late", "missing"):
                    continue
                deadline = st.deadline
                first = st.first.date if st.first else None
                state_zh = f"迟至 {first} 才记录" if first else "未记录"
                state_en = f"recorded late on {first}" if first else "not recorded"
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
