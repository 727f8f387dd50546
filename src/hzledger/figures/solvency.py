"""Per-project solvency (art. 17, 19, 22, 23, 34, 35), as of one date.

    available assets   = cash + bank + term deposits + treasury bonds (at cost)
    net available      = available assets − other liabilities
                         (every liability except unearned-dues, claim-reserve, benefit-payable)
    unearned reserve   = Σ per dues payment: amount × days of its cover left ÷ days of cover
                         (`figures.cover`: coverage metadata, else `dues-cover`)
    claims booked      = balances of claim-reserve and benefit-payable accounts
    claims estimated   = run-off estimate from the ledger's own history (`figures.claims`)
    obligations        = unearned reserve + the larger of booked and estimated claims
    ratio              = net available ÷ obligations; below 100% is flagged

Project funds may not cover each other (art. 17, 22), so the organisation line never
pools them: it counts the projects below 100% and names the worst ratio.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel

from hzledger.figures.claims import RunOff
from hzledger.figures.cover import DuesLine
from hzledger.figures.numbers import ONE, ZERO, ratio
from hzledger.kinds import AVAILABLE_KINDS, RESERVE_KINDS
from hzledger.model import Fund

Status = Literal["ratio", "none", "no-history", "beyond-history"]
STATUS_ZH = {
    "none": "无偿付责任",
    "no-history": "仍在给付，无历史数据估计未决赔款",
    "beyond-history": "仍在给付，超出历史给付进展，未能估计",
}


class DuesReserve(BaseModel):
    """One dues batch and the part of it still unearned at the as-of date."""

    date: datetime.date
    account: str
    narration: str
    file: str | None
    line: int | None
    amount: Decimal
    cover_start: datetime.date | None
    cover_end: datetime.date | None
    basis: str
    cover_days: int | None
    remaining_days: int | None
    reserve: Decimal


class ProjectSolvency(BaseModel):
    """One project's solvency: what it can pay against what it owes."""

    code: str
    name: str
    as_of: datetime.date
    available: dict[str, Decimal]
    available_total: Decimal
    other_liabilities: Decimal
    net_available: Decimal
    unearned_reserve: Decimal
    claim_reserve: Decimal
    benefit_payable: Decimal
    claims_booked: Decimal
    claims_estimated: Decimal | None
    claims_reserve: Decimal  # what counts: the larger of booked and estimated
    obligations: Decimal
    ratio: Decimal | None
    below: bool
    status: Status
    still_paying: bool
    dues: list[DuesReserve]
    notes: list[str]

    @property
    def verdict(self) -> str:
        if self.status != "ratio":
            return STATUS_ZH[self.status]
        return "不足" if self.below else "充足"


class OrgSolvency(BaseModel):
    """The organisation line: never a pooled ratio (art. 17, 22)."""

    as_of: datetime.date
    projects: int
    projects_below: int
    worst_ratio: Decimal | None
    worst_project: str | None
    projects_unestimated: int
    net_available: Decimal
    unearned_reserve: Decimal
    claims_booked: Decimal
    claims_estimated: Decimal | None
    obligations: Decimal

    @property
    def verdict(self) -> str:
        if self.projects_below:
            return f"{self.projects_below} 个项目不足"
        return "各项目充足" if self.worst_ratio is not None else "无偿付责任"


def project_solvency(
    project: Fund,
    as_of: datetime.date,
    assets: dict[str, Decimal],
    liabilities: dict[str, Decimal],
    dues: list[DuesLine],
    runoff: RunOff,
) -> ProjectSolvency:
    """`assets`/`liabilities`: the project's closing balances by kind (liabilities positive)."""
    available = {k: assets.get(k, ZERO) for k in AVAILABLE_KINDS}
    available_total = sum(available.values(), ZERO)
    other = sum((v for k, v in liabilities.items() if k not in RESERVE_KINDS), ZERO)
    notes: list[str] = []
    lines: list[DuesReserve] = []
    missing = 0
    for d in dues:
        if d.date > as_of:
            continue
        if d.basis == "none":
            missing += 1
        lines.append(
            DuesReserve(
                date=d.date,
                account=d.account,
                narration=d.narration,
                file=d.file,
                line=d.line,
                amount=d.amount,
                cover_start=d.cover_start,
                cover_end=d.cover_end,
                basis=d.basis,
                cover_days=d.cover_days,
                remaining_days=d.days_left(as_of),
                reserve=d.unearned(as_of),
            )
        )
    if missing:
        notes.append(
            f"{missing} 笔会费没有可用的保障期间（项目 start/end 或 coverage-start/coverage-end "
            "缺失或终止早于起始），全额计入未到期责任准备金"
        )
    unearned = sum((d.reserve for d in lines), ZERO)
    booked_unearned = liabilities.get("unearned-dues", ZERO)
    if booked_unearned:
        notes.append(
            f"账面未到期责任准备金 {booked_unearned:,.2f} 未直接采用，按会费保障期间重新计算为 {unearned:,.2f}"
        )
    claim_reserve = liabilities.get("claim-reserve", ZERO)
    benefit_payable = liabilities.get("benefit-payable", ZERO)
    booked = claim_reserve + benefit_payable
    estimated = runoff.estimates.get(project.code)
    started = project.code in runoff.stages
    if not started:
        estimated = ZERO if runoff.has_history else None
    claims = max(booked, estimated or ZERO)
    obligations = unearned + claims
    net = available_total - other
    still_paying = project.code in runoff.still_paying
    status: Status = "ratio"
    value: Decimal | None = None
    if obligations > 0:
        value = ratio(net, obligations)
    elif still_paying and estimated is None:
        status = "no-history"
    elif still_paying and runoff.stages.get(project.code, 0) > runoff.horizon:
        status = "beyond-history"
    else:
        status = "none"
    if estimated is None and started:
        notes.append("没有已结束项目的给付历史，未决赔款无法估计，只计账面数")
    return ProjectSolvency(
        code=project.code,
        name=project.name,
        as_of=as_of,
        available=available,
        available_total=available_total,
        other_liabilities=other,
        net_available=net,
        unearned_reserve=unearned,
        claim_reserve=claim_reserve,
        benefit_payable=benefit_payable,
        claims_booked=booked,
        claims_estimated=estimated,
        claims_reserve=claims,
        obligations=obligations,
        ratio=value,
        below=value is not None and value < ONE,
        status=status,
        still_paying=still_paying,
        dues=lines,
        notes=notes,
    )


def org_solvency(projects: list[ProjectSolvency], as_of: datetime.date) -> OrgSolvency:
    rated = [p for p in projects if p.ratio is not None]
    worst = min(rated, key=lambda p: (p.ratio, p.code)) if rated else None
    estimates = [p.claims_estimated for p in projects if p.claims_estimated is not None]
    return OrgSolvency(
        as_of=as_of,
        projects=len(projects),
        projects_below=sum(1 for p in projects if p.below),
        worst_ratio=worst.ratio if worst else None,
        worst_project=worst.code if worst else None,
        projects_unestimated=sum(
            1 for p in projects if p.status in ("no-history", "beyond-history")
        ),
        net_available=sum((p.net_available for p in projects), ZERO),
        unearned_reserve=sum((p.unearned_reserve for p in projects), ZERO),
        claims_booked=sum((p.claims_booked for p in projects), ZERO),
        claims_estimated=sum(estimates, ZERO) if estimates else None,
        obligations=sum((p.obligations for p in projects), ZERO),
    )
