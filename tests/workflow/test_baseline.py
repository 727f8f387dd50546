"""Baselines: a legacy ledger's known findings are accepted, new ones still fail, lines may move."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from wf_helpers import hz, scaffold, spec

from hzledger.baseline import BaselineError, identity, load_baseline, write_baseline
from hzledger.check import check_file
from hzledger.scaffold.project import new_project

# Legacy business: a wealth product bought twice the same way (two findings with the same key),
# and a payment straight out of the collection account (art. 29).
LEGACY = """
2026-12-01 open Assets:ZY27:1101短期投资:L理财产品 CNY
  kind: "wealth-product"
2026-12-05 * "示例机床厂" "2027年度住院医疗互助会费"
  Assets:ZY27:1002银行存款:S收入户  92500.00 CNY
  Income:ZY27:4201会费收入
2026-12-10 * "某银行" "购买理财产品"
  Assets:ZY27:1101短期投资:L理财产品  10000.00 CNY
  Assets:ZY27:1002银行存款:Z支出户
2026-12-10 * "某银行" "购买理财产品"
  Assets:ZY27:1101短期投资:L理财产品  10000.00 CNY
  Assets:ZY27:1002银行存款:Z支出户
2026-12-20 * "从收入户直接付互助金"
  Expenses:ZY27:5101业务活动成本:H互助金  3000.00 CNY
  Assets:ZY27:1002银行存款:S收入户
"""
SAME_PURCHASE_AGAIN = """
2026-12-10 * "某银行" "购买理财产品"
  Assets:ZY27:1101短期投资:L理财产品  10000.00 CNY
  Assets:ZY27:1002银行存款:Z支出户
"""
MOVED_ABOVE = """
; 2026年12月补记：以下几笔为手工录入，已核对银行回单。
2026-12-02 * "示例纺织集团" "2027年度住院医疗互助会费"
  Assets:ZY27:1002银行存款:S收入户  32000.00 CNY
  Income:ZY27:4201会费收入
"""


@pytest.fixture
def legacy(tmp_path: Path) -> Path:
    org = tmp_path / "org"
    main = scaffold(org)
    project = new_project(org, spec()).path
    with project.open("a", encoding="utf-8") as handle:
        handle.write(LEGACY)
    return main


def project_of(main: Path) -> Path:
    return main.parent / "projects" / "ZY27.beancount"


def insert_after_opens(path: Path, text: str) -> None:
    """Put `text` before the first transaction, so that every line below it moves."""
    body = path.read_text(encoding="utf-8")
    anchor = body.index("2026-12-01 open Assets:ZY27:1101短期投资")
    path.write_text(body[:anchor] + text.lstrip("\n") + "\n" + body[anchor:], encoding="utf-8")


def check(main: Path, baseline: Path) -> tuple[int, dict[str, object]]:
    result = hz("check", main, "--baseline", baseline, "--format", "json")
    assert "Traceback" not in result.stderr
    return result.returncode, json.loads(result.stdout)


def test_baseline_accepts_old_findings_and_rejects_a_new_one_after_lines_moved(
    legacy: Path,
) -> None:
    before = check_file(legacy).findings
    rules = sorted(f.rule for f in before)
    assert rules.count("HZ-A28") == 3 and "HZ-A29" in rules  # the open and two purchases
    baseline = legacy.parent / "hzledger-baseline.json"
    written = hz("baseline", baseline, legacy)
    assert written.returncode == 0, written.stderr
    assert f"{len(before)} 个已有问题" in written.stdout

    code, report = check(legacy, baseline)
    assert code == 0 and report["findings"] == []
    plain = hz("check", legacy)
    assert plain.returncode == 1, "without the baseline the ledger still fails"

    # Lines move: a comment and a clean transaction above every old finding.
    insert_after_opens(project_of(legacy), MOVED_ABOVE)
    after = check_file(legacy).findings
    assert sorted(f.line or 0 for f in after) != sorted(f.line or 0 for f in before)
    assert sorted(map(identity, after)) == sorted(map(identity, before)), "keys ignore lines"
    code, report = check(legacy, baseline)
    assert code == 0 and report["findings"] == []

    # A third identical purchase is one more than the baseline holds: exactly it is new.
    with project_of(legacy).open("a", encoding="utf-8") as handle:
        handle.write(SAME_PURCHASE_AGAIN)
    code, report = check(legacy, baseline)
    assert code == 1
    findings = report["findings"]
    assert isinstance(findings, list) and len(findings) == 1
    (new,) = findings
    assert new["rule"] == "HZ-A28" and "第二十八条" in new["message"]
    assert new["file"].endswith("projects/ZY27.beancount")
    assert new["line"] == project_of(legacy).read_text(encoding="utf-8").count("\n") - 2


def test_new_findings_count_each_key(legacy: Path) -> None:
    findings = check_file(legacy).findings
    purchases = [f for f in findings if f.rule == "HZ-A28" and f.date and f.date.day == 10]
    assert len(purchases) == 2 and identity(purchases[0]) == identity(purchases[1])
    path = legacy.parent / "one.json"
    write_baseline(path, [purchases[0]])
    accepted = load_baseline(path)
    assert len(accepted) == 1
    assert accepted.new_findings(purchases) == [purchases[1]]
    write_baseline(path, purchases)
    assert load_baseline(path).new_findings(findings) == [f for f in findings if f not in purchases]


def test_baseline_file_is_stable_and_sorted(legacy: Path) -> None:
    findings = check_file(legacy).findings
    first, second = legacy.parent / "a.json", legacy.parent / "b.json"
    write_baseline(first, findings)
    write_baseline(second, list(reversed(findings)))
    assert first.read_bytes() == second.read_bytes()
    document = json.loads(first.read_text(encoding="utf-8"))
    items = document["findings"]
    assert [(i["rule"], i["key"]) for i in items] == sorted((i["rule"], i["key"]) for i in items)
    assert document["total"] == len(findings) == sum(i["count"] for i in items)
    assert all(i["file"] == "projects/ZY27.beancount" for i in items), "paths relative to it"
    assert all("line" not in i for i in items), "no line numbers: they would churn"
    assert not list(legacy.parent.glob(".*.tmp")), "the atomic write leaves no temp file"


@pytest.mark.parametrize(
    ("content", "zh", "en"),
    [
        (None, "找不到基线文件", "no such baseline file"),
        ("{not json", "不是合法的 JSON", "invalid JSON"),
        ('{"findings": []}', "不是 hzledger 基线", "not an hzledger baseline"),
        (
            '{"format": "hzledger-baseline", "version": 1, "findings": [{"rule": "HZ-A28"}]}',
            "缺少 rule 或 key",
            "lacks rule or key",
        ),
        (
            '{"format": "hzledger-baseline", "version": 1, '
            '"findings": [{"rule": "HZ-A28", "key": "k", "count": 0}]}',
            "count 应为正整数",
            "count must be positive",
        ),
    ],
)
def test_a_bad_baseline_is_a_clear_error(
    legacy: Path, content: str | None, zh: str, en: str
) -> None:
    path = legacy.parent / "bad.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(BaselineError) as refused:
        load_baseline(path)
    assert zh in refused.value.zh and en in refused.value.en
    assert "bad.json" in refused.value.zh


def test_check_with_a_bad_baseline_exits_2_without_a_traceback(legacy: Path) -> None:
    path = legacy.parent / "bad.json"
    path.write_text("[1, 2", encoding="utf-8")
    result = hz("check", legacy, "--baseline", path)
    assert result.returncode == 2
    assert "不是合法的 JSON" in result.stderr and "Traceback" not in result.stderr


def test_baseline_command_refuses_a_missing_ledger(tmp_path: Path) -> None:
    result = hz("baseline", tmp_path / "b.json", tmp_path / "nope.beancount")
    assert result.returncode == 2
    assert "找不到账本文件" in result.stderr
    assert not (tmp_path / "b.json").exists()
