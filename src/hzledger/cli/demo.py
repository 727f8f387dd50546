"""`hzledger demo`: generate demonstration organisations of any size."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from hzledger.cli import main
from hzledger.cli.common import EXIT_USAGE, display_path, fail, fail_on, lang_option
from hzledger.demo.atomic import TargetExists, write_directory
from hzledger.demo.catalog import MAX_PROJECT_LINES
from hzledger.demo.generator import GenerationResult, generate
from hzledger.demo.plan import MAX_YEARS, OrgConfig, PlanError, validate
from hzledger.demo.presets import write_demo_ledgers

MAX_TRANSACTIONS = 10_000_000
T = TypeVar("T")


class _Count(click.ParamType[int, object]):
    """An integer in a range, with a Chinese and English message when it is not."""

    name = "integer"

    def __init__(self, low: int, high: int) -> None:
        self.low, self.high = low, high

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> int:
        if isinstance(value, int):
            number = value
        else:
            text = str(value).replace("_", "").replace(",", "")
            if text.lower().endswith("k") and text[:-1].isdigit():
                number = int(text[:-1]) * 1000
            elif text.lower().endswith("m") and text[:-1].isdigit():
                number = int(text[:-1]) * 1_000_000
            elif text.lstrip("-").isdigit():
                number = int(text)
            else:
                self.fail(f"“{value}”不是整数 / not an integer", param, ctx)
        if not self.low <= number <= self.high:
            self.fail(f"{number} 不在 {self.low}–{self.high} 之间 / out of range", param, ctx)
        return number


@main.group()
def demo() -> None:
    """生成演示组织账本（测试、培训与性能基准用）。"""


@demo.command("generate")
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--transactions",
    "-n",
    type=_Count(1, MAX_TRANSACTIONS),
    required=True,
    help="交易笔数（可写 10k、1m）/ number of transactions",
)
@click.option(
    "--projects",
    "-p",
    type=_Count(1, MAX_PROJECT_LINES),
    default=3,
    show_default=True,
    help="保障项目线数（一年期项目每年新设一期）/ project lines",
)
@click.option(
    "--seed",
    "-s",
    type=int,
    default=1,
    show_default=True,
    help="随机种子：同一种子生成完全相同的文件 / random seed",
)
@click.option(
    "--violations",
    is_flag=True,
    help="刻意写入若干违规事项（见生成的 README.md）/ inject known violations",
)
@click.option(
    "--years",
    type=_Count(1, MAX_YEARS),
    default=3,
    show_default=True,
    help="会计年度数 / fiscal years",
)
@click.option(
    "--start-year",
    type=_Count(2000, 2090),
    default=2023,
    show_default=True,
    help="首个会计年度 / first fiscal year",
)
@click.option("--title", default="示例市职工互助保障会", show_default=True, help="组织名称")
@click.option(
    "--level",
    type=click.Choice(["city", "province"]),
    default="city",
    show_default=True,
    help="组织级别（第三十七条）",
)
@click.option("--force", is_flag=True, help="覆盖已有的非空目录 / replace a non-empty OUT_DIR")
@lang_option
def generate_cmd(
    out_dir: Path,
    transactions: int,
    projects: int,
    seed: int,
    violations: bool,
    years: int,
    start_year: int,
    title: str,
    level: str,
    force: bool,
    lang: str,
) -> None:
    """生成一个符合 LEDGER-SPEC 的组织账本到 OUT_DIR（同一种子结果逐字节相同）。"""
    config = OrgConfig(
        title=title,
        level="province" if level == "province" else "city",
        parent="示例省总工会" if level == "province" else "示例省职工互助保障会",
        transactions=transactions,
        projects=projects,
        seed=seed,
        violations=violations,
        start_year=start_year,
        years=years,
    )
    try:
        validate(config)
    except PlanError as exc:
        fail_on(exc, lang)
    started = time.perf_counter()
    name = display_path(out_dir) or str(out_dir)
    result = _write(out_dir, lambda tmp: generate(config, tmp, name=name), force, lang)
    _summary(result, name, time.perf_counter() - started, lang)


@demo.command("ledgers")
@click.argument(
    "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("ledgers")
)
@click.option("--force", is_flag=True, help="覆盖已有的非空目录 / replace a non-empty OUT_DIR")
@lang_option
def ledgers_cmd(out_dir: Path, force: bool, lang: str) -> None:
    """重新生成仓库自带的三个演示组织（省级一个、市级两个）到 OUT_DIR。"""
    started = time.perf_counter()
    results = _write(out_dir, write_demo_ledgers, force, lang)
    for org, result in results.items():
        _summary(result, f"{display_path(out_dir)}/{org}", None, lang)
    click.echo(
        f"用时 {time.perf_counter() - started:.1f} 秒"
        if lang == "zh"
        else f"took {time.perf_counter() - started:.1f} s"
    )


def _write(out_dir: Path, produce: Callable[[Path], T], force: bool, lang: str) -> T:
    try:
        return write_directory(out_dir, produce, force=force)
    except TargetExists:
        fail(
            f"目录 {out_dir} 已存在且不为空；如要覆盖请加 --force",
            f"{out_dir} exists and is not empty; use --force to replace it",
            lang,
        )
    except OSError as exc:
        fail(
            f"无法写入 {out_dir}：{exc.strerror or exc}",
            f"cannot write {out_dir}: {exc}",
            lang,
            EXIT_USAGE,
        )


def _summary(result: GenerationResult, name: str, seconds: float | None, lang: str) -> None:
    cfg = result.config
    funds = len(result.instances)
    if lang == "en":
        lines = [
            f"generated {cfg.title} -> {name}",
            f"  {result.transactions:,} transactions; {funds} project funds + the general fund; "
            f"{cfg.years} years from {cfg.start_year}",
            f"  dues {result.dues_cents / 100:,.2f} CNY for {result.members:,} member-times; "
            f"benefits {result.benefit_cents / 100:,.2f} CNY for {result.claims:,} claims",
        ]
        if result.violations:
            lines.append(
                f"  {len(result.violations)} injected violations, rules "
                f"{', '.join(sorted(result.expected_rules))} (see README.md)"
            )
        if seconds is not None:
            lines.append(f"  took {seconds:.1f} s; next: hzledger check {name}/main.beancount")
    else:
        lines = [
            f"已生成 {cfg.title} → {name}",
            f"  交易 {result.transactions:,} 笔；项目基金 {funds} 个另加综合管理基金；"
            f"{cfg.start_year} 年起共 {cfg.years} 个会计年度",
            f"  会费 {result.dues_cents / 100:,.2f} 元，参保 {result.members:,} 人次；"
            f"互助金 {result.benefit_cents / 100:,.2f} 元，{result.claims:,} 人次",
        ]
        if result.violations:
            lines.append(
                f"  刻意设置违规事项 {len(result.violations)} 处，规则 "
                f"{'、'.join(sorted(result.expected_rules))}（见 README.md）"
            )
        if seconds is not None:
            lines.append(f"  用时 {seconds:.1f} 秒；下一步：hzledger check {name}/main.beancount")
    click.echo("\n".join(lines))
