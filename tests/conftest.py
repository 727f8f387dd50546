"""Fixtures shared by every test directory. Helpers live in `hztest.py` (a unique module
name: several test folders have a conftest of their own)."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from hztest import BROWSER_ARGS, REPO, SPEC_EXAMPLE, BuiltWheel, Ledger, find_chromium, run_cli


def _unavailable(reason: str) -> None:
    """Locally a missing browser skips with the reason; under CI=true it is a failure."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}: .ci/run must provide it")
    pytest.skip(f"{reason}; browser tests skipped")


@pytest.fixture(scope="session")
def browser():
    """A real headless chromium driven by Playwright, shared by every browser test."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install playwright)")
    chromium = find_chromium()
    if chromium is None:
        _unavailable(
            "chromium is not installed (apt-get install chromium, or set HZLEDGER_CHROMIUM)"
        )
    with sync_playwright() as pw:
        try:
            launched = pw.chromium.launch(
                executable_path=str(chromium), headless=True, args=BROWSER_ARGS
            )
        except Error as exc:
            _unavailable(f"chromium at {chromium} does not start ({str(exc).splitlines()[0]})")
        yield launched
        launched.close()


_NOT_PACKAGED = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis",
    "tests", "ledgers", "run", "benchmarks",
)  # fmt: skip


@pytest.fixture(scope="session")
def built_wheel(tmp_path_factory: pytest.TempPathFactory) -> BuiltWheel:
    """One wheel of this checkout per test run, as `make dist` builds it.

    Under xdist every worker has its own session; the first to take the lock builds the wheel in
    the run's shared temporary root and the others reuse it.
    """
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    out = shared / "built-wheel"
    with (shared / "built-wheel.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        log = out / "build.log"
        if not log.exists():
            out.mkdir(exist_ok=True)
            # Built from a copy: setuptools writes build/ and *.egg-info into the source tree, and
            # another test meanwhile has pip build the checkout itself.
            source = shared / "built-wheel-source"
            shutil.copytree(REPO, source, ignore=_NOT_PACKAGED, dirs_exist_ok=True)
            built = subprocess.run(
                [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(source)],
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            assert built.returncode == 0, built.stdout + built.stderr
            log.write_text(built.stdout + built.stderr, encoding="utf-8")
    [wheel] = out.glob("hzledger-*.whl")
    return BuiltWheel(wheel, log.read_text(encoding="utf-8"))


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
