"""`report balance`: the balance sheet of each fund and of the organisation (art. 23).

Laid out after the 资产负债表 of 《民间非营利组织会计制度》 where it fits: assets by
kind (current, then non-current, then any holding art. 28 prohibits), liabilities
by kind, and net assets split into restricted and unrestricted.

Net assets = assets − liabilities. Restricted (限定性) net assets are the balances
of `Equity` accounts opened with `restricted: TRUE`, plus, for a protection
project, its accumulated surplus (income − expenses to date): a project's money
belongs to its members and serves only that project (art. 17, 22). Everything
else is unrestricted (非限定性).

The organisation's total eliminates what its own funds owe each other: interfund
receivables (`Assets` of kind `interfund`) and interfund payables (`Liabilities` of kind
`interfund`) between funds of the same organisation are not assets or liabilities of
the organisation. The smaller of the two sides is eliminated from both, and the amount
is shown; a remaining difference means the two funds' books disagree and stays visible.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal

from beancount.core import data
from pydantic import BaseModel

from hzledger.kinds import (
    ASSET_KINDS_PROHIBITED,
    CURRENT_ASSET_KINDS,
    LIABILITY_KIND_ORDER,
    LIABILITY_KINDS,
    NON_CURRENT_ASSET_KINDS,
    label,
)
from hzledger.reports.common import ZERO, ReportHeader
from hzledger.reports.context import ReportContext
from hzledger.reports.funds import KindAmount
from hzledger.reports.tables import Column, Table


class BalanceSheet(BaseModel):
    """Assets, liabilities and net assets of some funds; the organisation's total is one."""

    current_assets: list[KindAmount]
    non_current_assets: list[KindAmount]
    prohibited_assets: list[KindAmount]
    assets_total: Decimal
    liabilities: list[KindAmount]
    liabilities_total: Decimal
    net_assets_restricted: Decimal
    net_assets_unrestricted: Decimal
    net_assets_total: Decimal


class FundBalanceSheet(BalanceSheet):
    """One fund's balance sheet, named by its code."""

    code: str
    name: str
    is_project: bool


class BalanceSheetReport(BaseModel):
    """`report balance`: each fund's balance sheet and the organisation's."""

    kind: Literal["balance"] = "balance"
    header: BalanceSheetHeader
    funds: list[FundBalanceSheet]
    total: BalanceSheet
    eliminated: Decimal = ZERO  # interfund balances between the organisation's own funds

    def tables(self) -> list[Table]:
        table = balance_table(self.funds, self.total, self.header.as_of)
        if self.eliminated:
            table.notes.append(
                f"合计栏已抵销基金之间的内部往来 {self.eliminated:,.2f} 元（基金往来应收与应付同额冲减），"
                "各基金栏为抵销前金额。"
            )
        return [table]


class BalanceSheetHeader(ReportHeader):
    """The report header, with the balance sheet's date."""

    as_of: datetime.date


def restricted_equity_accounts(entries: list[data.Directive]) -> set[str]:
    return {
        e.account
        for e in entries
        if isinstance(e, data.Open) and (e.meta or {}).get("restricted") is True
    }


# Liability kinds whose general label reads as an expense.
LIABILITY_LABEL = {"payroll": "应付工资", "tax": "应交税金", "interfund": "基金往来（应付）"}


def _lines(kinds: tuple[str, ...], amounts: dict[str, Decimal], sign: int) -> list[KindAmount]:
    names = LIABILITY_LABEL if sign < 0 else {}
    return [
        KindAmount(kind=k, label=names.get(k) or label(k), amount=sign * amounts.get(k, ZERO))
        for k in kinds
    ]


def _sheet(
    ctx: ReportContext, code: str, name: str, is_project: bool, restricted: set[str]
) -> FundBalanceSheet:
    bal = ctx.balances
    assets = bal.by_kind("Assets", code, "closing")
    liabilities = bal.by_kind("Liabilities", code, "closing")
    current = _lines(CURRENT_ASSET_KINDS, assets, 1)
    non_current = _lines(NON_CURRENT_ASSET_KINDS, assets, 1)
    known = set(CURRENT_ASSET_KINDS) | set(NON_CURRENT_ASSET_KINDS)
    prohibited = [
        KindAmount(
            kind=k,
            label=label(k or None),
            clause="28" if k in ASSET_KINDS_PROHIBITED else None,
            amount=v,
        )
        for k, v in sorted(assets.items())
        if k not in known and v
    ]
    liability_lines = _lines(LIABILITY_KIND_ORDER, liabilities, -1)
    liability_lines += [
        KindAmount(kind=k, label=label(k or None), amount=-v)
        for k, v in sorted(liabilities.items())
        if k not in LIABILITY_KINDS and v
    ]
    assets_total = sum(assets.values(), ZERO)
    liabilities_total = -sum(liabilities.values(), ZERO)
    net_total = assets_total - liabilities_total
    restricted_equity = -sum(
        (bal.closing(a) for a in bal.accounts if a in restricted and bal.fund_of(a) == code), ZERO
    )
    surplus = ZERO
    if is_project:
        surplus = -sum(bal.by_kind("Income", code, "closing").values(), ZERO) - sum(
            bal.by_kind("Expenses", code, "closing").values(), ZERO
        )
    restricted_total = restricted_equity + surplus
    return FundBalanceSheet(
        code=code,
        name=name,
        is_project=is_project,
        current_assets=current,
        non_current_assets=non_current,
        prohibited_assets=prohibited,
        assets_total=assets_total,
        liabilities=liability_lines,
        liabilities_total=liabilities_total,
        net_assets_restricted=restricted_total,
        net_assets_unrestricted=net_total - restricted_total,
        net_assets_total=net_total,
    )


def _sum(sheets: list[FundBalanceSheet]) -> BalanceSheet:
    def merge(attr: str) -> list[KindAmount]:
        merged: dict[str, KindAmount] = {}
        for sheet in sheets:
            for line in getattr(sheet, attr):
                old = merged.get(line.kind)
                merged[line.kind] = line.model_copy(
                    update={"amount": (old.amount if old else ZERO) + line.amount}
                )
        return list(merged.values())

    def add(attr: str) -> Decimal:
        return sum((getattr(s, attr) for s in sheets), ZERO)

    return BalanceSheet(
        current_assets=merge("current_assets"),
        non_current_assets=merge("non_current_assets"),
        prohibited_assets=merge("prohibited_assets"),
        assets_total=add("assets_total"),
        liabilities=merge("liabilities"),
        liabilities_total=add("liabilities_total"),
        net_assets_restricted=add("net_assets_restricted"),
        net_assets_unrestricted=add("net_assets_unrestricted"),
        net_assets_total=add("net_assets_total"),
    )


def balance_report(ctx: ReportContext) -> BalanceSheetReport:
    restricted = restricted_equity_accounts(ctx.ledger.entries)
    sheets = [_sheet(ctx, f.code, f.name, f.is_project, restricted) for f in ctx.funds()]
    base = ctx.header("balance", "资产负债表", "Balance sheet")
    total, eliminated = eliminate_interfund(_sum(sheets))
    return BalanceSheetReport(
        header=BalanceSheetHeader(**base.model_dump(), as_of=ctx.period.end),
        funds=sheets,
        total=total,
        eliminated=eliminated,
    )


def eliminate_interfund(total: BalanceSheet) -> tuple[BalanceSheet, Decimal]:
    """The organisation's own funds owe each other nothing: net out interfund balances."""
    receivable = sum((k.amount for k in total.current_assets if k.kind == "interfund"), ZERO)
    payable = sum((k.amount for k in total.liabilities if k.kind == "interfund"), ZERO)
    amount = min(receivable, payable)
    if amount <= 0:
        return total, ZERO

    def less(lines: list[KindAmount]) -> list[KindAmount]:
        return [
            k.model_copy(update={"amount": k.amount - amount}) if k.kind == "interfund" else k
            for k in lines
        ]

    return total.model_copy(
        update={
            "current_assets": less(total.current_assets),
            "assets_total": total.assets_total - amount,
            "liabilities": less(total.liabilities),
            "liabilities_total": total.liabilities_total - amount,
        }
    ), amount


def _amount(sheet: BalanceSheet, attr: str, kind: str) -> Decimal:
    return sum((k.amount for k in getattr(sheet, attr) if k.kind == kind), ZERO)


def balance_table(
    sheets: list[FundBalanceSheet], total: BalanceSheet, as_of: datetime.date
) -> Table:
    shown = sheets if len(sheets) > 1 else []
    every: list[BalanceSheet] = [*shown, total]
    columns = [Column("项目", "Item")] + [Column(s.code, s.code, "money") for s in shown]
    columns.append(Column("合计", "Total", "money"))
    table = Table(
        "资产负债表",
        f"资产负债表（{as_of.isoformat()}）",
        f"Balance sheet at {as_of.isoformat()}",
        columns,
    )

    def row(item: str, values: list[Decimal], style: str = "") -> None:
        table.add(item, *values, style=style)  # type: ignore[arg-type]

    def group(attr: str, indent: str = "　　") -> None:
        for line in getattr(total, attr):
            row(f"{indent}{line.label}", [_amount(s, attr, line.kind) for s in every])

    row("资产", [s.assets_total for s in every], "section")
    row("　流动资产", [sum((k.amount for k in s.current_assets), ZERO) for s in every], "section")
    group("current_assets")
    row(
        "　非流动资产",
        [sum((k.amount for k in s.non_current_assets), ZERO) for s in every],
        "section",
    )
    group("non_current_assets")
    if total.prohibited_assets or any(s.prohibited_assets for s in every):
        row(
            "　违规或未声明类别的资产（第二十八条）",
            [sum((k.amount for k in s.prohibited_assets), ZERO) for s in every],
            "flag",
        )
        group("prohibited_assets")
    row("资产总计", [s.assets_total for s in every], "total")
    row("负债", [s.liabilities_total for s in every], "section")
    group("liabilities")
    row("负债合计", [s.liabilities_total for s in every], "total")
    row("净资产", [s.net_assets_total for s in every], "section")
    row("　　非限定性净资产", [s.net_assets_unrestricted for s in every])
    row("　　限定性净资产", [s.net_assets_restricted for s in every])
    row("净资产合计", [s.net_assets_total for s in every], "total")
    row("负债和净资产总计", [s.liabilities_total + s.net_assets_total for s in every], "total")
    table.notes += [f"{s.code}：{s.name}" for s in sheets]
    table.notes.append(
        "资产按成本计价（国债按购入成本）；项目基金的累计结余列为限定性净资产（第十七、二十二条）。"
    )
    return table
