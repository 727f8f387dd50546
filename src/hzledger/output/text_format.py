"""`--format text`: findings grouped by file, coloured on a terminal, then a summary."""

from __future__ import annotations

from itertools import groupby

import click

from hzledger.findings import Finding
from hzledger.paths import display_path
from hzledger.result import CheckResult

_SEVERITY = {"error": ("错误", "error", "red"), "warning": ("警告", "warning", "yellow")}


def _file_of(finding: Finding) -> str:
    return display_path(finding.file) or "?"


def render(results: list[CheckResult], *, lang: str = "zh") -> str:
    en = lang == "en"
    out: list[str] = []
    for result in results:
        out.append(click.style(f"{result.title}  ({result.path})", bold=True))
        if not result.has_hz_directives:
            out.append(
                click.style(
                    "  note: this ledger declares no hz-* directives; is it written to "
                    "LEDGER-SPEC? (see `hzledger init`)"
                    if en
                    else "  提示：此账本没有任何 hz-* 声明，似乎不是按 LEDGER-SPEC 编写的账本"
                    "（可用 hzledger init 生成标准账本）",
                    fg="cyan",
                )
            )
        for path, group in groupby(result.findings, key=_file_of):
            out.append(f"  {click.style(path, underline=True)}")
            for f in group:
                zh, en_word, colour = _SEVERITY[f.severity.value]
                where = f"{f.line}" if f.line else "-"
                fund = f" [{f.fund}]" if f.fund else ""
                out.append(
                    f"    {where:>6}  {click.style(en_word if en else zh, fg=colour)}  "
                    f"{click.style(f.rule, bold=True)}{fund}  {f.text(lang)}"
                )
        summary = (
            f"  {result.errors} error(s), {result.warnings} warning(s), "
            f"{result.transactions} transactions"
            if en
            else f"  {result.errors} 个错误，{result.warnings} 个警告，共 {result.transactions} 笔交易"
        )
        colour = "red" if result.errors else ("yellow" if result.warnings else "green")
        out.append(click.style(summary, fg=colour))
    if len(results) > 1:
        errors = sum(r.errors for r in results)
        warnings = sum(r.warnings for r in results)
        out.append(
            f"{len(results)} ledgers: {errors} error(s), {warnings} warning(s)"
            if en
            else f"共 {len(results)} 个账本：{errors} 个错误，{warnings} 个警告"
        )
    return "\n".join(out)
