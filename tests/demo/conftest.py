"""Fixtures of the demo area: the committed demo ledgers, checked once per session."""

from __future__ import annotations

import pytest
from demo_support import LEDGERS

from hzledger.check import LedgerCheck, check_file
from hzledger.demo.presets import DEMO_ORGS


@pytest.fixture(scope="session")
def demo_checks() -> dict[str, LedgerCheck]:
    return {name: check_file(LEDGERS / name / "main.beancount") for name in DEMO_ORGS}
