"""`hzledger check LEDGER...` — LEDGER-SPEC §8."""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path

import click

from hzledger.cache import ResultCache
from hzledger.cli import main
from hzledger.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    LedgerDirError,
    LedgerPath,
    fail,
    fail_on,
    lang_option,
    resolve_ledger,
)
from hzledger.findings import Finding, Severity
from hzledger.output import FORMATS, renderer
from hzledger.result import CheckResult


def _validate_path(raw: str, lang: str) -> Path:
    try:
        path = Path(resolve_ledger(raw))  # an organisation's folder: its main.beancount
    except LedgerDirError as exc:
        fail_on(exc, lang)
    if not path.exists():
        fail(f"找不到账本文件：{raw}", f"no such ledger file: {raw}", lang)
    if not path.is_file():
        # A FIFO or /dev/zero would make Beancount's reader block or never end.
        fail(f"{raw} 不是普通文件", f"{raw} is not a regular file", lang)
    if not os.access(path, os.R_OK):
        fail(f"无法读取账本文件：{raw}", f"cannot read ledger file: {raw}", lang)
    return path


def check_ledger(
    raw: str, as_of: datetime.date | None, lang: str, *, use_cache: bool = True
) -> CheckResult:
    """One ledger's results, from the results cache when nothing that decides them changed.

    Exits with status 2 and a clear message when the ledger can't be read at all.
    """
    path = _validate_path(raw, lang)
    store = ResultCache(path, as_of) if use_cache else None
    if store is not None:
        hit = store.get()
        if hit is not None:
            return hit
    from hzledger.check import check_file  # Beancount and the rules: not needed on a cache hit

    try:
        checked = check_file(path, as_of=as_of)
    except (OSError, UnicodeError) as exc:
        fail(f"无法读取账本 {raw}：{exc}", f"cannot read ledger {raw}: {exc}", lang)
    except RecursionError:
        fail(f"账本 {raw} 的 include 嵌套过深", f"ledger {raw} includes too deeply", lang)
    result = checked.result()
    if store is not None:
        store.put(result)
    return result


def ledger_result(raw: str, summary: CheckResult, findings: list[Finding]) -> CheckResult:
    """The result as reported: named as the user gave it, with what the baseline left."""
    return summary.model_copy(update={"path": raw, "findings": findings})


def apply_baseline(
    summaries: list[CheckResult], baseline: str | None, lang: str
) -> list[list[Finding]]:
    """Per ledger, the findings the baseline doesn't account for.

    One baseline serves the whole run, so its counts are shared across ledgers,
    as `hzledger baseline FILE LEDGER...` wrote them.
    """
    if baseline is None:
        return [s.findings for s in summaries]
    from hzledger.baseline import BaselineError, load_baseline

    try:
        accepted = load_baseline(baseline)
    except BaselineError as exc:
        fail_on(exc, lang)
    new = {id(f) for f in accepted.new_findings([f for s in summaries for f in s.findings])}
    return [[f for f in s.findings if id(f) in new] for s in summaries]


@main.command("check")
@click.argument("ledgers", nargs=-1, required=True, metavar="LEDGER...", type=LedgerPath())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="输出格式 / output format",
)
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="按此日期判断审计期限（默认：账本最后一笔记录的日期）",
)
@click.option("--strict", is_flag=True, help="有警告也以 1 退出 / warnings fail too")
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False),
    default=None,
    help="只报告基线之外的新问题 / report only findings not in this baseline",
)
@click.option(
    "--no-cache",
    is_flag=True,
    envvar="HZLEDGER_NO_CACHE",
    help="不读写结果缓存 / neither read nor write the results cache",
)
@lang_option
def check_command(
    ledgers: tuple[str, ...],
    fmt: str,
    as_of: datetime.datetime | None,
    strict: bool,
    baseline: str | None,
    no_cache: bool,
    lang: str,
) -> None:
    """检查账本是否符合《职工互助保障组织监督管理办法》。

    退出码：0 无错误；1 至少一个错误（--strict 时含警告）；2 无法运行。
    """
    day = as_of.date() if as_of else None
    summaries = [check_ledger(raw, day, lang, use_cache=not no_cache) for raw in ledgers]
    failed = print_results(
        list(ledgers), summaries, baseline=baseline, fmt=fmt, lang=lang, strict=strict
    )
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)


def print_results(
    paths: list[str],
    summaries: list[CheckResult],
    *,
    baseline: str | None,
    fmt: str,
    lang: str,
    strict: bool,
) -> bool:
    """Print the results in `fmt`; True when they should fail the run."""
    results = [
        ledger_result(raw, summary, findings)
        for raw, summary, findings in zip(
            paths, summaries, apply_baseline(summaries, baseline, lang), strict=True
        )
    ]
    output = renderer(fmt)(results, lang=lang)
    if output:
        click.echo(output, color=None if fmt == "text" else False)
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return any(f.severity in failing for r in results for f in r.findings)
