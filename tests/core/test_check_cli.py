"""The real `hzledger check` console script in a subprocess: formats, exit codes, bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from hztest import HEADER, Ledger

VIOLATION = """
2024-01-01 open Assets:ZY24:1101短期投资:L理财产品 CNY
  kind: "wealth-product"
"""
WARNING_ONLY = """
2023-10-01 custom "hz-project" "ZJ24" "重大疾病互助保障计划"
  start: 2024-01-01
  end: 2027-06-30
  filing: "测工资备〔2023〕9号"
  filed: 2023-10-15
"""


def test_clean_ledger_exits_0(cli, example_ledger: Path) -> None:
    result = cli("check", example_ledger)
    assert result.returncode == 0, result.stderr
    assert "0 个错误，0 个警告" in result.stdout
    assert "Traceback" not in result.stderr


def test_errors_exit_1_and_text_groups_by_file(cli, ledger: Ledger) -> None:
    ledger.write(VIOLATION)
    result = cli("check", ledger.main)
    assert result.returncode == 1
    assert f"{ledger.line('L理财产品')}" in result.stdout
    assert "HZ-A28" in result.stdout and "违反第二十八条" in result.stdout
    assert "1 个错误" in result.stdout
    # Not a terminal: no colour codes.
    assert "\x1b[" not in result.stdout


def test_warnings_pass_unless_strict(cli, ledger: Ledger) -> None:
    ledger.write(WARNING_ONLY)
    assert cli("check", ledger.main).returncode == 0
    assert cli("check", "--strict", ledger.main).returncode == 1


def test_json_format_matches_the_spec(cli, ledger: Ledger) -> None:
    ledger.write(VIOLATION)
    result = cli("check", "main.beancount", "--format", "json", cwd=ledger.root)
    doc = json.loads(result.stdout)
    assert set(doc) == {"hzledger", "ledgers", "findings"}
    assert doc["ledgers"] == [
        {
            "path": "main.beancount",
            "title": "测试市职工互助保障会",
            "errors": 1,
            "warnings": 0,
            "transactions": 2,
        }
    ]
    [finding] = doc["findings"]
    assert finding == {
        "rule": "HZ-A28",
        "severity": "error",
        "ledger": "main.beancount",
        "file": "main.beancount",
        "line": ledger.line("L理财产品"),
        "date": "2024-01-01",
        "fund": "ZY24",
        "article": 28,
        "message": finding["message"],
    }
    assert finding["message"].startswith("违反第二十八条：")


def test_json_in_english(cli, ledger: Ledger) -> None:
    ledger.write(VIOLATION)
    doc = json.loads(cli("check", ledger.main, "--format", "json", "--lang", "en").stdout)
    assert doc["findings"][0]["message"].startswith("Article 28 violated:")


def test_github_annotations(cli, ledger: Ledger) -> None:
    ledger.write(VIOLATION + WARNING_ONLY)
    result = cli("check", "main.beancount", "--format", "github", cwd=ledger.root)
    lines = result.stdout.splitlines()
    assert result.returncode == 1
    assert any(
        line.startswith(f"::error file=main.beancount,line={ledger.line('L理财产品')},title=HZ-A28")
        for line in lines
    )
    assert any(line.startswith("::warning file=main.beancount,") for line in lines)


def test_as_of_brings_audit_warnings(cli, ledger: Ledger) -> None:
    ledger.write("")
    assert "HZ-A32" not in cli("check", ledger.main).stdout
    result = cli("check", ledger.main, "--as-of", "2025-07-01")
    assert result.returncode == 0 and result.stdout.count("HZ-A32") == 2
    assert cli("check", ledger.main, "--as-of", "2025-07-01", "--strict").returncode == 1


def test_several_ledgers_in_one_run(cli, ledger: Ledger, example_ledger: Path) -> None:
    ledger.write(VIOLATION)
    result = cli("check", example_ledger, ledger.main, "--format", "json")
    doc = json.loads(result.stdout)
    assert [entry["errors"] for entry in doc["ledgers"]] == [0, 1]
    assert result.returncode == 1


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["check", "/nonexistent/main.beancount"], "找不到账本文件"),
        (["check", "{tmp}/nowhere"], "找不到账本文件"),
        (["check", "{main}", "--format", "xml"], "的值无效"),
        (["check", "{main}", "--as-of", "2025-13-01"], "不符合格式"),
        (["check"], "缺少参数"),
    ],
)
def test_cannot_run_exits_2_without_traceback(cli, ledger: Ledger, args, needle) -> None:
    ledger.write("")
    argv = [a.format(tmp=ledger.root, main=ledger.main) for a in args]
    result = cli(*argv)
    assert result.returncode == 2
    assert needle in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_missing_file_in_english(cli) -> None:
    result = cli("check", "/nonexistent/main.beancount", "--lang", "en")
    assert result.returncode == 2 and "no such ledger file" in result.stderr


def test_chinese_paths(cli, tmp_path: Path) -> None:
    root = tmp_path / "示例市" / "账本"
    root.mkdir(parents=True)
    (root / "项目").mkdir()
    (root / "主账本.beancount").write_text(
        HEADER + 'include "项目/重大疾病.beancount"\n', encoding="utf-8"
    )
    (root / "项目" / "重大疾病.beancount").write_text(VIOLATION, encoding="utf-8")
    result = cli("check", "示例市/账本/主账本.beancount", "--format", "json", cwd=tmp_path)
    doc = json.loads(result.stdout)
    assert doc["ledgers"][0]["path"] == "示例市/账本/主账本.beancount"
    assert doc["findings"][0]["file"] == "示例市/账本/项目/重大疾病.beancount"
    assert doc["findings"][0]["line"] == 2


def test_non_utf8_file_is_explained(cli, ledger: Ledger) -> None:
    ledger.write("")
    with ledger.main.open("ab") as handle:
        handle.write('2024-02-01 * "会费"\n'.encode("gbk"))
    result = cli("check", ledger.main)
    assert result.returncode == 1
    assert "UTF-8" in result.stdout and "Traceback" not in result.stdout + result.stderr


def test_missing_include_is_a_ledger_error(cli, ledger: Ledger) -> None:
    ledger.write('include "projects/不存在.beancount"\n')
    result = cli("check", ledger.main)
    assert result.returncode == 1
    assert "include 的文件" in result.stdout


def test_ledger_without_hz_directives(cli, tmp_path: Path) -> None:
    path = tmp_path / "personal.beancount"
    path.write_text(
        "2024-01-01 open Assets:Cash CNY\n2024-01-01 open Expenses:Food CNY\n"
        '2024-01-02 * "午饭"\n  Expenses:Food 30.00 CNY\n  Assets:Cash\n',
        encoding="utf-8",
    )
    result = cli("check", path)
    assert result.returncode == 1
    assert "没有任何 hz-* 声明" in result.stdout
    assert "HZ-FUND" in result.stdout and "HZ-KIND" in result.stdout


def test_results_are_never_stale(cli, ledger: Ledger) -> None:
    """A pickle cache keyed on ledger files only would miss a policy change in an include."""
    ledger.write(
        'include "policy.beancount"\n'
        '2024-03-01 * "转存定期"\n'
        "  Assets:ZY24:1002银行存款:D定期存款  200000.00 CNY\n"
        "  Assets:ZY24:1002银行存款:Z支出户\n",
        **{"policy.beancount": '2024-01-01 custom "hz-policy" "large-amount" 500000 CNY\n'},
    )
    assert cli("check", ledger.main).returncode == 0
    (ledger.root / "policy.beancount").write_text(
        '2024-01-01 custom "hz-policy" "large-amount" 100000 CNY\n', encoding="utf-8"
    )
    assert cli("check", ledger.main).returncode == 1
    assert not list(ledger.root.glob(".*picklecache"))


def test_version(cli) -> None:
    result = cli("--version")
    assert result.returncode == 0 and "0.1.0" in result.stdout


def test_does_not_modify_the_ledger(cli, example_ledger: Path) -> None:
    before = {p: p.read_bytes() for p in example_ledger.parent.rglob("*") if p.is_file()}
    cli("check", example_ledger, "--format", "json")
    after = {p: p.read_bytes() for p in example_ledger.parent.rglob("*") if p.is_file()}
    assert before == after
    shutil.rmtree(example_ledger.parent)
