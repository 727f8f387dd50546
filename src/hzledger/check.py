"""Checking one ledger: load it with Beancount (never from a stale cache), run the
rules once, and join Beancount's own errors to our findings.

`check_file` is what `hzledger check` and the reports call; `check_loaded` is
for callers that loaded the ledger themselves (Fava).
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from beancount import loader
from beancount.core import data

from hzledger.engine import Outcome, run_rules
from hzledger.findings import Finding, Severity
from hzledger.plugin import HzError, stashed
from hzledger.result import CheckResult
from hzledger.rules import ALL_RULES, BEANCOUNT_RULE_ID

_ALL_IDS = frozenset(rule.id for rule in ALL_RULES)
_BEANCOUNT_DEFAULT_TITLE = "Beancount"

# Beancount's commonest load errors, said the way our users say them.
_EXPLAIN: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"UnicodeDecodeError"),
        "文件不是 UTF-8 编码（常见于 GBK 导出的文件），请先转换为 UTF-8，如 iconv -f GBK -t UTF-8",
    ),
    (re.compile(r'File glob "(?P<f>[^"]+)" does not match any files'), "include 的文件 {f} 不存在"),
    (re.compile(r"Transaction does not balance"), "交易借贷不平衡"),
    (
        re.compile(r"Invalid reference to unknown account '(?P<f>[^']+)'"),
        "账户 {f} 未开立（缺少 open）",
    ),
    (re.compile(r"Balance failed for '(?P<f>[^']+)'"), "账户 {f} 余额断言不符"),
)


def _untraceback(message: str) -> str:
    """A plugin's crash arrives with its traceback; users need its first and last lines."""
    if "Traceback (most recent call last)" not in message:
        return message
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    head = lines[0].split("Traceback", 1)[0].strip()
    return f"{head} {lines[-1]}".strip()


def _explain(message: str) -> str:
    for pattern, text in _EXPLAIN:
        match = pattern.search(message)
        if match:
            return text.format(**match.groupdict()) + "。"
    return ""


@dataclass(kw_only=True)
class LedgerCheck(Outcome):
    """A loaded ledger and everything found in it: the engine's outcome with Beancount's own
    errors joined, and the entries and options of the load.
    """

    path: Path
    entries: list[data.Directive]
    options: dict[str, Any]

    @property
    def title(self) -> str:
        title = self.options.get("title")
        if title and title != _BEANCOUNT_DEFAULT_TITLE:
            return str(title)
        return self.model.org.name if self.model.org else str(self.path)

    def result(self, path: str = "", files: list[str] | None = None) -> CheckResult:
        """What `hzledger check` reports and caches about this ledger."""
        return CheckResult(
            path=path,
            title=self.title,
            transactions=self.transactions,
            has_hz_directives=self.model.has_hz_directives,
            findings=self.findings,
            files=list(self.options.get("include") or ()) if files is None else files,
        )


def load(path: str | Path) -> tuple[list[data.Directive], list[Any], dict[str, Any]]:
    """Load with Beancount, bypassing its pickle cache.

    Beancount's cache keys on the ledger files only; a changed hzledger or rule set
    would be served old findings from it. Correctness first: we never read it.
    """
    absolute = os.path.abspath(os.fspath(path))
    entries, errors, options = loader._load([(absolute, True)], None, None, None)
    return entries, errors, options


def beancount_finding(error: Any) -> Finding:
    source = getattr(error, "source", None) or {}
    entry = getattr(error, "entry", None)
    date = getattr(entry, "date", None)
    message = _untraceback(str(getattr(error, "message", error)).strip())
    line = source.get("lineno") if isinstance(source, dict) else None
    file = source.get("filename") if isinstance(source, dict) else None
    return Finding.make(
        BEANCOUNT_RULE_ID,
        Severity.ERROR,
        None,
        file=file,
        line=line if isinstance(line, int) and line > 0 else None,
        date=date if isinstance(date, datetime.date) else None,
        fund=None,
        zh=f"Beancount 报告错误：{_explain(message)}{message}",
        en=f"Beancount error: {message}",
        key=(type(error).__name__, message),
    )


def check_loaded(
    path: str | Path,
    entries: list[data.Directive],
    errors: Sequence[Any],
    options: dict[str, Any],
    *,
    as_of: datetime.date | None = None,
) -> LedgerCheck:
    """Findings for a ledger already loaded by Beancount (the plugin's run is reused)."""
    outcome: Outcome | None = stashed(options, _ALL_IDS)
    if outcome is None:
        outcome = run_rules(entries, options)
    outcome = outcome.at(as_of)
    findings = list(outcome.findings)
    findings.extend(beancount_finding(e) for e in errors if not isinstance(e, HzError))
    findings.sort(key=Finding.sort_key)
    return LedgerCheck(
        path=Path(path),
        entries=entries,
        options=options,
        model=outcome.model,
        findings=findings,
        rule_ids=outcome.rule_ids,
        transactions=outcome.transactions,
        as_of=outcome.as_of,
        totals=outcome.totals,
        decision_use=outcome.decision_use,
    )


def check_file(path: str | Path, *, as_of: datetime.date | None = None) -> LedgerCheck:
    entries, errors, options = load(path)
    return check_loaded(path, entries, errors, options, as_of=as_of)
