"""The shared `browser` fixture: skips with its reason locally, fails under CI=true.

Runs pytest itself on one browser test with chromium made unavailable (HZLEDGER_CHROMIUM names
a file that does not exist), so no browser is started here.
"""

from __future__ import annotations

import os
import subprocess
import sys

from hztest import REPO


def _run_browser_test(ci: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PYTEST_XDIST_WORKER")}
    env["HZLEDGER_CHROMIUM"] = str(REPO / "no-such-chromium")
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "-p", "no:xdist",
         "tests/reports/test_disclosure.py::test_disclosure_renders_in_chromium"],
        capture_output=True, text=True, cwd=REPO, env=env, timeout=300, check=False,
    )  # fmt: skip


def test_missing_chromium_skips_with_the_reason_outside_ci() -> None:
    result = _run_browser_test(None)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout
    assert "chromium is not installed" in result.stdout and "HZLEDGER_CHROMIUM" in result.stdout


def test_missing_chromium_fails_under_ci() -> None:
    result = _run_browser_test("true")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "CI=true but chromium is not installed" in result.stdout
