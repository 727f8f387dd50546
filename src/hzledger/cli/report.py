"""`hzledger report KIND LEDGER` and `hzledger rollup LEDGER...` (art. 17, 20, 26, 35)."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path
from typing import Any

import click

from hzledger.cli import main
from hzledger.cli.common import LedgerPath, display_path, fail, fail_on, lang_option
from hzledger.reports import REPORTS, ReportContext
from hzledger.reports.common import ReportError, resolve_period
from hzledger.reports.render import render_html, render_text, render_xlsx
from hzledger.reports.source import LedgerNotFound, ReportLedger, load_ledger

DATE = click.DateTime(formats=["%Y-%m-%d"])


def _emit(report: Any, fmt: str, output: str | None, lang: str) -> None:
    if fmt == "xlsx":
        if not output:
            fail("Excel 格式需要用 -o 指定输出文件，如 -o 报表.xlsx", "xlsx needs -o FILE", lang)
        payload: bytes | str = render_xlsx(report.header, report.tables(), lang)
    elif fmt == "json":
        payload = report.model_dump_json(indent=2) + "\n"
    elif fmt == "html":
        html = getattr(report, "html", None)
        payload = html() if callable(html) else render_html(report.header, report.tables(), lang)
    else:
        payload = render_text(report.header, report.tables(), lang)
    if output:
        target = Path(output)
        try:
            if isinstance(payload, bytes):
                target.write_bytes(payload)
            else:
                target.write_text(payload, encoding="utf-8")
        except OSError as exc:
            fail(
                f"无法写入 {output}：{exc.strerror}", f"cannot write {output}: {exc.strerror}", lang
            )
        click.echo(f"已写入 {output}" if lang != "en" else f"wrote {output}", err=True)
    else:
        assert isinstance(payload, str)  # noqa: S101 (narrows the type; an invariant, not input checking)
        sys.stdout.write(payload)


def _warn_errors(ledger: ReportLedger, lang: str) -> None:
    """Say that the figures rest on a ledger with errors, and show the first few."""
    if not ledger.errors:
        return
    path = ledger.path
    click.echo(
        f"hzledger: 注意：{path} 有 {ledger.errors} 个错误，报表照常生成但数字可能不可靠；"
        f"请运行 hzledger check {path}"
        if lang != "en"
        else f"hzledger: warning: {path} has {ledger.errors} error(s); the report may be unreliable",
        err=True,
    )
    for line in ledger.error_lines(lang):
        click.echo(f"  {line}", err=True)


@main.command("report")
@click.argument("kind", type=click.Choice(list(REPORTS)), metavar="KIND")
@click.argument("ledger", type=LedgerPath())
@click.option("--year", type=int, help="会计年度（1月1日至12月31日）")
@click.option(
    "--from", "date_from", type=DATE, metavar="YYYY-MM-DD", help="起始日期（含），YYYY-MM-DD"
)
@click.option("--to", "date_to", type=DATE, metavar="YYYY-MM-DD", help="截止日期（含），YYYY-MM-DD")
@click.option("--fund", help="只报告一个基金或项目（代码，如 ZY25）")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "xlsx", "html"]),
    default=None,
    help="输出格式（默认 text；submission 只能是 json）",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="输出文件（xlsx 必填）")
@lang_option
def report_command(
    kind: str,
    ledger: str,
    year: int | None,
    date_from: datetime.datetime | None,
    date_to: datetime.datetime | None,
    fund: str | None,
    fmt: str | None,
    output: str | None,
    lang: str,
) -> None:
    """生成报表：funds 基金收支、balance 资产负债、budget 预算执行、solvency 偿付能力、
    statistics 业务统计、disclosure 会员信息公开、submission 向上级报送（第十七、二十、二十六、三十五条）。

    期间默认为账本最后一笔交易所在的年度。
    """
    start = date_from.date() if date_from else None
    end = date_to.date() if date_to else None
    # Argument mistakes are reported before the (slow) load of the ledger.
    if kind == "submission":
        # A submission is read back by `hzledger rollup`: only its JSON form is one.
        if fmt not in (None, "json"):
            fail(
                f"报送文件只能是 JSON 格式（--format json），不能是 {fmt}",
                f"a submission is always JSON (--format json), not {fmt}",
                lang,
            )
        fmt = "json"
    fmt = fmt or "text"
    if fmt == "xlsx" and not output:
        fail("Excel 格式需要用 -o 指定输出文件，如 -o 报表.xlsx", "xlsx needs -o FILE", lang)
    try:
        resolve_period([], year=year, date_from=start, date_to=end)
    except ReportError as exc:
        fail_on(exc, lang)
    try:
        loaded = load_ledger(ledger)
    except LedgerNotFound:
        fail(f"找不到账本文件：{ledger}", f"ledger not found: {ledger}", lang)
    shown = display_path(ledger) or ledger
    loaded.path = shown
    if loaded.errors and not loaded.entries:
        for line in loaded.error_lines(lang):
            click.echo(f"hzledger: {line}", err=True)
        fail(
            f"账本 {shown} 无法读取，没有生成报表（请先运行 hzledger check {shown}）",
            f"ledger {shown} could not be read; no report written",
            lang,
        )
    try:
        period = resolve_period(loaded.entries, year=year, date_from=start, date_to=end)
        ctx = ReportContext(loaded, period, fund)
    except ReportError as exc:
        fail_on(exc, lang)
    _warn_errors(loaded, lang)
    from hzledger.reports.submission import year_warning

    if year is not None and (warning := year_warning(loaded, period)):
        click.echo(
            f"hzledger: 注意：{warning}" if lang != "en" else f"hzledger: warning: {warning}",
            err=True,
        )
    _emit(REPORTS[kind](ctx), fmt, output, lang)


@main.command("rollup")
@click.argument("inputs", nargs=-1, required=True, type=LedgerPath())
@click.option("--year", type=int, help="会计年度；默认各账本最后一笔交易所在年度")
@click.option("--title", help="汇总单位名称（默认取最上级组织名称）")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "xlsx"]),
    default="text",
    show_default=True,
    help="输出格式",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="输出文件（xlsx 必填）")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="并行进程数（默认 CPU 核数）")
@lang_option
def rollup_command(
    inputs: tuple[str, ...],
    year: int | None,
    title: str | None,
    fmt: str,
    output: str | None,
    jobs: int | None,
    lang: str,
) -> None:
    """汇总多个组织的统计、收支与偿付能力（第三十五条：逐级汇总上报）。

    输入可以是账本（main.beancount）或报送文件（hzledger report submission 或上一级汇总的 JSON），
    可以混用。按 hz-org 的 parent 逐级排列：上级组织一行、其下级各一行、小计；末行合计。
    同一组织重复、输入缺失或无法读取、报送与同时给出的账本不一致时以 2 退出。
    """
    from hzledger.reports.rollup import RollupError, rollup

    if year is not None and not 1900 <= year <= 9999:
        fail(f"年度 {year} 不合理", f"year {year} is out of range", lang)
    if fmt == "xlsx" and not output:
        fail("Excel 格式需要用 -o 指定输出文件，如 -o 汇总.xlsx", "xlsx needs -o FILE", lang)
    paths = [display_path(p) or p for p in inputs]
    try:
        result = rollup(paths, year, jobs=jobs, title=title)
    except RollupError as exc:
        fail_on(exc, lang)
    for warning in result.warnings:
        click.echo(
            f"hzledger: 注意：{warning}" if lang != "en" else f"hzledger: warning: {warning}",
            err=True,
        )
    for row in result.rows:
        if row.row == "org" and row.status == "errors":
            click.echo(
                f"hzledger: 注意：{row.source} 有 {row.errors} 个错误，已列入汇总并标注"
                if lang != "en"
                else f"hzledger: warning: {row.source} has {row.errors} error(s); included and marked",
                err=True,
            )
    _emit(result, fmt, output, lang)
