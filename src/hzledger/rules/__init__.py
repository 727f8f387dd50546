"""Every rule of LEDGER-SPEC §7, one module each, found by looking.

A rule module is named by its id (`a29_separate_lines.py` holds HZ-A29) and its
`Rule` subclass registers itself when the module is imported (`Rule.__init_subclass__`).
Importing this package imports every module beside it, so adding a rule is adding
one file: no list to extend, no plugin shim to write (select it with
`plugin "hzledger.plugins.compliance" "HZ-A29"`).
"""

from __future__ import annotations

import importlib
import pkgutil

from hzledger.rules.base import REGISTRY, Context, Rule


def _discover() -> tuple[type[Rule], ...]:
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module.name != "base":
            importlib.import_module(f"{__name__}.{module.name}")
    return tuple(REGISTRY.values())


ALL_RULES: tuple[type[Rule], ...] = _discover()

RULES_BY_ID: dict[str, type[Rule]] = {rule.id: rule for rule in ALL_RULES}

# Beancount's own errors, passed through under this id (LEDGER-SPEC §7).
BEANCOUNT_RULE_ID = "beancount"
# A rule of ours that crashed on an entry: a bug, reported as a finding naming the rule.
INTERNAL_RULE_ID = "HZ-INTERNAL"

__all__ = [
    "ALL_RULES",
    "BEANCOUNT_RULE_ID",
    "INTERNAL_RULE_ID",
    "RULES_BY_ID",
    "Context",
    "Rule",
    "UnknownRuleError",
    "select",
]


class UnknownRuleError(ValueError):
    """A plugin configuration names a rule id that does not exist."""


def select(config: str | None) -> tuple[type[Rule], ...]:
    """The rules a plugin configuration string names (`"HZ-A28 HZ-A29"`); all when empty.

    Ids are separated by spaces or commas, in any case; `A29` means `HZ-A29`.
    """
    if not config or not config.strip():
        return ALL_RULES
    chosen = []
    for word in config.replace(",", " ").split():
        rule_id = word.upper()
        if not rule_id.startswith("HZ-"):
            rule_id = f"HZ-{rule_id}"
        rule = RULES_BY_ID.get(rule_id)
        if rule is None:
            raise UnknownRuleError(word)
        if rule not in chosen:
            chosen.append(rule)
    return tuple(chosen)
