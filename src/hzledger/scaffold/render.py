"""Jinja2 rendering of the scaffold templates (package data under `scaffold/templates`)."""

from __future__ import annotations

import json
import shlex
from functools import cache
from typing import Any

import jinja2

from hzledger.scaffold import ScaffoldError

# Characters a Beancount string cannot carry safely in a one-line directive.
_BAD_CHARS = ('"', "\\", "\n", "\r", "\t")


def check_text(value: str, what_zh: str, what_en: str) -> str:
    """A value bound for a Beancount string: non-empty, one line, no quotes or backslashes."""
    text = value.strip()
    if not text:
        raise ScaffoldError(f"{what_zh}不能为空", f"{what_en} must not be empty")
    if any(ch in text for ch in _BAD_CHARS):
        raise ScaffoldError(
            f"{what_zh}不能包含英文双引号、反斜杠或换行：{text!r}",
            f"{what_en} must not contain double quotes, backslashes or newlines: {text!r}",
        )
    return text


def bstr(value: object) -> str:
    text = str(value)
    if any(ch in text for ch in _BAD_CHARS):  # validated earlier; this is the last guard
        raise ValueError(f"unsafe Beancount string: {text!r}")
    return f'"{text}"'


def yaml_scalar(value: object) -> str:
    """A YAML double-quoted scalar (JSON string syntax, which YAML reads the same way).

    Whatever the text holds, it stays one value: no `#`, `:` or newline can start new YAML.
    """
    return json.dumps(str(value), ensure_ascii=False)


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("hzledger", "scaffold/templates"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # noqa: S701 (Beancount, YAML and Markdown, never HTML)
    )
    env.filters["bstr"] = bstr
    env.filters["yaml"] = yaml_scalar
    env.filters["shq"] = lambda value: shlex.quote(str(value))
    return env


def render(template: str, **context: Any) -> str:
    return _env().get_template(template).render(**context)
