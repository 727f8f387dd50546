"""HZ-A29: 收支两条线 — receipts and payments run on separate lines (art. 29)."""

from __future__ import annotations

from hzledger.kinds import COLLECTION_TARGET_KINDS
from hzledger.messages import Msg
from hzledger.rules.base import Context, Rule
from hzledger.txn import TxnFacts


class SeparateLinesRule(Rule):
    """HZ-A29: 收支两条线 — receipts and payments run on separate lines (art. 29)."""

    id = "HZ-A29"
    article = 29
    title_zh = "收支两条线：不得坐支，收入户只转不付，支出户只收利息"
    title_en = "receipts and payments on separate lines"

    def transaction(self, facts: TxnFacts, ctx: Context) -> None:
        txn = facts.txn
        # A transaction wholly outside the declared funds is HZ-FUND's to report.
        if not facts.fund_sums:
            return
        if facts.has_income and facts.has_expenses:
            income = [pf.account for pf in facts.postings if pf.root == "Income"]
            expenses = [pf.account for pf in facts.postings if pf.root == "Expenses"]
            ctx.emit(
                self,
                txn,
                Msg(
                    f"同一笔交易既记收入（{'、'.join(income)}）又记支出（{'、'.join(expenses)}），"
                    "属坐支或收支相抵；收入应全额入账，支出另行从支出户支付",
                    f"income ({', '.join(income)}) and expenses ({', '.join(expenses)}) in one "
                    "transaction (netting receipts against payments)",
                ),
                fund=next((pf.fund for pf in facts.postings if pf.fund), None),
                detail="netting",
            )
        for pf in facts.postings:
            role = pf.role
            if role is None:
                continue
            if role == "collection" and pf.number < 0:
                bad = [
                    other.account
                    for other in facts.postings
                    if other is not pf
                    and other.role != "collection"
                    and not (other.fund == pf.fund and other.kind in COLLECTION_TARGET_KINDS)
                ]
                if bad:
                    ctx.emit(
                        self,
                        txn,
                        Msg(
                            f"收入户 {pf.account} 对外支付（{'、'.join(bad)}）；收入户只能把资金"
                            f"划转到本基金（{pf.fund}）的现金、银行、定期存款或国债账户，"
                            "支出应从支出户支付",
                            f"collection account {pf.account} pays {', '.join(bad)}; it may only "
                            "move money to the same fund's cash/bank/term-deposit/treasury-bond",
                        ),
                        fund=pf.fund,
                        detail=pf.account,
                    )
            elif role == "expenditure" and pf.number > 0:
                income = [
                    other.account
                    for other in facts.postings
                    if other.root == "Income" and other.kind != "interest"
                ]
                if income:
                    ctx.emit(
                        self,
                        txn,
                        Msg(
                            f"支出户 {pf.account} 直接收取收入（{'、'.join(income)}）；"
                            "除利息外，收入应先进入收入户",
                            f"expenditure account {pf.account} receives income "
                            f"({', '.join(income)}) other than interest",
                        ),
                        fund=pf.fund,
                        detail=pf.account,
                    )
