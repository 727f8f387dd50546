"""The result of checking one ledger, and the counts every layer reads from it.

`CheckResult` is what `hzledger check` reports, caches, renders and what the history and
import dry runs reuse: the ledger's title, how many transactions were judged, and the findings.
Every count a report, page or submission shows (errors, warnings, per-rule counts, the first
errors) comes from `FindingCounts`, computed from the findings, never stored beside them.

The engine's own run (`hzledger.engine.Outcome`) and a loaded ledger's check
(`hzledger.check.LedgerCheck`) carry the same findings and derive their counts the same way;
they add what only they have (the parsed model, fund totals, the loaded entries).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from pydantic import BaseModel

from hzledger.findings import Finding, Severity


class FindingCounts:
    """Counts derived from `findings`: never stored, so never out of step with them."""

    if TYPE_CHECKING:
        findings: list[Finding]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    @property
    def rule_counts(self) -> dict[str, int]:
        """Findings per rule id, sorted by id."""
        return dict(sorted(Counter(f.rule for f in self.findings).items()))

    def first_errors(self, limit: int = 20) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR][:limit]


class CheckResult(FindingCounts, BaseModel):
    """What checking one ledger found, as `hzledger check` reports and caches it.

    `path` is the ledger as the user named it (empty in the cache, which is keyed by content);
    `files` are the files the load read, which decide whether a cached result is still valid.
    """

    path: str = ""
    title: str
    transactions: int
    has_hz_directives: bool
    findings: list[Finding]
    files: list[str] = []
