"""Turning rules into Beancount plugins.

A plugin runs the engine on the loaded entries, returns the error-severity
findings as Beancount errors (so `bean-check` and Fava's Errors page show them,
at the entry's file and line), and leaves the whole outcome in the options map
so that `hzledger check` and the Fava extension reuse it instead of running
the rules a second time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from beancount.core import data

from hzledger.engine import Outcome, run_rules
from hzledger.findings import Finding, Severity
from hzledger.rules import ALL_RULES, Rule

STASH_KEY = "hzledger"

PluginFn = Callable[..., tuple[list[data.Directive], list[Any]]]


class HzError(NamedTuple):
    """A compliance finding in Beancount's error shape (source, message, entry)."""

    source: dict[str, Any]
    message: str
    entry: data.Directive | None


def to_error(finding: Finding) -> HzError:
    source = {"filename": finding.file or "<hzledger>", "lineno": finding.line or 0}
    return HzError(source, f"[{finding.rule}] {finding.message}", None)


def stash(options: dict[str, Any], outcome: Outcome) -> None:
    options.setdefault(STASH_KEY, {})[outcome.rule_ids] = outcome


def stashed(options: dict[str, Any], rule_ids: frozenset[str]) -> Outcome | None:
    found = options.get(STASH_KEY, {})
    return found.get(rule_ids) if isinstance(found, dict) else None


def make_plugin(rules: Sequence[type[Rule]] = ALL_RULES) -> PluginFn:
    def plugin(
        entries: list[data.Directive], options_map: dict[str, Any], config: str | None = None
    ) -> tuple[list[data.Directive], list[HzError]]:
        outcome = run_rules(entries, options_map, rules=rules)
        stash(options_map, outcome)
        errors = [to_error(f) for f in outcome.findings if f.severity is Severity.ERROR]
        return entries, errors

    return plugin
