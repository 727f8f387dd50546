"""`hzledger check LEDGER...` — LEDGER-SPEC §8."""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path

import click

from hzledger.check import LedgerCheck, check_file
from hzledger.cli import main
from hzledger.cli.common import EXIT_FINDINGS, EXIT_OK, fail, lang_option
from hzledger.findings import Finding, Severity
from hzledger.output import FORMATS, LedgerResult, renderer


def _validate_path(raw: str, lang: str) -> Path:
    path = Path(raw)
    if not path.exists():
        fail(f"找不到账本文件：{raw}", f"no such ledger file: {raw}", lang)
    if path.is_dir():
        hint = path / "main.beancount"
        extra_zh = f"；是否要检查 {hint}？" if hint.exists() else ""
        extra_en = f"; did you mean {hint}?" if hint.exists() else ""
        fail(
            f"{raw} 是目录，请指定组织的顶层账本文件（main.beancount）{extra_zh}",
            f"{raw} is a directory; give the organisation's top-level ledger file{extra_en}",
            lang,
        )
    if not os.access(path, os.R_OK):
        fail(f"无法读取账本文件：{raw}", f"cannot read ledger file: {raw}", lang)
    return path


def _load(raw: str, as_of: datetime.date | None, lang: str) -> LedgerCheck:
    path = _validate_path(raw, lang)
    try:
        return check_file(path, as_of=as_of)
    except (OSError, UnicodeError) as exc:
        fail(f"无法读取账本 {raw}：{exc}", f"cannot read ledger {raw}: {exc}", lang)
    except RecursionError:
        fail(f"账本 {raw} 的 include 嵌套过深", f"ledger {raw} includes too deeply", lang)


def _apply_baseline(findings: list[Finding], baseline: str | None, lang: str) -> list[Finding]:
    if baseline is None:
        return findings
    from hzledger.baseline import load_baseline

    return load_baseline(baseline).new_findings(findings)  # type: ignore[no-any-return]


@main.command("check")
@click.argument("ledgers", nargs=-1, required=True, metavar="LEDGER...")
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
@lang_option
def check_command(
    ledgers: tuple[str, ...],
    fmt: str,
    as_of: datetime.datetime | None,
    strict: bool,
    baseline: str | None,
    lang: str,
) -> None:
    """检查账本是否符合《职工互助保障组织监督管理办法》。

    退出码：0 无错误；1 至少一个错误（--strict 时含警告）；2 无法运行。
    """
    day = as_of.date() if as_of else None
    results: list[LedgerResult] = []
    for raw in ledgers:
        checked = _load(raw, day, lang)
        results.append(
            LedgerResult(
                path=raw,
                check=checked,
                findings=_apply_baseline(checked.findings, baseline, lang),
            )
        )
    output = renderer(fmt)(results, lang=lang)
    if output:
        click.echo(output, color=None if fmt == "text" else False)
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    failed = any(f.severity in failing for r in results for f in r.findings)
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)
