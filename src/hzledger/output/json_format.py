"""`--format json`: one object per run, exactly LEDGER-SPEC §8."""

from __future__ import annotations

import json
from typing import Any

from hzledger import __version__
from hzledger.paths import display_path
from hzledger.result import CheckResult


def render(results: list[CheckResult], *, lang: str = "zh") -> str:
    ledgers: list[dict[str, Any]] = []
    findings: list[dict[str, Any]] = []
    for result in results:
        ledgers.append(
            {
                "path": result.path,
                "title": result.title,
                "errors": result.errors,
                "warnings": result.warnings,
                "transactions": result.transactions,
            }
        )
        for f in result.findings:
            findings.append(
                {
                    "rule": f.rule,
                    "severity": f.severity.value,
                    "ledger": result.path,
                    "file": display_path(f.file),
                    "line": f.line,
                    "date": f.date.isoformat() if f.date else None,
                    "fund": f.fund,
                    "article": f.article,
                    "message": f.text(lang),
                }
            )
    doc = {"hzledger": __version__, "ledgers": ledgers, "findings": findings}
    return json.dumps(doc, ensure_ascii=False, indent=2)
