"""Helpers shared by the core tests: real ledger text in real files, the real CLI."""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

from hzledger.check import LedgerCheck, check_file

REPO = Path(__file__).resolve().parent.parent
# The contract's own example, from shared/ beside the clone (as CI lays it out), else the
# copy kept in tests/data (taken from LEDGER-SPEC v1).
SPEC_EXAMPLE = next(
    p
    for p in (REPO.parent / "shared" / "spec" / "example", REPO / "tests" / "data" / "spec-example")
    if (p / "main.beancount").exists()
)
HZLEDGER = Path(sys.executable).parent / "hzledger"
# Screenshots and other things a person may want to look at after a run (git-ignored).
ARTIFACTS = Path(os.environ.get("HZLEDGER_ARTIFACTS") or REPO / "tests" / "artifacts")
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def find_chromium() -> Path | None:
    """Debian's chromium (nothing downloaded), found on PATH or named by HZLEDGER_CHROMIUM."""
    named = os.environ.get("HZLEDGER_CHROMIUM")
    if named:
        return Path(named) if Path(named).is_file() else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


@dataclass(frozen=True)
class BuiltWheel:
    """A wheel of this checkout (the `built_wheel` session fixture)."""

    path: Path
    log: str  # what `python -m build` printed: the packaging tests read its warnings


HEADER = """\
option "title" "测试市职工互助保障会"
option "operating_currency" "CNY"
plugin "hzledger.plugins.compliance"

2020-01-01 custom "hz-org" "测试市职工互助保障会"
  level: "city"
  parent: "测试省总工会"
2020-01-01 custom "hz-fund" "ZH" "综合管理基金"
2023-11-01 custom "hz-project" "ZY24" "住院医疗互助保障计划（2024）"
  start: 2024-01-01
  end: 2024-12-31
  filing: "测工资备〔2023〕1号"
  filed: 2023-11-20

2020-01-01 open Assets:ZH:1002银行存款:J基本户 CNY
  kind: "bank"
2020-01-01 open Assets:ZH:1122其他应收款:W往来ZY24 CNY
  kind: "interfund"
2020-01-01 open Equity:ZH:3101非限定性净资产 CNY
  kind: "net-assets"
2020-01-01 open Income:ZH:4601利息收入 CNY
  kind: "interest"
2020-01-01 open Expenses:ZH:5201管理费用:B办公费 CNY
  kind: "office"
2023-11-01 open Assets:ZY24:1002银行存款:S收入户 CNY
  kind: "bank"
  role: "collection"
2023-11-01 open Assets:ZY24:1002银行存款:Z支出户 CNY
  kind: "bank"
  role: "expenditure"
2023-11-01 open Assets:ZY24:1002银行存款:D定期存款 CNY
  kind: "term-deposit"
2023-11-01 open Liabilities:ZY24:2209其他应付款:W往来ZH CNY
  kind: "interfund"
2023-11-01 open Equity:ZY24:3101非限定性净资产 CNY
  kind: "net-assets"
2023-11-01 open Income:ZY24:4201会费收入 CNY
  kind: "dues"
2023-11-01 open Income:ZY24:4601利息收入 CNY
  kind: "interest"
2023-11-01 open Expenses:ZY24:5101业务活动成本:H互助金 CNY
  kind: "benefit"
2023-11-01 open Expenses:ZY24:5201管理费用 CNY
  kind: "admin"
2023-12-01 custom "budget" Expenses:ZH:5201管理费用 "yearly" 1000000.00 CNY

2024-01-01 * "期初净资产"
  Assets:ZH:1002银行存款:J基本户  2000000.00 CNY
  Equity:ZH:3101非限定性净资产
2024-01-01 * "期初净资产"
  Assets:ZY24:1002银行存款:Z支出户  2000000.00 CNY
  Equity:ZY24:3101非限定性净资产
"""


def line_of(text: str, marker: str, nth: int = 1) -> int:
    """1-based line number of the nth line containing `marker`."""
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if marker in line:
            seen += 1
            if seen == nth:
                return number
    raise AssertionError(f"marker {marker!r} not in text")


class Ledger:
    """A ledger folder in a temp dir; `main.beancount` is HEADER plus the test's text."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.main = root / "main.beancount"
        self.text = ""

    def write(self, body: str, *, header: str = HEADER, **files: str) -> Ledger:
        self.text = header + textwrap.dedent(body)
        self.main.write_text(self.text, encoding="utf-8")
        for name, content in files.items():
            path = self.root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(content), encoding="utf-8")
        return self

    def check(self, as_of: datetime.date | None = None) -> LedgerCheck:
        return check_file(self.main, as_of=as_of)

    def line(self, marker: str, nth: int = 1) -> int:
        return line_of(self.text, marker, nth)


def run_cli(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The real `hzledger` console script in a subprocess (each argument as `str()` gives it)."""
    return subprocess.run(
        [str(HZLEDGER), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def rules_of(checked: LedgerCheck) -> list[str]:
    return [f.rule for f in checked.findings]
