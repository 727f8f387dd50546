"""Fixtures shared by every test directory. Helpers live in `hztest.py` (a unique module
name: several test folders have a conftest of their own)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from hztest import SPEC_EXAMPLE, Ledger, run_cli


@pytest.fixture(autouse=True, scope="session")
def _private_results_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep `hzledger check`'s results cache out of the developer's home directory."""
    os.environ["HZLEDGER_CACHE_DIR"] = str(tmp_path_factory.mktemp("hzledger-cache"))


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    return Ledger(tmp_path)


@pytest.fixture
def example_ledger(tmp_path: Path) -> Path:
    """A writable copy of the spec's example organisation."""
    target = tmp_path / "example"
    shutil.copytree(SPEC_EXAMPLE, target)
    for path in target.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return target / "main.beancount"


@pytest.fixture
def cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    return run_cli
