"""`hzledger history LEDGER`: when each finding appeared and when it was fixed (art. 36)."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import click

from hzledger.cli import main
from hzledger.cli.common import display_path, fail, fail_on, lang_option


@main.command("history")
@click.argument("ledger")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="只看此日期（含）以来的提交 / only commits since this date",
)
@click.option(
    "--max-commits",
    type=click.IntRange(1, 100_000),
    default=200,
    show_default=True,
    help="最多检查的提交数（从最新往前）/ at most this many commits, newest first",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="输出格式 / output format",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 64),
    default=min(2, os.cpu_count() or 1),
    show_default="min(2, CPU 数)",
    help="并行检查未缓存提交的进程数 / worker processes for uncached commits",
)
@click.option(
    "--no-cache",
    is_flag=True,
    envvar="HZLEDGER_NO_CACHE",
    help="不读写结果缓存 / neither read nor write the results cache",
)
@lang_option
def history_command(
    ledger: str,
    since: datetime.datetime | None,
    max_commits: int,
    fmt: str,
    jobs: int,
    no_cache: bool,
    lang: str,
) -> None:
    """整改跟踪：逐个提交检查账本，列出现有问题由哪次提交引入、已存在多久，以及窗口内已整改的问题。

    账本须在 git 仓库中；只看主线（--first-parent）上改动了组织目录的提交。退出码：0 成功（有问题也是 0）；2 无法运行
    （文件不存在、不在 git 仓库中、git 出错）。
    """
    from hzledger.gitrepo import GitError
    from hzledger.history import build_history
    from hzledger.history_text import render_text

    path = Path(ledger)
    if not path.is_file():
        what = "是目录，请指定 main.beancount" if path.is_dir() else "不存在"
        what_en = "is a directory; give main.beancount" if path.is_dir() else "does not exist"
        fail(f"账本文件 {ledger} {what}", f"ledger file {ledger} {what_en}", lang)
    try:
        history = build_history(
            path,
            since=since.date() if since else None,
            max_commits=max_commits,
            use_cache=not no_cache,
            jobs=jobs,
        )
    except GitError as exc:
        fail_on(exc, lang)
    history.ledger = display_path(ledger) or ledger
    if fmt == "json":
        click.echo(history.model_dump_json(indent=2))
    else:
        click.echo(render_text(history, lang))
