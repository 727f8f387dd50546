"""The loaded ledger a report reads: entries, options and the parsed model.

Reports run on `hzledger.check.check_file`, so the numbers come with the same
error and warning counts `hzledger check` prints; a report on a ledger with
errors still runs, and says so in its header.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from beancount.core import data

from hzledger.check import LedgerCheck, check_file
from hzledger.figures.identity import org_title
from hzledger.findings import Finding
from hzledger.model import LedgerModel
from hzledger.result import FindingCounts

if TYPE_CHECKING:
    from hzledger.figures.ledger import LedgerFigures


@dataclass
class ReportLedger(FindingCounts):
    """A checked ledger as the reports read it: the path as the user gave it, the load, and
    the findings (counted by `FindingCounts`, like `hzledger check` counts them).
    """

    path: str
    entries: list[data.Directive]
    options: dict[str, Any]
    model: LedgerModel
    findings: list[Finding] = field(default_factory=list)

    def error_lines(self, lang: str = "zh", limit: int = 3) -> list[str]:
        """`file:line: message` of the first errors, paths as the user knows them."""
        from hzledger.paths import display_path

        lines = []
        for f in self.first_errors(limit):
            where = display_path(f.file) or self.path
            if f.line:
                where = f"{where}:{f.line}"
            lines.append(f"{where}: {f.text(lang)}")
        return lines

    @property
    def title(self) -> str:
        return org_title(self.model, self.path)

    @cached_property
    def figures(self) -> LedgerFigures:
        """Every derived figure of this load, computed once and shared by all reports."""
        from hzledger.figures.ledger import LedgerFigures  # figures read report balances

        return LedgerFigures(self.entries, self.model)


class LedgerNotFound(FileNotFoundError):
    """The ledger file given to a report does not exist."""


def load_ledger(path: str | Path) -> ReportLedger:
    """Load and check one ledger; raises `LedgerNotFound` for a missing file."""
    file = Path(path)
    if not file.is_file():
        raise LedgerNotFound(str(path))
    return report_ledger(check_file(str(path)), str(path))


def report_ledger(result: LedgerCheck, path: str) -> ReportLedger:
    """A checked ledger as the reports read it (the CLI and the service build it here)."""
    return ReportLedger(
        path=path,
        entries=list(result.entries),
        options=dict(result.options),
        model=result.model,
        findings=result.findings,
    )
