"""Shared CLI plumbing: the `--lang` option, clean bilingual failures, ledger arguments."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from hzledger.cli import click_zh
from hzledger.messages import Bilingual, BilingualError
from hzledger.paths import display_path

__all__ = ["LedgerPath", "display_path", "fail", "lang_option", "resolve_ledger"]

MAIN_FILE = "main.beancount"

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


class LedgerDirError(BilingualError):
    """A folder given where a ledger is expected, with no `main.beancount` in it."""


def resolve_ledger(raw: str) -> str:
    """A ledger argument as every command reads it: an organisation's folder means its
    `main.beancount` (as `hzledger serve` reads it); anything else is returned unchanged, so each
    command still reports a missing file in its own way (rollup lists it as unreadable).
    """
    path = Path(raw)
    if not path.is_dir():
        return raw
    main = path / MAIN_FILE
    if main.is_file():
        return str(main)
    orgs = sorted(str(p) for p in path.glob(f"*/{MAIN_FILE}"))
    listed = "、".join(orgs[:5]) + ("…" if len(orgs) > 5 else "")
    raise LedgerDirError(
        f"{raw} 是目录，其中没有 {MAIN_FILE}"
        + (f"；其下的组织账本：{listed}" if orgs else "；请指定组织的顶层账本文件"),
        f"{raw} is a directory without {MAIN_FILE}"
        + (f"; organisations below it: {', '.join(orgs[:5])}" if orgs else ""),
    )


class LedgerPath(click.ParamType[str, object]):
    """A click argument type for ledgers: a file, or an organisation's folder (its main.beancount)."""

    name = "ledger"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return resolve_ledger(str(value))
        except LedgerDirError as exc:
            self.fail(exc.text(click_zh.current()), param, ctx)
