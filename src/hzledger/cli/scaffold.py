"""`hzledger init`, `hzledger new-project` and `hzledger precommit`: the accountants' workflow."""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path

import click

from hzledger.cli import main
from hzledger.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    LedgerPath,
    display_path,
    fail,
    fail_on,
    lang_option,
)
from hzledger.scaffold import ScaffoldError

_DATE = click.DateTime(formats=["%Y-%m-%d"])


def _day(value: datetime.datetime | None) -> datetime.date | None:
    return value.date() if value else None


@main.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", required=True, help="组织名称，如 示例市职工互助保障会")
@click.option(
    "--level",
    type=click.Choice(["city", "province"]),
    default="city",
    show_default=True,
    help="市级或省级（第三十七条）",
)
@click.option("--parent", default=None, help="上级（主管）工会，如 示例省总工会")
@click.option("--fund-code", default="ZH", show_default=True, help="综合基金代码")
@click.option("--fund-name", default="综合管理基金", show_default=True, help="综合基金名称")
@click.option("--date", "start", type=_DATE, default=None, help="建账日期（默认：今年1月1日）")
@click.option(
    "--source",
    "source",
    metavar="SPEC",
    default=None,
    help="钩子与 CI 安装的 hzledger（pip 安装要求）：hzledger @ git+https://…@v0.2.0、wheel 路径或网址、"
    "hzledger==X、源码目录；默认为当前 hzledger 的安装来源（PEP 610），无记录时为 hzledger==本版本",
)
@click.option(
    "--hook",
    type=click.Choice(["auto", "python", "pypi", "system", "git"]),
    default="auto",
    show_default=True,
    help="提交前检查的形式：python=pre-commit 独立环境安装 SPEC；git=引用 hzledger 仓库的 "
    ".pre-commit-hooks.yaml（repo:/rev:）；system=本机 hzledger；auto=SPEC 为 git 地址时 git，否则 python"
    "（pypi 为 python 的旧名）",
)
@click.option(
    "--hook-repo", default=None, help="hzledger 仓库地址（与 --hook-rev 一起，即 git 形式）"
)
@click.option("--hook-rev", default=None, help="hzledger 仓库的版本标签或提交")
@click.option("--git/--no-git", "use_git", default=True, show_default=True, help="执行 git init")
@lang_option
def init_command(
    directory: Path,
    title: str,
    level: str,
    parent: str | None,
    fund_code: str,
    fund_name: str,
    start: datetime.datetime | None,
    source: str | None,
    hook: str,
    hook_repo: str | None,
    hook_rev: str | None,
    use_git: bool,
    lang: str,
) -> None:
    """新建组织账本仓库：总账本、标准科目表、决策与审计登记、提交前检查和 CI 配置。"""
    from hzledger.scaffold.init import InitOptions, git_init, init_org, resolve_source

    day = _day(start) or datetime.date(datetime.date.today().year, 1, 1)
    opts = InitOptions(
        title=title,
        date=day,
        level=level,  # type: ignore[arg-type]
        parent=parent,
        fund_code=fund_code,
        fund_name=fund_name,
        hook=hook,  # type: ignore[arg-type]
        hook_repo=hook_repo,
        hook_rev=hook_rev,
        source=source,
    )
    try:
        written = init_org(directory, opts)
        chosen, hook_form = resolve_source(opts)
    except ScaffoldError as exc:
        fail_on(exc, lang)
    except OSError as exc:
        fail(f"无法写入 {directory}：{exc}", f"cannot write {directory}: {exc}", lang)
    en = lang == "en"
    for path in written:
        click.echo(f"  {'created' if en else '已创建'}  {display_path(path)}")
    click.echo(
        f"hook ({hook_form}) and CI install: {chosen.requirement}  ({chosen.note('en')})"
        if en
        else f"提交前检查（{hook_form}）与 CI 安装：{chosen.requirement}（{chosen.note()}）"
    )
    hook_dir = directory
    if use_git:
        root = git_init(directory)
        if root is None:
            click.echo(
                "git init failed or git is missing; run `git init` yourself"
                if en
                else "未能执行 git init（或未安装 git），请自行初始化仓库"
            )
        elif root.resolve() != directory.resolve():
            # Hooks and CI files only work at the top of a repository.
            click.echo(
                f"note: {display_path(directory)} is inside the git repository {root}; "
                ".pre-commit-config.yaml and the CI files take effect only at its root"
                if en
                else f"提示：{display_path(directory)} 位于已有 git 仓库 {root} 之内；"
                ".pre-commit-config.yaml 与 CI 配置只在仓库根目录生效，请合并到根目录的配置中"
            )
            hook_dir = root
    ledger = display_path(directory / "main.beancount")
    click.echo(
        f"\nNext: hzledger check {ledger}; then `pre-commit install` inside {display_path(hook_dir)}"
        if en
        else f"\n下一步：hzledger check {ledger}；在 {display_path(hook_dir)} 中执行 pre-commit install"
    )


@main.command("new-project")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.argument("code")
@click.option("--name", required=True, help="项目名称")
@click.option("--start", type=_DATE, required=True, help="保障起始日 YYYY-MM-DD")
@click.option("--end", type=_DATE, required=True, help="保障终止日 YYYY-MM-DD")
@click.option("--filing", required=True, help="备案文号（第十五条）")
@click.option("--filed", type=_DATE, required=True, help="备案日期 YYYY-MM-DD")
@click.option("--actuarial", default=None, help="测算报告路径，如 documents/ZY27-测算报告.pdf")
@click.option(
    "--date",
    "declared",
    type=_DATE,
    default=None,
    help="声明与开户日期（默认：备案日与起始日中较早者）",
)
@click.option(
    "--general-fund", default=None, help="往来科目对应的综合基金代码（账本只有一个时自动选择）"
)
@click.option(
    "--ledger", default="main.beancount", show_default=True, help="DIR 中的顶层账本文件名"
)
@click.option(
    "--allow-long-term",
    is_flag=True,
    help="保障期限超过 term-max-years 时仍然创建（第十五条“一般”）",
)
@lang_option
def new_project_command(
    directory: Path,
    code: str,
    name: str,
    start: datetime.datetime,
    end: datetime.datetime,
    filing: str,
    filed: datetime.datetime,
    actuarial: str | None,
    declared: datetime.datetime | None,
    general_fund: str | None,
    ledger: str,
    allow_long_term: bool,
    lang: str,
) -> None:
    """新增互助保障活动项目分账本 projects/CODE.beancount，并在顶层账本中 include。"""
    from hzledger.scaffold.project import ProjectSpec, new_project

    spec = ProjectSpec(
        code=code,
        name=name,
        start=start.date(),
        end=end.date(),
        filing=filing,
        filed=filed.date(),
        actuarial=actuarial,
        date=_day(declared),
        general_fund=general_fund,
    )
    try:
        made = new_project(directory, spec, ledger=ledger, allow_long_term=allow_long_term)
    except ScaffoldError as exc:
        fail_on(exc, lang)
    except OSError as exc:
        fail(f"无法写入 {directory}：{exc}", f"cannot write {directory}: {exc}", lang)
    en = lang == "en"
    click.echo(f"  {'created' if en else '已创建'}  {display_path(made.path)}")
    if made.include_added:
        click.echo(
            f"  {'updated' if en else '已更新'}  {display_path(made.ledger)}"
            f'  (include "projects/{code}.beancount")'
        )
    if made.general_fund is None:
        click.echo(
            "note: no general fund declared, so no interfund accounts were opened"
            if en
            else "提示：账本没有声明综合基金，未开设基金往来科目"
        )


@main.command("precommit")
@click.argument("ledgers", nargs=-1, metavar="[LEDGER]...", type=LedgerPath())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github", "sarif"]),
    default="text",
    show_default=True,
)
@click.option("--strict", is_flag=True, help="有警告也拒绝提交 / warnings fail too")
@click.option("--baseline", type=click.Path(dir_okay=False), default=None, help="基线文件")
@click.option(
    "--allow-unincluded",
    is_flag=True,
    help="不拒绝未被顶层账本 include 的暂存账本文件 / accept staged files no ledger includes",
)
@lang_option
def precommit_command(
    ledgers: tuple[str, ...],
    fmt: str,
    strict: bool,
    baseline: str | None,
    allow_unincluded: bool,
    lang: str,
) -> None:
    """pre-commit 钩子：检查顶层账本（默认：仓库中所有 main.beancount），而非逐个暂存文件。

    已暂存却未被任何顶层账本 include 的账本文件也会被拒绝：其中的记录不会受到检查。
    """
    from hzledger.cli.check import check_ledger, print_results
    from hzledger.precommit import PrecommitError, orphans, staged_ledger_files, top_level_ledgers

    try:
        targets = list(ledgers) or top_level_ledgers()
    except PrecommitError as exc:
        fail_on(exc, lang)
    summaries = [check_ledger(raw, None, lang) for raw in targets]
    loaded = {os.path.normpath(p) for s in summaries for p in s.files}
    failed = print_results(targets, summaries, baseline=baseline, fmt=fmt, lang=lang, strict=strict)
    lost = [] if allow_unincluded else orphans(staged_ledger_files(), loaded, targets)
    for name in lost:
        click.echo(
            f"{name}: staged, but no checked ledger includes it, so nothing checks its entries; "
            "add its include line to the top-level ledger and stage both"
            if lang == "en"
            else f"{name}：已暂存，但没有任何顶层账本 include 它，其中的记录不会受到检查；"
            "请在顶层账本中加入 include 行，并一起暂存（git add）",
            err=True,
        )
    sys.exit(EXIT_FINDINGS if failed or lost else EXIT_OK)
