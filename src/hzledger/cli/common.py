"""Shared CLI plumbing: the `--lang` option and clean, bilingual failures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

import click

from hzledger.messages import Bilingual
from hzledger.paths import display_path

__all__ = ["display_path", "fail", "lang_option"]

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


def lang_option(func: F) -> F:
    return click.option(
        "--lang",
        type=click.Choice(["zh", "en"]),
        default="zh",
        envvar="HZLEDGER_LANG",
        show_default=True,
        help="消息语言 / message language",
    )(func)


def fail(zh: str, en: str, lang: str = "zh", code: int = EXIT_USAGE) -> NoReturn:
    """Print a clear error (no traceback) and exit with the spec's 'could not run' status."""
    click.echo(f"hzledger: {en if lang == 'en' else zh}", err=True)
    raise SystemExit(code)


def fail_on(error: Bilingual, lang: str = "zh", code: int = EXIT_USAGE) -> NoReturn:
    """`fail` with what a bilingual error says."""
    fail(error.zh, error.en, lang, code)
