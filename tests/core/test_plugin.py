"""The Beancount plugin: `bean-check` shows our errors at the entry's file and line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from hzledger.check import check_file, load
from hzledger.plugin import STASH_KEY

from hztest import Ledger

BEAN_CHECK = Path(sys.executable).parent / "bean-check"


def bean_check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BEAN_CHECK), "--no-cache", str(path)], capture_output=True, text=True, timeout=120
    )


def test_bean_check_clean_example(example_ledger: Path) -> None:
    result = bean_check(example_ledger)
    assert result.returncode == 0, result.stdout + result.stderr


def test_bean_check_reports_our_errors(ledger: Ledger) -> None:
    ledger.write(
        """
        2024-03-01 * "5月互助金给付"
          Expenses:ZY24:5101业务活动成本:H互助金  10000.00 CNY
          Assets:ZH:1002银行存款:J基本户  -10000.00 CNY
        """
    )
    result = bean_check(ledger.main)
    assert result.returncode != 0
    assert f"main.beancount:{ledger.line('5月互助金给付')}:" in result.stdout + result.stderr
    assert "[HZ-A17] 违反第十七条" in result.stdout + result.stderr


def test_warnings_are_not_beancount_errors(ledger: Ledger) -> None:
    ledger.write(
        """
        2023-10-01 custom "hz-project" "ZJ24" "重大疾病互助保障计划"
          start: 2024-01-01
          end: 2027-06-30
          filing: "测工资备〔2023〕9号"
          filed: 2023-10-15
        """
    )
    assert bean_check(ledger.main).returncode == 0


@pytest.mark.parametrize(("plugin", "expected"), [("a17", ["HZ-A17"]), ("a28", [])])
def test_single_rule_plugins(ledger: Ledger, plugin: str, expected: list[str]) -> None:
    from hztest import HEADER

    header = HEADER.replace("hzledger.plugins.compliance", f"hzledger.plugins.{plugin}")
    ledger.write(
        """
        2024-03-01 * "跨基金支付"
          Expenses:ZY24:5101业务活动成本:H互助金  10000.00 CNY
          Assets:ZH:1002银行存款:J基本户  -10000.00 CNY
        """,
        header=header,
    )
    _entries, errors, options = load(ledger.main)
    assert [e.message.split("]")[0].lstrip("[") for e in errors] == expected
    # The partial run is kept apart from the full rule set `hzledger check` needs.
    assert all(len(ids) == 1 for ids in options[STASH_KEY])


def test_check_reuses_the_plugin_run(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the plugin declared, `check_file` must not run the rules a second time."""
    import hzledger.check as check_module
    from hzledger.engine import Outcome, run_rules

    ledger.write("")
    calls = []

    def counted(*args: Any, **kwargs: Any) -> Outcome:
        calls.append(1)
        return run_rules(*args, **kwargs)

    monkeypatch.setattr(check_module, "run_rules", counted)
    check_module.check_file(ledger.main)
    assert calls == []


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("", ["HZ-A17", "HZ-A30"]),
        (' "HZ-A17"', ["HZ-A17"]),
        (' "HZ-A30, a17"', ["HZ-A17", "HZ-A30"]),
        (' "HZ-A28 HZ-A29"', []),
    ],
)
def test_rules_chosen_by_the_plugin_configuration(
    ledger: Ledger, config: str, expected: list[str]
) -> None:
    from hztest import HEADER

    header = HEADER.replace(
        'plugin "hzledger.plugins.compliance"', f'plugin "hzledger.plugins.compliance"{config}'
    )
    ledger.write(
        """
        2024-03-01 * "跨基金大额支付"
          Expenses:ZY24:5101业务活动成本:H互助金  600000.00 CNY
          Assets:ZH:1002银行存款:J基本户  -600000.00 CNY
        """,
        header=header,
    )
    _entries, errors, _options = load(ledger.main)
    assert sorted(e.message.split("]")[0].lstrip("[") for e in errors) == expected


def test_unknown_rule_in_the_plugin_configuration(ledger: Ledger) -> None:
    from hztest import HEADER

    header = HEADER.replace(
        'plugin "hzledger.plugins.compliance"', 'plugin "hzledger.plugins.compliance" "HZ-A99"'
    )
    ledger.write("", header=header)
    _entries, errors, _options = load(ledger.main)
    [error] = errors
    assert "HZ-A99" in error.message and "未知的规则" in error.message
    # `hzledger check` runs every rule itself and still shows the configuration error.
    checked = check_file(ledger.main)
    assert [f.rule for f in checked.findings] == ["beancount"]
    assert "HZ-A99" in checked.findings[0].message
