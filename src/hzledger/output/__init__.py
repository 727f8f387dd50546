"""Renderers of `hzledger check` results: one module per `--format`.

Each module has `render(results: list[LedgerResult], *, lang: str) -> str`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from hzledger.findings import Finding, Severity

FORMATS = ("text", "json", "github", "sarif")


@dataclass
class LedgerResult:
    """One checked ledger: its path as the user gave it and what to report about it."""

    path: str
    title: str
    transactions: int
    has_hz_directives: bool
    findings: list[Finding]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)


Renderer = Callable[..., str]


def renderer(name: str) -> Renderer:
    """The `render` function of `hzledger.output.<name>_format` (or `.<name>`)."""
    try:
        module = importlib.import_module(f"hzledger.output.{name}_format")
    except ModuleNotFoundError:
        module = importlib.import_module(f"hzledger.output.{name}")
    return module.render  # type: ignore[no-any-return]
