"""Bilingual message helper: rules write Chinese first, English beside it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Self

from hzledger.findings import article_zh


@dataclass(frozen=True, slots=True)
class Msg:
    """A message in Chinese with its English twin."""

    zh: str
    en: str

    def text(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


class Bilingual(Protocol):
    """Anything that says what went wrong in both languages (errors of every layer)."""

    @property
    def zh(self) -> str: ...
    @property
    def en(self) -> str: ...


class BilingualError(Exception):
    """Base of hzledger's errors for users: a `Msg`, Chinese first; `str()` is the Chinese."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh)
        self.msg = Msg(zh, en)

    @classmethod
    def citing(cls, article: int, zh: str, en: str) -> Self:
        """A refusal because the regulation forbids it: the message cites `article`."""
        msg = violation(article, zh, en)
        return cls(msg.zh, msg.en)

    @property
    def zh(self) -> str:
        return self.msg.zh

    @property
    def en(self) -> str:
        return self.msg.en

    def text(self, lang: str = "zh") -> str:
        return self.msg.text(lang)


def violation(article: int | None, zh: str, en: str) -> Msg:
    """Prefix the article citation the users expect: `违反第二十八条：…`."""
    if article is None:
        return Msg(zh, en)
    return Msg(f"违反{article_zh(article)}：{zh}", f"Article {article} violated: {en}")


def money(number: object, currency: str) -> str:
    """Money for messages: thousands separators, two decimals where the number has them."""
    from decimal import Decimal

    if isinstance(number, Decimal):
        exp = number.as_tuple().exponent
        places = max(2, -exp) if isinstance(exp, int) and exp < 0 else 2
        return f"{number:,.{places}f} {currency}"
    return f"{number} {currency}"
