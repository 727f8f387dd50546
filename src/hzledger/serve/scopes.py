"""Users' scopes against the ledgers actually served: typos warned, ambiguity refused.

A scope may name an organisation by its ledger title, which is text the ledger's author
controls. Two served ledgers with the same title would both open to a scope naming it,
so the service refuses to start in that case, and at run time a title shared by two
served ledgers (after an edit) matches neither (`unique_titles`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from hzledger.serve.ledgers import LedgerSpec, scope_matches
from hzledger.serve.users import UsersFile

Text = tuple[str, str]  # (zh, en)


@dataclass
class ScopeProblems:
    """What is wrong with the users' scopes against the served ledgers."""

    warnings: list[Text] = field(default_factory=list)
    fatal: Text | None = None


def unique_titles(titles_by_ledger: Sequence[tuple[str, ...]], index: int) -> tuple[str, ...]:
    """Ledger `index`'s titles that no other ledger shares."""
    others = Counter(t for i, ts in enumerate(titles_by_ledger) if i != index for t in set(ts))
    return tuple(t for t in titles_by_ledger[index] if t not in others)


def scope_problems(
    users: UsersFile, ledgers: Sequence[tuple[LedgerSpec, tuple[str, ...]]]
) -> ScopeProblems:
    out = ScopeProblems()
    for user in users.users:
        for scope in user.scopes:
            if scope == "*":
                continue
            matched = [spec.slug for spec, titles in ledgers if scope_matches(scope, spec, titles)]
            if not matched:
                out.warnings.append(
                    (
                        f"用户 {user.name} 的范围“{scope}”不匹配任何账本（拼写错误？）",
                        f"user {user.name}: scope {scope!r} matches no ledger (typo?)",
                    )
                )
            by_title = [spec.slug for spec, titles in ledgers if scope in titles]
            if len(by_title) > 1 and out.fatal is None:
                out.fatal = (
                    f"账本 {'、'.join(by_title)} 的标题相同（“{scope}”），用户 {user.name} 按标题"
                    "指定范围，无法确定是哪一个：请改用组织目录名，或修改标题",
                    f"ledgers {', '.join(by_title)} share the title {scope!r} that user "
                    f"{user.name} names as a scope; use the folder name or change a title",
                )
    return out
