"""The overview: one row per organisation in a user's scope, worst first (art. 33–35).

Each row is built once per ledger (re)load from the compliance view, which holds the
figures objects the reports use (`hzledger.figures`: solvency, admin ratio, audit
status); requests only filter, sort and render. The last change comes from git
(commit, date, author of the newest commit touching the organisation folder) or,
outside git, the newest modification time of the ledger's files.
"""

from __future__ import annotations

import datetime
import io
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from hzledger.figures.numbers import percent
from hzledger.gitrepo import GitError, locate
from hzledger.serve.clock import local_time
from hzledger.serve.compliance import AuditRow, ComplianceView

log = logging.getLogger(__name__)

VERDICTS = ("不合规", "有警告", "合规")


@dataclass(frozen=True)
class LastChange:
    """When an organisation's ledger last changed (in git: commit and author too)."""

    when: datetime.datetime
    commit: str = ""  # short sha, in git only
    author: str = ""

    def text(self) -> str:
        where = f" {self.commit} {self.author}" if self.commit else "（文件修改时间）"
        return local_time(self.when) + where


@dataclass(frozen=True)
class OrgRow:
    """One organisation's row on the overview, from the shared figures."""

    slug: str
    title: str
    level: str
    parent: str
    verdict: str
    errors: int
    warnings: int
    by_rule: tuple[tuple[str, int, int], ...]  # rule, errors, warnings
    projects_below: int
    worst_ratio: Decimal | None
    worst_project: str
    admin_ratio: Decimal | None
    solvency_year: int | None  # the last complete fiscal year the ledger has data for
    as_of: datetime.date | None  # the admin ratio is over the ledger up to this date
    audit_year: int | None
    internal_audit: str
    external_audit: str
    audit_ok: bool | None  # the year's art. 32 status: in time, late/missing, not yet due
    last_change: LastChange | None
    failure: str = ""

    @property
    def badness(self) -> tuple[int, int, int, int]:
        """Worst first: a failed check, then errors, warnings, projects below 100 %."""
        return (
            1 if self.failure else 0,
            self.errors,
            self.warnings,
            self.projects_below,
        )

    @property
    def audit_verdict(self) -> str:
        if self.audit_year is None:
            return "—"
        return {True: "按时", False: "逾期或缺失", None: "待定"}[self.audit_ok]

    @property
    def by_rule_text(self) -> str:
        parts = []
        for rule, errors, warnings in self.by_rule:
            counts = [f"错误 {errors}" if errors else "", f"警告 {warnings}" if warnings else ""]
            parts.append(f"{rule} " + "、".join(c for c in counts if c))
        return "；".join(parts)

    def cells(self) -> list[object]:
        """The row as the xlsx has it: numbers as numbers, ratios as fractions."""
        return [
            self.title,
            self.level,
            self.parent,
            self.verdict,
            self.errors,
            self.warnings,
            self.by_rule_text,
            self.projects_below,
            self.worst_ratio,
            self.worst_project,
            self.solvency_year,
            self.admin_ratio,
            self.as_of,
            self.audit_year,
            self.audit_verdict,
            self.internal_audit,
            self.external_audit,
            self.last_change.text() if self.last_change else "",
        ]


HEADERS = (
    "组织",
    "级别",
    "上级",
    "结论",
    "错误",
    "警告",
    "按规则",
    "充足率低于 100% 的项目",
    "最低充足率",
    "最低项目",
    "充足率年度",
    "管理费用占比",
    "管理费用占比截至",
    "审计年度",
    "审计状态",
    "内部稽核",
    "外部审计",
    "账本最后修改",
)


def _audit_status(row: AuditRow | None, which: str) -> str:
    if row is None:
        return "—"
    text = row.internal if which == "internal" else row.external
    doc = row.internal_doc if which == "internal" else row.external_doc
    return text + (f"（{doc}）" if doc else "")


def last_change(main: Path, files: Sequence[str]) -> LastChange | None:
    """Newest commit touching the organisation folder; outside git the newest file time."""
    folder = main.parent
    try:
        commits, _more = locate(folder).commits(since=None, limit=1)
        if commits:
            c = commits[0]
            return LastChange(c.date, c.short, c.author)
    except GitError:
        pass
    except OSError as exc:  # no git installed: fall back to file times
        log.info("git unavailable for %s: %s", folder, exc)
    times = []
    for name in files or [str(main)]:
        try:
            times.append(os.stat(name).st_mtime)
        except OSError:
            continue
    if not times:
        return None
    return LastChange(datetime.datetime.fromtimestamp(max(times), datetime.UTC))


def build_row(
    slug: str,
    title: str,
    view: ComplianceView | None,
    failure: str | None,
    change: LastChange | None,
) -> OrgRow:
    if view is None:
        return OrgRow(
            slug=slug,
            title=title,
            level="",
            parent="",
            verdict="检查未能运行",
            errors=0,
            warnings=0,
            by_rule=(),
            projects_below=0,
            worst_ratio=None,
            worst_project="",
            admin_ratio=None,
            solvency_year=None,
            as_of=None,
            audit_year=None,
            internal_audit="—",
            external_audit="—",
            audit_ok=None,
            last_change=change,
            failure=failure or "未载入",
        )
    verdict = VERDICTS[0] if view.errors else VERDICTS[1] if view.warnings else VERDICTS[2]
    solv = view.year_solvency
    # "Last year": the fiscal year before the ledger's as-of date.
    year = view.as_of.year - 1 if view.as_of else None
    audit = next((a for a in view.audits if a.year == year), None)
    return OrgRow(
        slug=slug,
        title=title,
        level=view.level,
        parent=view.parent,
        verdict=verdict,
        errors=view.errors,
        warnings=view.warnings,
        by_rule=tuple(
            (rc.rule, rc.errors, rc.warnings) for rc in view.rule_counts if rc.errors or rc.warnings
        ),
        projects_below=solv.projects_below if solv else 0,
        worst_ratio=solv.worst_ratio if solv else None,
        worst_project=(solv.worst_project or "") if solv else "",
        admin_ratio=view.admin.ratio if view.admin else None,
        solvency_year=view.year,
        as_of=view.as_of,
        audit_year=year,
        internal_audit=_audit_status(audit, "internal"),
        external_audit=_audit_status(audit, "external"),
        audit_ok=audit.ok if audit else None,
        last_change=change,
    )


def select(rows: Sequence[OrgRow], level: str, parent: str) -> list[OrgRow]:
    """Filtered by level and parent, worst first (then by title)."""
    chosen = [
        r for r in rows if (not level or r.level == level) and (not parent or r.parent == parent)
    ]
    return sorted(chosen, key=lambda r: (tuple(-x for x in r.badness), r.title))


def xlsx(rows: Sequence[OrgRow]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("监管总览")
    sheet.append(list(HEADERS))
    for row in rows:
        sheet.append(row.cells())
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pct(value: Decimal | None) -> str:
    return percent(value)
