"""Fixtures for the report tests: the hand-computed ledgers written to temp folders."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

import pytest
from report_ledgers import BROKEN, SMALL, write

from hzledger.reports.common import Period, resolve_period
from hzledger.reports.context import ReportContext
from hzledger.reports.source import ReportLedger, load_ledger


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return write(tmp_path / "small", SMALL)


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    return write(tmp_path / "broken", BROKEN)


@pytest.fixture(scope="module")
def small_loaded(tmp_path_factory: pytest.TempPathFactory) -> ReportLedger:
    return load_ledger(write(tmp_path_factory.mktemp("small"), SMALL))


ContextFor = Callable[..., ReportContext]


@pytest.fixture
def ctx_for() -> ContextFor:
    def make(
        ledger: ReportLedger,
        year: int | None = None,
        start: datetime.date | None = None,
        end: datetime.date | None = None,
        fund: str | None = None,
    ) -> ReportContext:
        if start or end:
            period: Period = resolve_period(ledger.entries, date_from=start, date_to=end)
        else:
            period = resolve_period(ledger.entries, year=year)
        return ReportContext(ledger, period, fund)

    return make
