"""Helpers of the round-trip tests: what `hzledger check` and the reports say about a ledger,
in a form two ledgers can be compared by."""

from __future__ import annotations

import datetime
from collections import Counter
from pathlib import Path
from typing import Any

from hzledger.check import check_file
from hzledger.reports import REPORTS, ReportContext
from hzledger.reports.common import resolve_period
from hzledger.reports.source import load_ledger

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "ledgers"


def findings(ledger: Path) -> Counter[tuple[str, str | None, datetime.date | None]]:
    return Counter((f.rule, f.fund, f.date) for f in check_file(ledger).findings)


def figures(ledger: Path, years: list[int]) -> dict[tuple[str, int], Any]:
    loaded = load_ledger(ledger)
    out = {}
    for year in years:
        period = resolve_period(loaded.entries, year=year, date_from=None, date_to=None)
        ctx = ReportContext(loaded, period, None)
        for kind in ("funds", "balance"):
            report = REPORTS[kind](ctx).model_dump(mode="json")
            report.pop("header")
            out[(kind, year)] = report
    return out


def transaction_years(ledger: Path) -> list[int]:
    from beancount.core import data

    entries = check_file(ledger).entries
    return sorted({e.date.year for e in entries if isinstance(e, data.Transaction)})
