"""`hzledger rollup`: one union level's summary of its area's organisations (art. 35).

Each ledger is loaded and checked in its own process; its `statistics`, `funds`
and `solvency` reports are summed to one row. An organisation whose ledger has
errors is included and marked, with its error count; one that cannot be read at
all is listed with zeros and the reason. The totals row is the sum of the rows
(ratios are recomputed from the summed amounts, never averaged).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel

from hzledger.reports.common import ZERO, Period, ReportError, ReportHeader, ratio, resolve_period
from hzledger.reports.context import ReportContext
from hzledger.reports.funds import funds_report
from hzledger.reports.solvency import solvency_report
from hzledger.reports.source import LedgerNotFound, load_ledger
from hzledger.reports.statistics import statistics_report
from hzledger.reports.tables import Column, Table

Status = Literal["ok", "errors", "unreadable"]
STATUS_ZH = {"ok": "正常", "errors": "账本有错误", "unreadable": "无法读取"}
MONEY_FIELDS = (
    "dues",
    "benefits",
    "admin",
    "opening",
    "income",
    "expenses",
    "closing",
    "net_available",
    "obligations",
)


class OrgRow(BaseModel):
    ledger: str
    organisation: str
    level: str | None = None
    period: Period | None = None
    status: Status = "ok"
    errors: int = 0
    warnings: int = 0
    message: str | None = None
    projects: int = 0
    members: int = 0
    claims: int = 0
    dues: Decimal = ZERO
    benefits: Decimal = ZERO
    admin: Decimal = ZERO
    payout_ratio: Decimal | None = None
    admin_ratio: Decimal | None = None
    opening: Decimal = ZERO
    income: Decimal = ZERO
    expenses: Decimal = ZERO
    closing: Decimal = ZERO
    net_available: Decimal = ZERO
    obligations: Decimal = ZERO
    solvency_ratio: Decimal | None = None
    projects_below: int = 0


class RollupReport(BaseModel):
    kind: Literal["rollup"] = "rollup"
    header: ReportHeader
    year: int | None
    rows: list[OrgRow]
    total: OrgRow

    def tables(self) -> list[Table]:
        every = [*self.rows, self.total]

        def name(r: OrgRow) -> str:
            return r.organisation

        def style(r: OrgRow) -> str:
            return "total" if r is self.total else ("" if r.status == "ok" else "flag")

        orgs = Table(
            "组织",
            "各组织账本状态",
            "Organisations",
            [
                Column("组织", "Organisation"),
                Column("账本", "Ledger"),
                Column("期间", "Period"),
                Column("状态", "Status"),
                Column("错误", "Errors", "int"),
                Column("警告", "Warnings", "int"),
                Column("说明", "Note"),
            ],
        )
        for r in every:
            orgs.add(
                name(r),
                r.ledger,
                r.period.label if r.period else "",
                STATUS_ZH[r.status] if r is not self.total else "",
                r.errors,
                r.warnings,
                r.message or "",
                style=style(r),  # type: ignore[arg-type]
            )
        stats = Table(
            "统计汇总",
            "互助保障业务统计汇总（第三十五条）",
            "Statistics roll-up",
            [
                Column("组织", "Organisation"),
                Column("项目数", "Projects", "int"),
                Column("参保人数", "Members", "int"),
                Column("给付件数", "Claims", "int"),
                Column("会费收入", "Dues", "money"),
                Column("互助金给付", "Benefits", "money"),
                Column("管理类支出", "Admin", "money"),
                Column("赔付率", "Payout ratio", "ratio"),
                Column("管理费用率", "Admin ratio", "ratio"),
            ],
        )
        for r in every:
            stats.add(
                name(r),
                r.projects,
                r.members,
                r.claims,
                r.dues,
                r.benefits,
                r.admin,
                r.payout_ratio,
                r.admin_ratio,
                style=style(r),  # type: ignore[arg-type]
            )
        funds = Table(
            "收支汇总",
            "基金收支汇总",
            "Funds roll-up",
            [
                Column("组织", "Organisation"),
                Column("期初净资产", "Opening", "money"),
                Column("本期收入", "Income", "money"),
                Column("本期支出", "Spending", "money"),
                Column("期末净资产", "Closing", "money"),
            ],
        )
        for r in every:
            funds.add(name(r), r.opening, r.income, r.expenses, r.closing, style=style(r))  # type: ignore[arg-type]
        solvency = Table(
            "偿付能力汇总",
            "偿付能力汇总",
            "Solvency roll-up",
            [
                Column("组织", "Organisation"),
                Column("可用净资产", "Net available", "money"),
                Column("偿付责任", "Obligations", "money"),
                Column("充足率", "Solvency ratio", "ratio"),
                Column("不足项目数", "Projects below 100%", "int"),
            ],
        )
        for r in every:
            solvency.add(
                name(r),
                r.net_available,
                r.obligations,
                r.solvency_ratio,
                r.projects_below,
                style="flag" if r.projects_below and r is not self.total else style(r),  # type: ignore[arg-type]
            )
        return [orgs, stats, funds, solvency]


def organisation_row(path: str, year: int | None) -> OrgRow:
    """One organisation's row; runs in a worker process, so it never raises."""
    try:
        ledger = load_ledger(path)
    except Exception as exc:  # a broken ledger must not sink its whole province's roll-up
        return OrgRow(
            ledger=path, organisation=path, status="unreadable", errors=1, message=_reason(exc)
        )
    if ledger.errors and not ledger.entries:
        return OrgRow(
            ledger=path,
            organisation=ledger.title,
            status="unreadable",
            errors=ledger.errors,
            message=next(iter(ledger.error_lines(limit=1)), None),
        )
    try:
        ctx = ReportContext(ledger, resolve_period(ledger.entries, year=year))
        statistics = statistics_report(ctx)
        stats = statistics.total
        funds = funds_report(ctx).total
        solvency = solvency_report(ctx)
    except (ReportError, ArithmeticError, ValueError) as exc:
        return OrgRow(
            ledger=path,
            organisation=ledger.title,
            status="unreadable",
            errors=max(1, ledger.errors),
            message=_reason(exc),
        )
    org = ledger.model.org
    return OrgRow(
        ledger=path,
        organisation=ledger.title,
        level=org.level if org else None,
        period=ctx.period,
        status="errors" if ledger.errors else "ok",
        errors=ledger.errors,
        warnings=ledger.warnings,
        message=next(iter(ledger.error_lines(limit=1)), None),
        projects=len(statistics.projects),
        members=stats.members,
        claims=stats.claims,
        dues=stats.dues,
        benefits=stats.benefits,
        admin=stats.admin,
        payout_ratio=stats.payout_ratio,
        admin_ratio=stats.admin_ratio,
        opening=funds.opening,
        income=funds.income_total,
        expenses=funds.expenses_total,
        closing=funds.closing,
        net_available=solvency.total.net_available,
        obligations=solvency.total.obligations,
        solvency_ratio=solvency.total.ratio,
        projects_below=sum(1 for p in solvency.projects if p.below),
    )


def _reason(exc: BaseException) -> str:
    if isinstance(exc, LedgerNotFound):
        return f"找不到账本文件：{exc}"
    zh = getattr(exc, "zh", None)
    return str(zh or f"{type(exc).__name__}: {exc}")


def total_row(rows: Sequence[OrgRow]) -> OrgRow:
    sums = {f: sum((getattr(r, f) for r in rows), ZERO) for f in MONEY_FIELDS}
    return OrgRow.model_validate(
        dict(
            ledger="",
            organisation="合计",
            errors=sum(r.errors for r in rows),
            warnings=sum(r.warnings for r in rows),
            projects=sum(r.projects for r in rows),
            members=sum(r.members for r in rows),
            claims=sum(r.claims for r in rows),
            payout_ratio=ratio(sums["benefits"], sums["dues"]),
            admin_ratio=ratio(sums["admin"], sums["dues"]),
            solvency_ratio=ratio(sums["net_available"], sums["obligations"])
            if sums["obligations"] > 0
            else None,
            projects_below=sum(r.projects_below for r in rows),
            **sums,
        )
    )


def rollup(
    paths: Sequence[str], year: int | None = None, *, jobs: int | None = None
) -> RollupReport:
    workers = max(1, min(len(paths), jobs or os.cpu_count() or 1))
    if workers == 1:
        rows = [organisation_row(p, year) for p in paths]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            rows = list(pool.map(organisation_row, paths, [year] * len(paths)))
    total = total_row(rows)
    return RollupReport(
        header=rollup_header(paths, year, rows, total), year=year, rows=rows, total=total
    )


def rollup_header(
    paths: Sequence[str], year: int | None, rows: Sequence[OrgRow], total: OrgRow
) -> ReportHeader:
    periods = [r.period for r in rows if r.period is not None]
    if year is not None:
        period = Period.year(year)
    elif periods:
        period = Period(start=min(p.start for p in periods), end=max(p.end for p in periods))
    else:
        period = Period.year(1970)
    return ReportHeader(
        report="rollup",
        title_zh="汇总报告",
        title_en="Roll-up",
        ledger=f"{len(paths)} 个账本",
        organisation=f"{len(rows)} 个组织",
        currency="CNY",
        period=period,
        ledger_errors=total.errors,
        ledger_warnings=total.warnings,
    )
