"""The rule protocol: a small unit that names its id, article and severity.

A rule may look at the declarations (`declarations`), at each transaction
(`transaction`, fed by the engine's single pass with precomputed `TxnFacts`),
and at the end (`finish`). The engine only calls `transaction` on rules that
override it, so declaration-only rules cost nothing in the hot loop.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, ClassVar

from beancount.core import compare, data

from hzledger.findings import Finding, Severity
from hzledger.messages import Msg, violation
from hzledger.model import LedgerModel, Problem, Source
from hzledger.txn import TxnFacts


class Context:
    """What a rule sees: the model, the options, the as-of date and a way to report."""

    def __init__(
        self,
        model: LedgerModel,
        options: dict[str, Any],
        as_of: datetime.date | None,
        sink: Callable[[Finding], None],
        problems: list[Problem] | None = None,
    ) -> None:
        self.model = model
        self.options = options
        self.as_of = as_of
        self._sink = sink
        self.problems = problems or []
        self.operating_currencies = frozenset(
            options.get("operating_currency") or [model.operating_currency]
        )

    def report(self, finding: Finding) -> None:
        """Pass on a finding made elsewhere (the model parser's malformed directives)."""
        self._sink(finding)

    def emit(
        self,
        rule: Rule,
        where: data.Directive | Source,
        msg: Msg,
        *,
        fund: str | None = None,
        date: datetime.date | None = None,
        severity: Severity | None = None,
        detail: str = "",
    ) -> None:
        """Report a finding at an entry (or a declaration's source), citing the rule's article."""
        msg = violation(rule.article, msg.zh, msg.en)
        if isinstance(where, Source):
            src, entry_key, when = where, "", date
        else:
            src = Source.of(where.meta)
            entry_key = compare.hash_entry(where, exclude_meta=True)
            when = date or where.date
        self._sink(
            Finding(
                rule=rule.id,
                severity=severity or rule.severity,
                article=rule.article,
                file=src.file,
                line=src.line,
                date=when,
                fund=fund,
                message=msg.zh,
                message_en=msg.en,
                key=f"{rule.id}|{entry_key}|{fund or ''}|{detail}",
            )
        )


class Rule:
    """Base class of every rule. Subclasses set the class attributes and override hooks."""

    id: ClassVar[str]
    article: ClassVar[int | None]
    severity: ClassVar[Severity] = Severity.ERROR
    title_zh: ClassVar[str]
    title_en: ClassVar[str]
    # Rules whose `finish` depends on the as-of date (HZ-A32) are re-finished for
    # another date without another pass over the entries.
    depends_on_as_of: ClassVar[bool] = False

    def declarations(self, ctx: Context) -> None:
        """Inspect the parsed declarations (opens, commodities, funds, projects)."""

    def transaction(self, facts: TxnFacts, ctx: Context) -> None:
        """Inspect one transaction."""

    def finish(self, ctx: Context) -> None:
        """Report what can only be known after the pass."""

    def watches_transactions(self, ctx: Context) -> bool:
        """After `declarations`: whether this ledger gives `transaction` anything to do.

        A rule that can tell from the declarations alone (no budgets, no prohibited
        holdings) stays out of the per-transaction loop.
        """
        return self.wants_transactions()

    @classmethod
    def wants_transactions(cls) -> bool:
        return cls.transaction is not Rule.transaction
