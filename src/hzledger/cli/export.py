"""`hzledger export journal|trial-balance|mapping` (art. 21: vouchers, books and reports for
auditors; and the files `hzledger import vouchers` reads back).
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import NoReturn

import click

from hzledger.cli import main
from hzledger.cli.common import LedgerPath, fail, lang_option
from hzledger.exchange import ExchangeError

_DATE = click.DateTime(formats=["%Y-%m-%d"])


def refuse(exc: ExchangeError, lang: str) -> NoReturn:
    lines = exc.text(lang).splitlines()
    for line in lines[:-1]:
        click.echo(f"hzledger: {line}", err=True)
    fail(lines[-1], lines[-1], lang)


@main.group("export")
def export_group() -> None:
    """导出序时账、科目余额表和映射文件（第二十一条：向审计提供凭证、账簿和报表）。"""


def _load(ledger: str, lang: str):  # type: ignore[no-untyped-def]
    from hzledger.exchange.export import load_source

    try:
        source = load_source(Path(ledger))
    except ExchangeError as exc:
        refuse(exc, lang)
    except OSError as exc:
        fail(f"无法读写文件：{exc}", f"cannot read or write a file: {exc}", lang)
    if source.checked.errors:
        click.echo(
            f"hzledger: 注意：{ledger} 有 {source.checked.errors} 个错误（hzledger check 可见），照常导出"
            if lang != "en"
            else f"hzledger: warning: {ledger} has {source.checked.errors} error(s); exported anyway",
            err=True,
        )
    return source


def _done(out: str, what: str, lang: str) -> None:
    click.echo(f"已写入 {out}（{what}）" if lang != "en" else f"wrote {out} ({what})", err=True)


@export_group.command("journal")
@click.argument("ledger", type=LedgerPath())
@click.option("--year", type=int, required=True, help="会计年度")
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="输出 .xlsx 文件"
)
@lang_option
def journal_command(ledger: str, year: int, output: str, lang: str) -> None:
    """序时账：每条分录一行，每笔交易一个凭证号（记-0001，按月编号）。"""
    from hzledger.exchange.export import write_journal
    from hzledger.reports.common import Period
    from hzledger.reports.submission import period_warning

    source = _load(ledger, lang)
    # The same check as `hzledger report --year`: a year outside the ledger exports nothing.
    if warning := period_warning(source.checked.entries, Period.year(year)):
        click.echo(
            f"hzledger: 注意：{warning}" if lang != "en" else f"hzledger: warning: {warning}",
            err=True,
        )
    try:
        count = write_journal(source, year, Path(output))
    except ExchangeError as exc:
        refuse(exc, lang)
    except OSError as exc:
        fail(f"无法读写文件：{exc}", f"cannot read or write a file: {exc}", lang)
    _done(output, f"{year} 年 {count} 张凭证" if lang != "en" else f"{count} vouchers", lang)


@export_group.command("trial-balance")
@click.argument("ledger", type=LedgerPath())
@click.option("--as-of", "as_of", type=_DATE, required=True, metavar="YYYY-MM-DD", help="截止日期")
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="输出 .xlsx 文件"
)
@lang_option
def trial_command(ledger: str, as_of: datetime.datetime, output: str, lang: str) -> None:
    """科目余额表：各科目期初余额、本期借方、本期贷方、期末余额，按基金小计并合计。"""
    from hzledger.exchange.export import write_trial_balance

    source = _load(ledger, lang)
    try:
        count = write_trial_balance(source, as_of.date(), Path(output))
    except ExchangeError as exc:
        refuse(exc, lang)
    except OSError as exc:
        fail(f"无法读写文件：{exc}", f"cannot read or write a file: {exc}", lang)
    _done(output, f"{count} 个科目" if lang != "en" else f"{count} accounts", lang)


@export_group.command("mapping")
@click.argument("ledger", type=LedgerPath())
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="输出 .toml 文件"
)
@lang_option
def mapping_command(ledger: str, output: str, lang: str) -> None:
    """映射文件：科目表（科目编码 + 辅助核算 → 账户、kind、role、开户日期）和全部声明。"""
    from hzledger.exchange.export import write_mapping

    source = _load(ledger, lang)
    try:
        mapping = write_mapping(source, Path(output))
    except ExchangeError as exc:
        refuse(exc, lang)
    except OSError as exc:
        fail(f"无法读写文件：{exc}", f"cannot read or write a file: {exc}", lang)
    _done(
        output,
        f"{len(mapping.accounts)} 个科目，{len(mapping.funds)} 个基金/项目"
        if lang != "en"
        else f"{len(mapping.accounts)} accounts",
        lang,
    )
