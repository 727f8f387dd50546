"""`hzledger rollup`: one union level's summary of its area's organisations (art. 35).

Inputs are ledgers (loaded and checked in worker processes) or submissions
(`hzledger report submission`, or an earlier roll-up), in any mix. Every input becomes
a submission first, so a roll-up of submissions equals the roll-up of the same ledgers,
row for row. Rows nest by `parent`: an organisation whose parent is another input's
organisation is listed under it, and a subtotal follows each organisation that has
subordinates. The total is every organisation once; ratios are recomputed from summed
amounts, solvency is never pooled (projects below 100% are counted, the worst ratio
named). The result is itself a submission one level up.

An input given twice (the same resolved path, or the same organisation with the same
digest), a missing or unreadable input, and a submission whose digest differs from the
ledger given beside it are errors (`RollupError`): a roll-up that silently doubles or
drops an organisation is worse than none.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from pydantic import ValidationError

from hzledger import __version__
from hzledger.figures.numbers import ZERO, percent, ratio
from hzledger.messages import validation_message
from hzledger.reports.common import Period, ReportError, resolve_period
from hzledger.reports.context import ReportContext
from hzledger.reports.source import LedgerNotFound, load_ledger
from hzledger.reports.submission import (
    CheckSummary,
    FundsSummary,
    OrgRow,
    SolvencySummary,
    StatisticsSummary,
    Submission,
    submission_report,
)
from hzledger.reports.tables import Column, RowStyle, Table

STATUS_ZH = {"ok": "正常", "errors": "账本有错误"}
LEVEL_UP = {"city": "province", "province": "national", "national": "national"}
LEVEL_RANK = {"city": 0, "province": 1, "national": 2}
SUMMED = (
    "errors",
    "warnings",
    "projects",
    "members",
    "claims",
    "dues",
    "benefits",
    "admin",
    "expenses",
    "opening",
    "income",
    "closing",
    "cross_fund",
    "net_available",
    "unearned_reserve",
    "claims_booked",
    "obligations",
    "solvency_projects",
    "projects_below",
    "projects_unestimated",
)


MONEY = frozenset(
    {
        "dues",
        "benefits",
        "admin",
        "expenses",
        "opening",
        "income",
        "closing",
        "cross_fund",
        "net_available",
        "unearned_reserve",
        "claims_booked",
        "obligations",
    }
)


class RollupError(ReportError):
    """An input the roll-up cannot take: the CLI exits 2 with this message."""


@dataclass
class Input:
    """One roll-up input: as given on the command line, and its submission."""

    given: str  # as on the command line
    submission: Submission
    from_ledger: bool


def is_submission_path(path: str) -> bool:
    return path.lower().endswith(".json")


def read_submission(path: str) -> Submission:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise RollupError(f"找不到报送文件：{path}", f"submission not found: {path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise RollupError(
            f"无法读取报送文件 {path}：{exc}", f"cannot read submission {path}: {exc}"
        ) from exc
    try:
        return Submission.model_validate(json.loads(text))
    except ValidationError as exc:
        msg = validation_message(exc)
        raise RollupError(
            f"{path} 不是 hzledger 报送文件（hzledger report submission 的 JSON）："
            f"{exc.error_count()} 处不符：{msg.zh}",
            f"{path} is not an hzledger submission: {exc.error_count()} problem(s): {msg.en}",
        ) from None
    except ValueError as exc:
        first = str(exc).splitlines()[0]
        raise RollupError(
            f"{path} 不是 hzledger 报送文件（hzledger report submission 的 JSON）：{first}",
            f"{path} is not an hzledger submission: {first}",
        ) from exc


def ledger_submission(path: str, year: int | None) -> Submission | str:
    """One ledger's submission; runs in a worker process, so errors come back as text."""
    try:
        ledger = load_ledger(path)
    except LedgerNotFound:
        return f"找不到账本文件：{path}"
    except Exception as exc:  # an unreadable ledger: reported, never a traceback
        return f"无法读取账本 {path}：{type(exc).__name__}: {exc}"
    if ledger.errors and not ledger.entries:
        first = next(iter(ledger.error_lines(limit=1)), "")
        return f"账本 {path} 无法读取：{first}"
    try:
        ctx = ReportContext(ledger, resolve_period(ledger.entries, year=year))
        return submission_report(ctx)
    except (ReportError, ArithmeticError, ValueError) as exc:
        return f"账本 {path} 无法生成报送：{getattr(exc, 'zh', exc)}"


def submission_row(sub: Submission, kind: str = "org", depth: int = 0) -> OrgRow:
    st, fu, so = sub.statistics, sub.funds, sub.solvency
    return OrgRow(
        row=kind,  # type: ignore[arg-type]
        depth=depth,
        organisation=sub.organisation,
        level=sub.level,
        parent=sub.parent,
        source=sub.source,
        digest=sub.digest,
        period=sub.period,
        status="errors" if sub.check.errors else "ok",
        errors=sub.check.errors,
        warnings=sub.check.warnings,
        projects=st.projects,
        members=st.members,
        claims=st.claims,
        dues=st.dues,
        benefits=st.benefits,
        admin=st.admin,
        expenses=st.expenses,
        payout_ratio=st.payout_ratio,
        admin_ratio=st.admin_ratio,
        opening=fu.opening,
        income=fu.income,
        closing=fu.closing,
        cross_fund=fu.cross_fund,
        net_available=so.net_available,
        unearned_reserve=so.unearned_reserve,
        claims_booked=so.claims_booked,
        claims_estimated=so.claims_estimated,
        obligations=so.obligations,
        solvency_projects=so.projects,
        projects_below=so.projects_below,
        projects_unestimated=so.projects_unestimated,
        worst_ratio=so.worst_ratio,
        worst_project=(
            so.worst_project
            if sub.rows or not so.worst_project
            else f"{sub.organisation}/{so.worst_project}"
        ),
    )


def sum_rows(rows: Sequence[OrgRow], name: str | None, kind: str, depth: int = 0) -> OrgRow:
    # Counts stay integers, money stays Decimal: each field sums from its own zero.
    sums: dict[str, int | Decimal] = {
        f: sum((getattr(r, f) for r in rows), ZERO if f in MONEY else 0) for f in SUMMED
    }
    rated = [r for r in rows if r.worst_ratio is not None]
    worst = min(rated, key=lambda r: (r.worst_ratio, r.organisation or "")) if rated else None
    estimates = [r.claims_estimated for r in rows if r.claims_estimated is not None]
    dues, benefits = Decimal(sums["dues"]), Decimal(sums["benefits"])
    admin, expenses = Decimal(sums["admin"]), Decimal(sums["expenses"])
    return OrgRow.model_validate(
        {
            **sums,
            "row": kind,
            "depth": depth,
            "organisation": name,
            "organisations": len(rows),
            "status": "errors" if any(r.status == "errors" for r in rows) else "ok",
            "payout_ratio": ratio(benefits, dues),
            "admin_ratio": ratio(admin, expenses),
            "claims_estimated": sum(estimates, ZERO) if estimates else None,
            "worst_ratio": worst.worst_ratio if worst else None,
            "worst_project": worst.worst_project if worst else None,
        }
    )


def nest(subs: Sequence[Submission]) -> list[OrgRow]:
    """Rows in hierarchy order: each organisation, its subordinates under it, then a subtotal."""
    names = {s.organisation: i for i, s in enumerate(subs)}
    children: dict[int, list[int]] = {i: [] for i in range(len(subs))}
    roots: list[int] = []
    for i, s in enumerate(subs):
        p = names.get(s.parent) if s.parent else None
        if p is None or p == i or _reaches(subs, names, p, i):
            roots.append(i)
        else:
            children[p].append(i)
    out: list[OrgRow] = []

    def walk(i: int, depth: int) -> list[OrgRow]:
        own = submission_row(subs[i], "org", depth)
        out.append(own)
        below = [own]
        for c in children[i]:
            below += walk(c, depth + 1)
        if children[i]:
            out.append(
                sum_rows(
                    below,
                    subs[i].organisation,
                    "subtotal",
                    depth,
                )
            )
        return below

    for r in roots:
        walk(r, 0)
    return out


def _reaches(subs: Sequence[Submission], names: dict[str, int], start: int, target: int) -> bool:
    """Does the parent chain from `start` come back to `target` (a cycle)?"""
    seen: set[int] = set()
    i: int | None = start
    while i is not None and i not in seen:
        if i == target:
            return True
        seen.add(i)
        parent = subs[i].parent
        i = names.get(parent) if parent else None
    return False


def check_inputs(inputs: Sequence[Input]) -> list[str]:
    """Duplicates and digest mismatches raise; other doubts come back as warnings."""
    by_key: dict[tuple[str, str], Input] = {}
    for item in inputs:
        sub = item.submission
        key = (sub.organisation, sub.digest)
        if key in by_key:
            other = by_key[key]
            raise RollupError(
                f"同一组织重复输入：{other.given} 与 {item.given} 都是“{sub.organisation}”"
                f"（摘要 {sub.digest[:12]}…），汇总会重复计算",
                f"the same organisation twice: {other.given} and {item.given} "
                f"({sub.organisation}, digest {sub.digest[:12]}…)",
            )
        by_key[key] = item
    ledgers = {i.submission.organisation: i for i in inputs if i.from_ledger}
    for item in inputs:
        if item.from_ledger:
            continue
        beside = ledgers.get(item.submission.organisation)
        if beside is not None and beside.submission.digest != item.submission.digest:
            raise RollupError(
                f"报送文件 {item.given} 的摘要与同时给出的账本 {beside.given} 不一致"
                f"（{item.submission.digest[:12]}… ≠ {beside.submission.digest[:12]}…）："
                "报送之后账本已改动，请重新生成报送",
                f"submission {item.given} does not match ledger {beside.given} (digest differs)",
            )
    warnings: list[str] = []
    for item in inputs:
        warnings += [f"{item.given}：{w}" for w in item.submission.warnings]
    years = {i.submission.period for i in inputs}
    if len(years) > 1:
        warnings.append("各输入的期间不同：" + "、".join(sorted(p.label for p in years)))
    return warnings


def rollup(
    paths: Sequence[str],
    year: int | None = None,
    *,
    jobs: int | None = None,
    title: str | None = None,
) -> Submission:
    seen: dict[Path, str] = {}
    for p in paths:
        resolved = Path(p).resolve()
        if resolved in seen:
            raise RollupError(
                f"同一文件重复输入：{seen[resolved]} 与 {p}",
                f"the same file twice: {seen[resolved]} and {p}",
            )
        seen[resolved] = p
    ledger_paths = [p for p in paths if not is_submission_path(p)]
    loaded: dict[str, Submission | str] = {}
    workers = max(1, min(len(ledger_paths), jobs or os.cpu_count() or 1))
    if workers == 1:
        for p in ledger_paths:
            loaded[p] = ledger_submission(p, year)
    elif ledger_paths:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for p, result in zip(
                ledger_paths,
                pool.map(ledger_submission, ledger_paths, [year] * len(ledger_paths)),
                strict=True,
            ):
                loaded[p] = result
    inputs: list[Input] = []
    for p in paths:
        if is_submission_path(p):
            sub = read_submission(p)
            if year is not None and sub.period != Period.year(year):
                raise RollupError(
                    f"报送文件 {p} 的期间是 {sub.period.label}，与 --year {year} 不符",
                    f"submission {p} covers {sub.period.label_en}, not --year {year}",
                )
            inputs.append(Input(p, sub, from_ledger=False))
        else:
            result = loaded[p]
            if isinstance(result, str):
                raise RollupError(result, result)
            inputs.append(Input(p, result, from_ledger=True))
    warnings = check_inputs(inputs)
    return combine(
        [i.submission for i in inputs], year, title=title, warnings=warnings, count=len(paths)
    )


def combine(
    subs: Sequence[Submission],
    year: int | None,
    *,
    title: str | None = None,
    warnings: Sequence[str] = (),
    count: int | None = None,
) -> Submission:
    rows = nest(subs)
    orgs = [r for r in rows if r.row == "org"]
    total = sum_rows(orgs, None, "total")
    rows.append(total)
    roots = [s for s in subs if not any(s.parent == o.organisation for o in subs)]
    top = max((LEVEL_RANK.get(s.level or "city", 0) for s in subs), default=0)
    top_level = next(k for k, v in LEVEL_RANK.items() if v == top)
    single = roots[0] if len(roots) == 1 else None
    level = (single.level if single and single.level else None) or LEVEL_UP[top_level]
    parents = {s.parent for s in roots}
    parent = single.parent if single else (parents.pop() if len(parents) == 1 else None)
    name = title or (f"{single.organisation}（汇总）" if single else f"汇总（{len(subs)} 个组织）")
    periods = [s.period for s in subs]
    if year is not None:
        period = Period.year(year)
    elif periods:
        period = Period(start=min(p.start for p in periods), end=max(p.end for p in periods))
    else:
        period = Period.year(1970)
    digest = hashlib.sha256("\n".join(sorted(s.digest for s in subs)).encode()).hexdigest()
    rules: dict[str, int] = {}
    for s in subs:
        for rule, n in s.check.rules.items():
            rules[rule] = rules.get(rule, 0) + n
    return Submission(
        hzledger=__version__,
        organisation=name,
        level=level,
        parent=parent,
        year=year if year is not None else (period.start.year if period.is_year else None),
        period=period,
        source=f"{count if count is not None else len(subs)} 个输入",
        digest=digest,
        check=CheckSummary(
            errors=total.errors,
            warnings=total.warnings,
            transactions=sum(s.check.transactions for s in subs),
            rules=dict(sorted(rules.items())),
        ),
        statistics=StatisticsSummary(
            projects=total.projects,
            members=total.members,
            claims=total.claims,
            dues=total.dues,
            benefits=total.benefits,
            admin=total.admin,
            expenses=total.expenses,
            payout_ratio=total.payout_ratio,
            admin_ratio=total.admin_ratio,
        ),
        funds=FundsSummary(
            opening=total.opening,
            income=total.income,
            expenses=total.expenses,
            closing=total.closing,
            cross_fund=total.cross_fund,
        ),
        solvency=SolvencySummary(
            as_of=period.end,
            projects=total.solvency_projects,
            projects_below=total.projects_below,
            worst_ratio=total.worst_ratio,
            worst_project=total.worst_project,
            projects_unestimated=total.projects_unestimated,
            net_available=total.net_available,
            unearned_reserve=total.unearned_reserve,
            claims_booked=total.claims_booked,
            claims_estimated=total.claims_estimated,
            obligations=total.obligations,
        ),
        warnings=list(warnings),
        rows=rows,
    )


def row_label(r: OrgRow) -> str:
    """What the row is called in text, Excel and HTML (the JSON keeps the data apart)."""
    if r.row == "total":
        return "合计"
    if r.row == "subtotal":
        return f"小计：{r.organisation}（含下级 {r.organisations - 1} 个）"
    return r.organisation or ""


def _name(r: OrgRow) -> str:
    return "　" * r.depth + row_label(r)


def _style(r: OrgRow) -> RowStyle:
    if r.row != "org":
        return "total"
    return "flag" if r.status != "ok" or r.projects_below else ""


def rows_tables(rows: Sequence[OrgRow]) -> list[Table]:
    orgs = Table(
        "组织",
        "各组织账本状态",
        "Organisations",
        [
            Column("组织", "Organisation"),
            Column("级别", "Level"),
            Column("上级", "Parent"),
            Column("来源", "Source"),
            Column("期间", "Period"),
            Column("状态", "Status"),
            Column("错误", "Errors", "int"),
            Column("警告", "Warnings", "int"),
            Column("摘要", "SHA-256"),
        ],
    )
    for r in rows:
        orgs.add(
            _name(r),
            r.level or "",
            r.parent or "",
            r.source,
            r.period.label if r.period else "",
            STATUS_ZH[r.status] if r.row == "org" else "",
            r.errors,
            r.warnings,
            r.digest[:16],
            style=_style(r),
        )
    stats = Table(
        "统计汇总",
        "互助保障业务统计汇总（按保障期间，第十八、三十五条）",
        "Statistics roll-up",
        [
            Column("组织", "Organisation"),
            Column("项目数", "Projects", "int"),
            Column("参保人次", "Members (person-times)", "int"),
            Column("给付件数", "Claims", "int"),
            Column("已赚会费", "Dues earned", "money"),
            Column("互助金给付", "Benefits", "money"),
            Column("管理费用", "Admin", "money"),
            Column("支出合计", "All spending", "money"),
            Column("赔付率", "Payout ratio", "ratio"),
            Column("管理费用率", "Admin ratio", "ratio"),
        ],
    )
    for r in rows:
        stats.add(
            _name(r),
            r.projects,
            r.members,
            r.claims,
            r.dues,
            r.benefits,
            r.admin,
            r.expenses,
            r.payout_ratio,
            r.admin_ratio,
            style=_style(r),
        )
    funds = Table(
        "收支汇总",
        "基金收支汇总",
        "Funds roll-up",
        [
            Column("组织", "Organisation"),
            Column("期初净资产", "Opening", "money"),
            Column("本期收入", "Income", "money"),
            Column("本期支出", "Spending", "money"),
            Column("期末净资产", "Closing", "money"),
            Column("跨基金收支（第十七、二十二条）", "Cross-fund", "money"),
        ],
    )
    for r in rows:
        funds.add(
            _name(r), r.opening, r.income, r.expenses, r.closing, r.cross_fund, style=_style(r)
        )
    solvency = Table(
        "偿付能力汇总",
        "偿付能力汇总（按项目，不合并计算）",
        "Solvency roll-up",
        [
            Column("组织", "Organisation"),
            Column("项目数", "Projects", "int"),
            Column("不足项目数", "Projects below 100%", "int"),
            Column("最低充足率", "Worst ratio", "ratio"),
            Column("最低的项目", "Worst project"),
            Column("可用净资产", "Net available", "money"),
            Column("未到期责任准备金", "Unearned reserve", "money"),
            Column("未决赔款（账面）", "Claims booked", "money"),
            Column("未决赔款（估计）", "Claims estimated", "money"),
            Column("偿付责任", "Obligations", "money"),
        ],
    )
    for r in rows:
        solvency.add(
            _name(r),
            r.solvency_projects,
            r.projects_below,
            r.worst_ratio,
            r.worst_project or "",
            r.net_available,
            r.unearned_reserve,
            r.claims_booked,
            r.claims_estimated,
            r.obligations,
            style=_style(r),
        )
    solvency.notes.append(
        "项目资金不得相互调剂（第十七、二十二条）：汇总不计算合并充足率，只列低于100%的项目数和最低充足率"
        f"（{percent(None)} 表示没有可计算的项目）。"
    )
    return [orgs, stats, funds, solvency]
