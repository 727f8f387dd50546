"""Bilingual message helper: rules write Chinese first, English beside it."""

from __future__ import annotations

import errno
import re
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, Self

from pydantic import ValidationError

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


# pydantic's error types, said for a user who edits a TOML/JSON file (Chinese, English).
_PYDANTIC_ZH: dict[str, tuple[str, str]] = {
    "missing": ("缺少必填项", "is required"),
    "extra_forbidden": ("不认识的键（拼写错误？）", "is not a known key (a typo?)"),
    "string_type": ("应为文本", "should be text"),
    "int_type": ("应为整数", "should be an integer"),
    "int_parsing": ("应为整数", "should be an integer"),
    "int_from_float": ("应为整数", "should be an integer"),
    "float_type": ("应为数字", "should be a number"),
    "float_parsing": ("应为数字", "should be a number"),
    "decimal_type": ("应为数字", "should be a number"),
    "decimal_parsing": ("应为数字", "should be a number"),
    "bool_type": ("应为 true 或 false", "should be true or false"),
    "bool_parsing": ("应为 true 或 false", "should be true or false"),
    "list_type": ("应为列表", "should be a list"),
    "dict_type": ("应为表（键值对）", "should be a table"),
    "model_type": ("应为表（键值对）", "should be a table"),
    "model_attributes_type": ("应为表（键值对）", "should be a table"),
    "date_type": ("应为日期 YYYY-MM-DD", "should be a date YYYY-MM-DD"),
    "date_parsing": ("应为日期 YYYY-MM-DD", "should be a date YYYY-MM-DD"),
    "date_from_datetime_parsing": ("应为日期 YYYY-MM-DD", "should be a date YYYY-MM-DD"),
    "string_pattern_mismatch": ("格式不对", "has the wrong form"),
    "greater_than": ("太小", "is too small"),
    "greater_than_equal": ("太小", "is too small"),
    "less_than": ("太大", "is too large"),
    "less_than_equal": ("太大", "is too large"),
}


def _where(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _one_error(err: Mapping[str, Any]) -> tuple[str, str]:
    kind = str(err.get("type", ""))
    ctx = err.get("ctx") or {}
    msg = str(err.get("msg", ""))
    if kind in ("value_error", "assertion_error"):
        # Our own validators already say it in both languages: "中文 / English".
        text = msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")
        parts = re.split(r"\s*/\s+", text, maxsplit=1)
        return parts[0], (parts[1] if len(parts) == 2 else text)
    if kind in ("too_short", "string_too_short"):
        if ctx.get("min_length") == 1:
            return "不能为空", "must not be empty"
        return (
            f"太短（至少 {ctx.get('min_length')}）",
            f"is too short (at least {ctx.get('min_length')})",
        )
    if kind in ("too_long", "string_too_long"):
        return (
            f"太长（至多 {ctx.get('max_length')}）",
            f"is too long (at most {ctx.get('max_length')})",
        )
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", ""))
        return f"只能是 {expected.replace(' or ', ' 或 ')}", f"must be {expected}"
    if kind in _PYDANTIC_ZH:
        return _PYDANTIC_ZH[kind]
    # Anything else still names where it is, with pydantic's own (English) words.
    return f"取值无效（{msg}）", msg


def validation_message(exc: ValidationError, limit: int = 3) -> Msg:
    """Pydantic's errors as one short line each language: the first `limit`, where and what.

    pydantic's own text is English, spans lines and ends in a URL; users of a Chinese
    program are told in Chinese which key of their file is wrong and how.
    """
    errors = exc.errors()
    zh_parts = []
    en_parts = []
    for err in errors[:limit]:
        where = _where(tuple(err.get("loc", ())))
        zh, en = _one_error(err)
        zh_parts.append(f"{where}：{zh}" if where else zh)
        en_parts.append(f"{where}: {en}" if where else en)
    more = len(errors) - limit
    zh_text = "；".join(zh_parts) + (f"（另有 {more} 处）" if more > 0 else "")
    en_text = "; ".join(en_parts) + (f" (and {more} more)" if more > 0 else "")
    return Msg(zh_text, en_text)


_ERRNO_ZH = {
    errno.ENOENT: "没有该文件或目录",
    errno.ENOTDIR: "路径中有一部分不是目录",
    errno.EISDIR: "这是一个目录",
    errno.EACCES: "权限不足",
    errno.EPERM: "不允许的操作（权限不足）",
    errno.EROFS: "文件系统只读",
    errno.ENOSPC: "磁盘空间不足",
    errno.EEXIST: "文件已存在",
    errno.EADDRINUSE: "端口已被占用",
    errno.EADDRNOTAVAIL: "无法使用该主机地址（不是本机地址）",
    errno.ECONNREFUSED: "连接被拒绝",
}


def os_error_message(exc: BaseException) -> Msg:
    """An OS or network error as one line: a Chinese description, the system's English kept."""
    en = getattr(exc, "strerror", None) or str(exc)
    if isinstance(exc, socket.gaierror):
        return Msg("无法解析或使用该主机地址", en)
    code = getattr(exc, "errno", None)
    if isinstance(code, int) and code in _ERRNO_ZH:
        return Msg(_ERRNO_ZH[code], en)
    if isinstance(exc, ValueError) and "host" in en.lower():
        # waitress says "Invalid host/port specified." when getaddrinfo finds nothing.
        return Msg("无法解析或使用该主机地址或端口", en)
    return Msg(f"系统错误（{en}）", en)
