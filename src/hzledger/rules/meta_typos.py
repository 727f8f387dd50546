"""HZ-META: a metadata key one typo away from a contract key (art. 31).

`aproved-by: "王敏"` is valid Beancount, so nothing complains, and HZ-A31 never
sees an approver. A key that is not a contract key but within one edit of one
(two edits of a key of seven or more characters) is most likely such a typo.
Edits count insertions, deletions, substitutions and swaps of two neighbouring
characters (`kidn` for `kind`), as a person mistyping would.
"""

from __future__ import annotations

from functools import cache

from beancount.core import data

from hzledger.findings import Severity
from hzledger.messages import Msg
from hzledger.model import BEANCOUNT_KEYS, CONTRACT_KEYS, Source
from hzledger.rules.base import Context, Rule
from hzledger.txn import TxnFacts

# A contract key this long tolerates two edits; shorter ones one (`end` vs `and`, not `id`).
LONG_KEY = 7


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance of `a` and `b`, or `limit + 1` once it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if before is not None and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, before[j - 2] + 1)
            current[j] = best
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1]


@cache
def suggestion(key: str) -> str | None:
    """The contract key `key` is probably a typo of, or None for a key that is fine."""
    if key in CONTRACT_KEYS or key in BEANCOUNT_KEYS or key.startswith("__"):
        return None
    close = []
    for known in CONTRACT_KEYS:
        limit = 2 if len(known) >= LONG_KEY else 1
        distance = edit_distance(key, known, limit)
        if distance <= limit:
            # Ties go to the key with the same first letter, then the longer (`knd`: kind).
            close.append((distance, key[0] != known[0], -len(known), known))
    return min(close)[3] if close else None


class MetaTypoRule(Rule):
    """HZ-META: a metadata key one typo away from a contract key (art. 31)."""

    id = "HZ-META"
    article = 31
    severity = Severity.WARNING
    title_zh = "元数据键拼写（拼错会使规则失效）"
    title_en = "metadata keys spelt as the contract spells them"

    def _emit(
        self,
        ctx: Context,
        entry: data.Directive,
        key: str,
        known: str,
        at: Source | None = None,
    ) -> None:
        ctx.emit(
            self,
            entry,
            Msg(
                f"元数据键 {key} 不是账本契约中的键，与 {known} 仅差一两个字符：是否应为 `{known}`？"
                "拼错的键会被静默忽略，使依赖它的检查（如审批、制单分离）失效",
                f"metadata key {key} is not a contract key but close to {known}: "
                f"did you mean `{known}`? A misspelt key is silently ignored",
            ),
            severity=self.severity,
            detail=f"{key}@{at.line if at else ''}",
            at=at,
        )

    def declarations(self, ctx: Context) -> None:
        for entry, keys in ctx.model.unknown_keys:
            for key in keys:
                known = suggestion(key)
                if known is not None:
                    self._emit(ctx, entry, key, known)

    def transaction(self, facts: TxnFacts, ctx: Context) -> None:
        txn = facts.txn
        for key in txn.meta or ():
            if key in _FINE:
                continue
            known = suggestion(key)
            if known is None:
                _FINE.add(key)
            else:
                self._emit(ctx, txn, key, known)
        for pf in facts.postings:
            meta = pf.posting.meta
            # The parser gives every posting `filename` and `lineno`; only more is worth a look.
            if not meta or len(meta) <= 2:
                continue
            for key in meta:
                if key in _FINE:
                    continue
                known = suggestion(key)
                if known is None:
                    _FINE.add(key)
                else:
                    self._emit(ctx, txn, key, known, at=Source.of(meta))


# Keys already judged fine: the common case costs one set lookup. Only ever grows, with
# keys whose verdict never changes, so sharing it between threads is safe.
_FINE: set[str] = set(CONTRACT_KEYS | BEANCOUNT_KEYS)
