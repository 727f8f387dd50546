"""`hzledger check --format sarif`: SARIF 2.1.0 that code-scanning views accept.

No SARIF 2.1.0 JSON schema ships in a package available offline, so the structure that GitHub
code scanning requires is asserted field by field, and the results are cross-checked with the
`--format json` output of the same run.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from wf_helpers import hz, scaffold, spec

from hzledger import __version__
from hzledger.check import check_file
from hzledger.findings import Finding, Severity
from hzledger.output.sarif import render
from hzledger.result import CheckResult
from hzledger.rules import ALL_RULES
from hzledger.scaffold.project import new_project

VIOLATIONS = """
2026-12-01 open Assets:ZY27:1101短期投资:L理财产品 CNY
  kind: "wealth-product"
2026-12-10 * "某银行" "购买理财产品"
  Assets:ZY27:1101短期投资:L理财产品  10000.00 CNY
  Assets:ZY27:1002银行存款:Z支出户
"""


@pytest.fixture
def org(tmp_path: Path) -> Path:
    directory = tmp_path / "org"
    scaffold(directory)
    project = new_project(directory, spec()).path
    with project.open("a", encoding="utf-8") as handle:
        handle.write(VIOLATIONS)
    return directory


def run_sarif(org: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    result = hz("check", "main.beancount", "--format", "sarif", *extra, cwd=org)
    assert "Traceback" not in result.stderr
    return result.returncode, json.loads(result.stdout)


def test_sarif_document_structure(org: Path) -> None:
    code, sarif = run_sarif(org)
    assert code == 1
    assert sarif["version"] == "2.1.0"
    assert sarif["$schema"].endswith("sarif-2.1.0.json")
    (run,) = sarif["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "hzledger" and driver["version"] == __version__
    ids = [rule["id"] for rule in driver["rules"]]
    assert len(ids) == len(set(ids)), "one descriptor per rule"
    assert {r.id for r in ALL_RULES} | {"beancount", "HZ-INTERNAL"} == set(ids)
    a28 = driver["rules"][ids.index("HZ-A28")]
    assert a28["properties"]["article"] == 28
    assert "第二十八条" in a28["shortDescription"]["text"]
    assert a28["defaultConfiguration"]["level"] == "error"
    root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert root.startswith("file://") and root.endswith("/")
    assert Path(root.removeprefix("file://")).resolve() == org.resolve()

    results = run["results"]
    assert len(results) == 2
    for result in results:
        assert ids[result["ruleIndex"]] == result["ruleId"] == "HZ-A28"
        assert result["level"] == "error"
        assert result["message"]["text"].startswith("违反第二十八条")
        (location,) = result["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert artifact == {"uri": "projects/ZY27.beancount", "uriBaseId": "%SRCROOT%"}
        assert location["physicalLocation"]["region"]["startLine"] >= 1
        assert result["partialFingerprints"]["hzledgerKey/v1"].startswith("HZ-A28|")
        assert result["properties"]["fund"] == "ZY27"


def test_sarif_agrees_with_json_and_follows_lang(org: Path) -> None:
    _, sarif = run_sarif(org, "--lang", "en")
    listed = hz("check", "main.beancount", "--format", "json", "--lang", "en", cwd=org)
    findings = json.loads(listed.stdout)["findings"]
    from_sarif = sorted(
        (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["message"]["text"],
        )
        for r in sarif["runs"][0]["results"]
    )
    from_json = sorted(
        (f["rule"], Path(f["file"]).as_posix(), f["line"], f["message"]) for f in findings
    )
    assert from_sarif == from_json
    assert all(text.startswith("Article 28") for *_, text in from_sarif)
    a28 = next(r for r in sarif["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "HZ-A28")
    assert "article 28" in a28["shortDescription"]["text"]


def test_sarif_for_a_clean_ledger_has_no_results(tmp_path: Path) -> None:
    scaffold(tmp_path)
    result = hz("check", "main.beancount", "--format", "sarif", cwd=tmp_path)
    assert result.returncode == 0
    (run,) = json.loads(result.stdout)["runs"]
    assert run["results"] == []
    assert run["invocations"] == [{"executionSuccessful": True}]


def test_sarif_uses_file_uris_outside_the_working_directory(org: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = hz("check", os.fspath(org / "main.beancount"), "--format", "sarif", cwd=elsewhere)
    (run,) = json.loads(result.stdout)["runs"]
    for item in run["results"]:
        artifact = item["locations"][0]["physicalLocation"]["artifactLocation"]
        assert "uriBaseId" not in artifact
        assert artifact["uri"] == (org / "projects" / "ZY27.beancount").as_uri()


def test_sarif_carries_beancount_errors_and_findings_without_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    main = scaffold(tmp_path)
    with (tmp_path / "funds" / "ZH.beancount").open("a", encoding="utf-8") as handle:
        handle.write(
            '\n2026-03-01 * "期初"\n  Assets:ZH:1002银行存款:J基本户  100.00 CNY\n'
            "  Equity:ZH:3101非限定性净资产\n"
            "2026-03-02 balance Assets:ZH:1002银行存款:J基本户  99.00 CNY\n"
        )
    checked = check_file(main)
    (balance,) = checked.findings
    assert balance.rule == "beancount"
    nowhere = Finding(
        rule="HZ-A32", severity=Severity.WARNING, article=32, file=None, line=None,
        date=None, fund=None, message="违反第三十二条：测试", message_en="Article 32 violated: test",
    )  # fmt: skip
    monkeypatch.chdir(tmp_path)
    result = CheckResult(
        path="main.beancount",
        title=checked.title,
        transactions=checked.transactions,
        has_hz_directives=True,
        findings=[balance, nowhere],
    )
    (run,) = json.loads(render([result], lang="zh"))["runs"]
    first, second = run["results"]
    assert first["ruleId"] == "beancount" and first["level"] == "error"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "funds/ZH.beancount"
    assert location["region"]["startLine"] == balance.line
    # A finding with no file of its own points at the ledger, without a line.
    assert second["level"] == "warning"
    assert second["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "main.beancount", "uriBaseId": "%SRCROOT%"}
    }
    assert "partialFingerprints" not in second
