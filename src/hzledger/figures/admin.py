"""The one 管理费用 definition and the one admin ratio (art. 25(三), 26).

管理费用 = spending of art. 25 category (三) — kinds `admin`, `payroll`, `office` — in
every fund in scope, the general fund included (that is where most staff pay and office
costs are booked). Admin ratio = 管理费用 ÷ all spending of the same funds (art. 26 asks
that management spending be strictly controlled; the share of spending it takes is the
figure that shows whether it is).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from pydantic import BaseModel

from hzledger.figures.numbers import ZERO, ratio
from hzledger.kinds import ADMIN_KINDS


class AdminFigures(BaseModel):
    """Art. 25(三) spending against all spending: the one admin ratio."""

    admin: Decimal
    expenses: Decimal
    ratio: Decimal | None


def admin_figures(spending_by_kind: Iterable[Mapping[str, Decimal]]) -> AdminFigures:
    """From each fund's spending by kind (the funds in scope, general funds included)."""
    admin = expenses = ZERO
    for flow in spending_by_kind:
        for kind, value in flow.items():
            expenses += value
            if kind in ADMIN_KINDS:
                admin += value
    return AdminFigures(admin=admin, expenses=expenses, ratio=ratio(admin, expenses))
