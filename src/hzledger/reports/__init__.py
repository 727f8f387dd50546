"""Reports for supervisors and members (art. 17, 20, 26, 35), and the roll-up across organisations.

Each report is a pure function from a checked ledger (`ReportContext`) to a pydantic
model; `REPORTS` maps the CLI's report names to them. Renderers live in `render`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hzledger.reports.balance import balance_report
from hzledger.reports.budget import budget_report
from hzledger.reports.context import ReportContext
from hzledger.reports.disclosure import disclosure_report
from hzledger.reports.funds import funds_report
from hzledger.reports.solvency import solvency_report
from hzledger.reports.statistics import statistics_report
from hzledger.reports.submission import submission_report

REPORTS: dict[str, Callable[[ReportContext], Any]] = {
    "funds": funds_report,
    "balance": balance_report,
    "budget": budget_report,
    "solvency": solvency_report,
    "statistics": statistics_report,
    "disclosure": disclosure_report,
    "submission": submission_report,
}

__all__ = ["REPORTS", "ReportContext"]
