"""The README's worked example says what `hzledger check` really prints."""

from __future__ import annotations

import re
from pathlib import Path

from hztest import REPO


def test_readme_worked_example(tmp_path: Path, cli) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ledger = re.search(r"### 一个小例子\n\n```beancount\n(.*?)```", readme, re.S)
    shown = re.search(r"```console\n\$ hzledger check main.beancount\n(.*?)```", readme, re.S)
    assert ledger and shown
    (tmp_path / "main.beancount").write_text(ledger.group(1), encoding="utf-8")
    result = cli("check", "main.beancount", cwd=tmp_path)
    assert result.returncode == 1
    row = re.compile(r"^\s+(\d+)\s+错误\s+(\S+) \[(\w+)\]", re.M)
    assert row.findall(result.stdout) == row.findall(shown.group(1))
    assert result.stdout.splitlines()[-1] == shown.group(1).splitlines()[-1]
