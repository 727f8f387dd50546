"""`hzledger baseline FILE LEDGER...`: record a legacy ledger's findings as accepted."""

from __future__ import annotations

import datetime
from collections import Counter
from pathlib import Path

import click

from hzledger.cli import main
from hzledger.cli.common import LedgerPath, display_path, fail, lang_option
from hzledger.findings import Finding


@main.command("baseline")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("ledgers", nargs=-1, required=True, metavar="LEDGER...", type=LedgerPath())
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="按此日期判断审计期限（与 check 的 --as-of 一致）",
)
@lang_option
def baseline_command(
    file: Path, ledgers: tuple[str, ...], as_of: datetime.datetime | None, lang: str
) -> None:
    """把账本现有的问题写入基线 FILE；之后 `hzledger check --baseline FILE` 只拦截新问题。"""
    from hzledger.baseline import write_baseline
    from hzledger.cli.check import check_ledger

    day = as_of.date() if as_of else None
    findings: list[Finding] = []
    for raw in ledgers:
        findings.extend(check_ledger(raw, day, lang).findings)
    if not file.parent.is_dir():
        fail(f"目录不存在：{file.parent}", f"no such directory: {file.parent}", lang)
    try:
        total = write_baseline(file, findings)
    except OSError as exc:
        fail(f"无法写入基线 {file}：{exc}", f"cannot write baseline {file}: {exc}", lang)
    by_rule = Counter(f.rule for f in findings)
    summary = "，".join(f"{rule} {n}" for rule, n in sorted(by_rule.items()))
    if lang == "en":
        click.echo(f"wrote {display_path(file)}: {total} finding(s) accepted ({summary or 'none'})")
    else:
        click.echo(f"已写入基线 {display_path(file)}：接受 {total} 个已有问题（{summary or '无'}）")
