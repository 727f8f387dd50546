"""`hzledger import vouchers|bank`: books and bank statements into an organisation's ledger.

Both are dry runs unless `--write`: they print the entries and the findings `hzledger check`
would give on the result. `--write` appends atomically and never changes an existing line.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import click

from hzledger.cli import main
from hzledger.cli.common import EXIT_FINDINGS, EXIT_OK, fail, lang_option
from hzledger.cli.export import refuse
from hzledger.exchange import ExchangeError

_DATE = click.DateTime(formats=["%Y-%m-%d"])


@main.group("import")
def import_group() -> None:
    """导入序时账（迁移）和银行对账单（日常记账）；默认只预演，--write 才写入。"""


def _finish(plan, mapping, write: bool, lang: str, quiet: bool) -> None:  # type: ignore[no-untyped-def]
    from hzledger.exchange.writer import batch_for, commit, dry_run, render_entries
    from hzledger.output import renderer
    from hzledger.paths import display_path

    en = lang == "en"
    if not quiet:
        for rel, entries in plan.appended.items():
            click.echo(f"; ==== {display_path(plan.root / rel)} ====")
            click.echo(render_entries(entries))
    result = dry_run(plan, mapping)
    txns = len(plan.transactions)
    summary = (
        f"{txns} transaction(s), {plan.declarations} declaration(s) to add; "
        f"{plan.duplicates} already in the ledger skipped"
        if en
        else f"新增 {txns} 笔交易、{plan.declarations} 条声明或断言；已在账中的 {plan.duplicates} 笔跳过"
    )
    click.echo(summary, err=True)
    main_path = display_path(plan.root / "main.beancount") or str(plan.root / "main.beancount")
    ledger = result.check.result(main_path).model_copy(update={"findings": result.findings})
    click.echo(
        "导入后 hzledger check 的结果：" if not en else "hzledger check on the result:", err=True
    )
    click.echo(renderer("text")([ledger], lang=lang))
    if write:
        if not plan.appended:
            click.echo("没有需要写入的内容" if not en else "nothing to write", err=True)
        else:
            written = commit(batch_for(plan, plan.root, mapping))
            click.echo(
                f"已写入 {len(written)} 个文件："
                + "、".join(display_path(p) or str(p) for p in written)
                if not en
                else f"wrote {len(written)} file(s)",
                err=True,
            )
    else:
        click.echo(
            "这是预演，没有写入任何文件；确认无误后加 --write"
            if not en
            else "dry run: nothing written; add --write",
            err=True,
        )
    raise SystemExit(EXIT_FINDINGS if ledger.errors else EXIT_OK)


@import_group.command("vouchers")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option(
    "--mapping",
    "mapping_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="映射文件（export mapping 生成的格式）",
)
@click.option(
    "--into",
    required=True,
    type=click.Path(file_okay=False),
    help="组织目录：不存在则新建，已存在则只补其所缺",
)
@click.option(
    "--opening", type=click.Path(dir_okay=False), help="期初余额：科目余额表（.xlsx/.xls/.csv）"
)
@click.option(
    "--opening-date",
    type=_DATE,
    metavar="YYYY-MM-DD",
    help="期初余额日期（默认读科目余额表的“截止日期”）",
)
@click.option("--write", is_flag=True, help="写入（默认只预演）")
@click.option("-q", "--quiet", is_flag=True, help="不打印条目，只打印汇总和检查结果")
@lang_option
def vouchers_command(
    files: tuple[str, ...],
    mapping_path: str,
    into: str,
    opening: str | None,
    opening_date: datetime.datetime | None,
    write: bool,
    quiet: bool,
    lang: str,
) -> None:
    """导入序时账（用友、金蝶或 hzledger export journal 的 Excel/CSV），按凭证号成笔，借贷不平衡或科目编码未映射的一律拒绝。"""
    from hzledger.exchange.vouchers import plan_vouchers

    if not files and not opening:
        fail(
            "请给出序时账文件，或用 --opening 给出科目余额表（只建期初余额）",
            "give journal files, or --opening with a trial balance",
            lang,
        )
    try:
        plan, mapping = plan_vouchers(
            [Path(f) for f in files],
            Path(mapping_path),
            Path(into),
            opening=Path(opening) if opening else None,
            opening_date=opening_date.date() if opening_date else None,
        )
        _finish(plan, mapping, write, lang, quiet)
    except ExchangeError as exc:
        refuse(exc, lang)
    except OSError as exc:
        fail(f"无法读写文件：{exc}", f"cannot read or write a file: {exc}", lang)


@import_group.command("bank")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--config",
    "config_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="对账单格式配置（TOML）",
)
@click.option("--into", required=True, type=click.Path(file_okay=False), help="组织目录（已建账）")
@click.option("--write", is_flag=True, help="写入（默认只预演）")
@click.option("-q", "--quiet", is_flag=True, help="不打印条目，只打印汇总和检查结果")
@lang_option
def bank_command(
    file: str, config_path: str, into: str, write: bool, quiet: bool, lang: str
) -> None:
    """导入银行对账单（.xlsx/.xls/.csv，GBK 亦可）：每行一笔交易，对方科目按规则、按本组织账目预测（smart_importer）
    或用备用科目；期末余额成为 balance 断言；重复导入不会重复记账。
    """
    from hzledger.exchange.vouchers import plan_bank

    try:
        plan, result = plan_bank(Path(file), Path(config_path), Path(into))
        for note in result.rejected:
            click.echo(f"hzledger: {note}", err=True)
        click.echo(
            f"对方科目：规则 {result.by_rule} 笔，预测 {result.predicted} 笔，备用科目 {result.fallback} 笔"
            if lang != "en"
            else f"counter accounts: {result.by_rule} by rule, {result.predicted} predicted, "
            f"{result.fallback} fallback",
            err=True,
        )
        _finish(plan, None, write, lang, quiet)
    except ExchangeError as exc:
        refuse(exc, lang)
    except OSError as exc:
        fail(f"无法读写文件：{exc}", f"cannot read or write a file: {exc}", lang)
