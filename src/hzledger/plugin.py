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
from hzledger.rules import RULES_BY_ID, Rule, UnknownRuleError, select

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


class PluginConfigError(NamedTuple):
    """A plugin configuration naming no rule we know; a Beancount error `hzledger check` keeps."""

    source: dict[str, Any]
    message: str
    entry: data.Directive | None


def make_plugin(rules: Sequence[type[Rule]] | None = None) -> PluginFn:
    """A Beancount plugin running `rules`, or the rules its configuration string names.

    `plugin "hzledger.plugins.compliance" "HZ-A28 HZ-A29"` runs those two; without a
    string, every rule.
    """

    def plugin(
        entries: list[data.Directive], options_map: dict[str, Any], config: str | None = None
    ) -> tuple[list[data.Directive], list[HzError | PluginConfigError]]:
        chosen = rules
        if chosen is None:
            try:
                chosen = select(config)
            except UnknownRuleError as exc:
                known = " ".join(RULES_BY_ID)
                return entries, [
                    PluginConfigError(
                        {"filename": "<hzledger>", "lineno": 0},
                        f"hzledger 插件配置中有未知的规则 id “{exc}”（可用：{known}）；"
                        f"unknown rule id {exc!s} in the plugin configuration",
                        None,
                    )
                ]
        outcome = run_rules(entries, options_map, rules=chosen)
        stash(options_map, outcome)
        errors: list[HzError | PluginConfigError] = [
            to_error(f) for f in outcome.findings if f.severity is Severity.ERROR
        ]
        return entries, errors

    return plugin
