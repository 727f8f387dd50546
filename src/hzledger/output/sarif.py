"""`--format sarif`: SARIF 2.1.0 for code-scanning views (GitHub code scanning, GitLab, IDEs).

One run per invocation. Each rule that can fire is described once under `tool.driver.rules`, with
its article; each finding is a result pointing at its file and line, relative to the current
directory (the repository root in CI). `partialFingerprints` carries the finding's content key,
so a code-scanning view tracks the same problem across commits even when its line moves.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from hzledger import __version__
from hzledger.findings import Finding, Severity, article_zh
from hzledger.result import CheckResult
from hzledger.rules import ALL_RULES, BEANCOUNT_RULE_ID, INTERNAL_RULE_ID

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"


def _rule_descriptors(lang: str) -> list[dict[str, Any]]:
    descriptors = []
    for rule in ALL_RULES:
        zh = rule.title_zh
        en = rule.title_en
        cite_zh = f"（{article_zh(rule.article)}）" if rule.article else ""
        cite_en = f" (article {rule.article})" if rule.article else ""
        descriptors.append(
            {
                "id": rule.id,
                "name": rule.__name__,
                "shortDescription": {
                    "text": f"{en}{cite_en}" if lang == "en" else f"{zh}{cite_zh}"
                },
                "fullDescription": {"text": f"{zh}{cite_zh} / {en}{cite_en}"},
                "defaultConfiguration": {"level": _level(rule.severity)},
                "properties": {
                    k: v
                    for k, v in (("article", rule.article), ("tags", ["compliance", "hzledger"]))
                    if v is not None
                },
            }
        )
    descriptors.append(
        {
            "id": INTERNAL_RULE_ID,
            "name": "HzledgerInternal",
            "shortDescription": {
                "text": "hzledger internal error: a rule crashed on an entry; checks there are "
                "incomplete"
                if lang == "en"
                else "hzledger 内部错误：某条规则在某条目上出错，此处检查未完成"
            },
            "defaultConfiguration": {"level": "error"},
            "properties": {"tags": ["hzledger"]},
        }
    )
    descriptors.append(
        {
            "id": BEANCOUNT_RULE_ID,
            "name": "Beancount",
            "shortDescription": {
                "text": "Beancount errors (syntax, balance, booking)"
                if lang == "en"
                else "Beancount 自身报告的错误（语法、余额断言、记账）"
            },
            "defaultConfiguration": {"level": "error"},
            "properties": {"tags": ["beancount"]},
        }
    )
    return descriptors


def _level(severity: Severity) -> str:
    return "error" if severity is Severity.ERROR else "warning"


def _uri(file: str) -> tuple[str, str | None]:
    """A relative URI under %SRCROOT% (the current directory) when possible, else a file URI."""
    absolute = os.path.abspath(file)
    rel = os.path.relpath(absolute)
    if not rel.startswith(".."):
        return Path(rel).as_posix(), SRCROOT
    return Path(absolute).as_uri(), None


def _location(finding: Finding, ledger: str) -> dict[str, Any]:
    file = finding.file if finding.file and not finding.file.startswith("<") else ledger
    uri, base = _uri(file)
    artifact: dict[str, Any] = {"uri": uri}
    if base:
        artifact["uriBaseId"] = base
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if finding.line and finding.line > 0 and file == finding.file:
        physical["region"] = {"startLine": finding.line}
    return {"physicalLocation": physical}


def _result(finding: Finding, ledger: str, index: dict[str, int], lang: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": _level(finding.severity),
        "message": {"text": finding.text(lang)},
        "locations": [_location(finding, ledger)],
    }
    props = {
        "article": finding.article,
        "fund": finding.fund,
        "date": finding.date.isoformat() if finding.date else None,
        "ledger": ledger,
    }
    result["properties"] = {k: v for k, v in props.items() if v is not None}
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    if finding.key:
        result["partialFingerprints"] = {"hzledgerKey/v1": finding.key}
    return result


def render(results: list[CheckResult], *, lang: str = "zh") -> str:
    rules = _rule_descriptors(lang)
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    sarif_results = [
        _result(f, result.path, index, lang) for result in results for f in result.findings
    ]
    root = Path.cwd().as_uri().rstrip("/") + "/"
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "hzledger",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {SRCROOT: {"uri": root}},
                "invocations": [{"executionSuccessful": True}],
                "columnKind": "unicodeCodePoints",
                "results": sarif_results,
            }
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)
