"""The rule engine: every rule, one pass over the entries.

`run_rules(entries, options)` parses the model, lets each rule inspect the
declarations, then walks the entries once, computing each transaction's facts
a single time and handing them to every rule that looks at transactions.
The plugin, `hzledger check` and the supervisors' page all call this.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from beancount.core import data, flags
from beancount.ops import pad

from hzledger.findings import Finding, Severity
from hzledger.model import LedgerModel, Source, parse_model
from hzledger.result import FindingCounts
from hzledger.rules import ALL_RULES, INTERNAL_RULE_ID, Context, Rule
from hzledger.totals import FundTotals, TotalsCollector
from hzledger.txn import AccountIndex, TxnFacts


@dataclass(kw_only=True)
class Outcome(FindingCounts):
    """What one engine run found, plus what it needs to answer for another as-of date.

    Its counts are `hzledger.result.FindingCounts`', the same as every other layer's.
    """

    model: LedgerModel
    findings: list[Finding]
    rule_ids: frozenset[str]
    transactions: int
    as_of: datetime.date | None
    totals: dict[str, FundTotals] = field(default_factory=dict)
    decision_use: dict[str, Decimal] = field(default_factory=dict)
    _rules: list[Rule] = field(default_factory=list, repr=False)
    _options: dict[str, Any] = field(default_factory=dict, repr=False)

    def at(self, as_of: datetime.date | None) -> Outcome:
        """The same run judged as of another date: only as-of rules finish again."""
        if as_of is None or as_of == self.as_of:
            return self
        again = [r for r in self._rules if r.depends_on_as_of]
        ids = {r.id for r in again}
        findings = [f for f in self.findings if f.rule not in ids]
        ctx = Context(self.model, self._options, as_of, findings.append)
        for rule in again:
            rule.finish(ctx)
        return Outcome(
            model=self.model,
            findings=findings,
            rule_ids=self.rule_ids,
            transactions=self.transactions,
            as_of=as_of,
            totals=self.totals,
            decision_use=self.decision_use,
            _rules=self._rules,
            _options=self._options,
        )

    def __getstate__(self) -> dict[str, Any]:
        # Beancount may pickle the options map this rides in; keep it plain.
        state = self.__dict__.copy()
        state["_rules"] = []
        state["_options"] = {}
        return state


def internal_error(entry: data.Directive | None, exc: Exception, where: str) -> Finding:
    """A crash of ours, as a finding at the entry it happened on, naming the rule."""
    src = Source.of(entry.meta if entry is not None else None)
    what = f"{type(exc).__name__}: {exc}"
    return Finding.make(
        INTERNAL_RULE_ID,
        Severity.ERROR,
        None,
        file=src.file,
        line=src.line,
        date=getattr(entry, "date", None),
        fund=None,
        zh=f"hzledger 内部错误（{where}）：{what}；此处的检查未完成，请把账本片段报告给 hzledger 维护者",
        en=f"hzledger internal error ({where}): {what}; checks here are incomplete",
        key=(where, what),
    )


def _guarded(
    hook: Callable[[Context], None], ctx: Context, entry: data.Directive | None, where: str
) -> None:
    try:
        hook(ctx)
    except Exception as exc:
        ctx.report(internal_error(entry, exc, where))


def with_padding(
    entries: Sequence[data.Directive], options: dict[str, Any]
) -> Sequence[data.Directive]:
    """The entries with the transactions Beancount generates from `pad` entries.

    Beancount 3 inserts them after the plugins have run, so a plugin never sees
    them; LEDGER-SPEC §5 judges them like written ones, at the `pad` line (their
    metadata is the pad's). Entries loaded without our plugin are padded already.
    """
    padding = flags.FLAG_PADDING
    if any(type(e) is data.Transaction and e.flag == padding for e in entries):
        return entries
    padded, _errors = pad.pad(list(entries), options)  # Beancount reports these itself
    return padded  # type: ignore[no-any-return]


def run_rules(
    entries: Sequence[data.Directive],
    options: dict[str, Any],
    *,
    rules: Sequence[type[Rule]] = ALL_RULES,
    as_of: datetime.date | None = None,
) -> Outcome:
    model, problems = parse_model(entries, options)
    findings: list[Finding] = []
    if model.has_pads:
        try:
            entries = with_padding(entries, options)
        except Exception as exc:  # the pads go unjudged, said so; everything else is checked
            findings.append(internal_error(None, exc, "pad"))
    last_date = entries[-1].date if entries else None
    ctx = Context(model, options, as_of or last_date, findings.append, problems)
    instances = [rule() for rule in rules]
    for rule in instances:
        _guarded(rule.declarations, ctx, None, rule.id)
    watching = [rule for rule in instances if rule.watches_transactions(ctx)]
    txn_hooks = [(rule.transaction, rule.id) for rule in watching]
    index = AccountIndex(model)
    operating = model.operating_currency
    totals = TotalsCollector(model)
    count = 0
    txn_type = data.Transaction
    for entry in entries:
        if type(entry) is not txn_type:
            continue
        count += 1
        # `try` is free until something raises (zero-cost exceptions); one per rule, so
        # that one rule's bug neither hides the others' findings nor goes unnamed.
        try:
            facts = TxnFacts(entry, index, operating)
            totals.add(facts)
        except Exception as exc:
            findings.append(internal_error(entry, exc, "transaction"))
            continue
        for hook, rule_id in txn_hooks:
            try:
                hook(facts, ctx)
            except Exception as exc:
                findings.append(internal_error(entry, exc, rule_id))
    for rule in instances:
        _guarded(rule.finish, ctx, None, rule.id)
    return Outcome(
        model=model,
        findings=findings,
        rule_ids=frozenset(rule.id for rule in instances),
        transactions=count,
        as_of=ctx.as_of,
        totals=totals.result(),
        decision_use=dict(totals.decision_use),
        _rules=instances,
        _options=options,
    )
