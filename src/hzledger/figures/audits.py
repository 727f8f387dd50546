"""The one audit-status rule (art. 32), for HZ-A32, the compliance page and the disclosure.

For a fiscal year and a kind (internal, external): the deadline is the `audit-deadline`
policy in force on the year's last day, in the following year (a deadline day itself is
still in time); the audit counts as recorded from the date of its `hz-audit` entry.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal

from hzledger.model import Audit, LedgerModel, parse_mm_dd

AuditKind = Literal["internal", "external"]
KINDS: tuple[AuditKind, ...] = ("internal", "external")
State = Literal["done", "late", "missing", "pending"]


@dataclass(frozen=True)
class AuditState:
    """One fiscal year's audit of one kind: its deadline, first record and state."""

    year: int
    kind: AuditKind
    deadline: datetime.date | None
    first: Audit | None  # the earliest record known by as_of
    state: State  # done in time, recorded late, missing after the deadline, not yet due

    @property
    def ok(self) -> bool | None:
        """True in time, False late or missing, None not yet due."""
        return {"done": True, "late": False, "missing": False, "pending": None}[self.state]


def audit_deadline(model: LedgerModel, year: int) -> datetime.date | None:
    rule = model.policy.value("audit-deadline", datetime.date(year, 12, 31))
    return parse_mm_dd(str(rule), year + 1) if rule else None


def audit_state(
    model: LedgerModel, year: int, kind: AuditKind, as_of: datetime.date | None
) -> AuditState:
    deadline = audit_deadline(model, year)
    known = [
        a
        for a in model.audits
        if a.year == year and a.kind == kind and (as_of is None or a.date <= as_of)
    ]
    first = min(known, key=lambda a: a.date) if known else None
    state: State
    if first is not None:
        state = "late" if deadline is not None and first.date > deadline else "done"
    elif deadline is not None and as_of is not None and as_of > deadline:
        state = "missing"
    else:
        state = "pending"
    return AuditState(year, kind, deadline, first, state)
