"""What a rule reports: one `Finding` per problem, tied to the entry at fault."""

from __future__ import annotations

import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

_DIGITS = "零一二三四五六七八九"


def article_zh(article: int) -> str:
    """Chinese ordinal of an article number: 24 -> 第二十四条."""
    if article < 10:
        body = _DIGITS[article]
    elif article < 20:
        body = "十" + (_DIGITS[article % 10] if article % 10 else "")
    else:
        body = _DIGITS[article // 10] + "十" + (_DIGITS[article % 10] if article % 10 else "")
    return f"第{body}条"


class Severity(StrEnum):
    """How serious a finding is: an error fails the check, a warning does not."""

    ERROR = "error"
    WARNING = "warning"


class Finding(BaseModel):
    """One problem in one ledger, at one entry.

    `message` is Chinese and cites the article; `message_en` is its English twin
    for `--lang en`. `key` identifies the entry by content rather than position,
    so baselines survive lines moving.
    """

    model_config = ConfigDict(frozen=True)

    rule: str
    severity: Severity
    article: int | None
    file: str | None
    line: int | None
    date: datetime.date | None
    fund: str | None
    message: str
    message_en: str
    key: str = ""

    @classmethod
    def make(
        cls,
        rule: str,
        severity: Severity,
        article: int | None,
        *,
        file: str | None,
        line: int | None,
        date: datetime.date | None,
        fund: str | None,
        zh: str,
        en: str,
        key: tuple[str, ...],
    ) -> Finding:
        """The one way findings are made; `key` parts join after the rule id, `|`-separated."""
        return cls(
            rule=rule,
            severity=severity,
            article=article,
            file=file,
            line=line,
            date=date,
            fund=fund,
            message=zh,
            message_en=en,
            key="|".join((rule, *key)),
        )

    def text(self, lang: str = "zh") -> str:
        return self.message_en if lang == "en" else self.message

    def sort_key(self) -> tuple[Any, ...]:
        return (self.file or "", self.line or 0, self.rule, self.message)
