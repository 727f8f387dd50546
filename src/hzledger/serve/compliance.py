"""The supervisors' view of one ledger, built once per load from the engine's result.

Everything the 合规检查 page shows is precomputed here into plain rows, so a
request only filters and renders; nothing walks the entries per request.
"""

from __future__ import annotations

import datetime
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from beancount.core import data

from hzledger.figures.admin import AdminFigures, admin_figures
from hzledger.figures.audits import KINDS as AUDIT_KINDS
from hzledger.figures.audits import audit_deadline, audit_state
from hzledger.figures.identity import org_title
from hzledger.figures.ledger import LedgerFigures
from hzledger.figures.numbers import money_text, percent, ratio
from hzledger.figures.solvency import OrgSolvency, ProjectSolvency
from hzledger.findings import Finding, Severity, article_zh
from hzledger.kinds import CATEGORY_LABEL_ZH, EXPENSE_CATEGORY
from hzledger.model import LedgerModel
from hzledger.reports.common import Period, last_complete_year
from hzledger.totals import FundTotals

ZERO = Decimal(0)

# Art. 24's five sources; interest and other lawful income share clause (五).
INCOME_SOURCES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("dues", "会员会费", ("dues",)),
    ("donation", "社会捐赠", ("donation",)),
    ("subsidy", "资助或补助", ("subsidy",)),
    ("service", "活动和服务收入", ("service",)),
    ("interest-other", "利息及其他", ("interest", "other")),
)
SEVERITY_ZH = {"error": "错误", "warning": "警告"}


class CheckResult(Protocol):
    """What the engine's `LedgerCheck` offers this module."""

    model: LedgerModel
    findings: list[Finding]
    transactions: int
    as_of: datetime.date | None
    totals: dict[str, FundTotals]
    decision_use: dict[str, Decimal]


@dataclass(frozen=True)
class FindingRow:
    """One finding as the compliance page lists it (organisation-relative location)."""

    rule: str
    severity: str
    article: str
    date: str
    fund: str
    location: str
    message: str
    message_en: str
    # Organisation-relative file and line, for the link into the read-only source view.
    file: str = ""
    line: int | None = None

    @property
    def severity_zh(self) -> str:
        return SEVERITY_ZH.get(self.severity, self.severity)


@dataclass(frozen=True)
class RuleCount:
    """How many findings one rule gave, with its article."""

    rule: str
    article: str
    errors: int
    warnings: int


@dataclass(frozen=True)
class FundRow:
    """One fund's line on the compliance page."""

    code: str
    name: str
    is_project: bool
    term: str
    income: tuple[Decimal, ...]  # in INCOME_SOURCES order
    income_total: Decimal
    spending: tuple[Decimal, ...]  # categories 1, 2, 3 of art. 25
    spending_total: Decimal
    surplus: Decimal  # income − spending over the whole ledger
    net_assets: Decimal  # assets − liabilities at the last entry
    payout_ratio: Decimal | None  # benefits / dues
    admin_share: Decimal | None  # category 3 / all spending
    members: int
    claims: int
    findings: int


@dataclass(frozen=True)
class DecisionRow:
    """One collective decision and what it was used for (art. 30)."""

    id: str
    title: str
    date: datetime.date
    body: str
    limit: Decimal | None
    used: Decimal
    over: bool
    location: str
    file: str = ""
    line: int | None = None
    document: str = ""  # organisation-relative, as the accountant wrote it


@dataclass(frozen=True)
class AuditRow:
    """One fiscal year's internal and external audit status (art. 32)."""

    year: int
    deadline: datetime.date | None
    internal: str  # date and report, or a status
    external: str
    ok: bool | None  # None: not yet due
    # The recorded reports (organisation-relative paths), linked from the page.
    internal_doc: str = ""
    external_doc: str = ""


@dataclass
class ComplianceView:
    """Everything the compliance page shows, built once per ledger load."""

    title: str
    org: str
    level: str
    currency: str
    transactions: int
    as_of: datetime.date | None
    errors: int
    warnings: int
    rule_counts: list[RuleCount]
    findings: list[FindingRow]
    funds: list[FundRow]
    decisions: list[DecisionRow]
    audits: list[AuditRow]
    computed_at: datetime.datetime
    solvency: list[ProjectSolvency] = field(default_factory=list)
    admin: AdminFigures | None = None  # 管理费用 of every fund, general fund included
    org_solvency: OrgSolvency | None = None
    # The overview's solvency: the last complete fiscal year (`last_complete_year`),
    # the same figure as `hzledger report solvency --year <year>`.
    year: int | None = None
    year_solvency: OrgSolvency | None = None
    fund_codes: list[str] = field(default_factory=list)
    rule_ids: list[str] = field(default_factory=list)
    parent: str = ""  # `hz-org`'s parent union, for the overview's filter

    @property
    def documents(self) -> frozenset[str]:
        """Decision and audit documents the page links to (served by the document route)."""
        names = [d.document for d in self.decisions]
        names += [a.internal_doc for a in self.audits] + [a.external_doc for a in self.audits]
        return frozenset(os.path.normpath(n) for n in names if n)

    def filtered(self, fund: str | None, rule: str | None) -> list[FindingRow]:
        return [
            f
            for f in self.findings
            if (not fund or f.fund == fund) and (not rule or f.rule == rule)
        ]


def _rel(path: str | None, root: Path) -> str:
    """File names relative to the organisation's folder: short, and no server paths leak."""
    if not path:
        return ""
    if path.startswith("<"):
        return path
    try:
        rel = os.path.relpath(path, root)
    except ValueError:
        return Path(path).name
    return Path(path).name if rel.startswith("..") else rel


def _fund_rows(
    model: LedgerModel,
    totals: dict[str, FundTotals],
    per_fund: Counter[str],
    payout: dict[str, Decimal | None],
) -> list[FundRow]:
    rows = []
    for code, fund in model.funds.items():
        t = totals.get(code) or FundTotals(fund=code)
        income = tuple(
            sum((t.income_by_kind.get(k, ZERO) for k in kinds), ZERO)
            for _key, _label, kinds in INCOME_SOURCES
        )
        spending = [ZERO, ZERO, ZERO]
        for kind, amount in t.expenses_by_kind.items():
            cat = EXPENSE_CATEGORY.get(kind)
            if cat:
                spending[cat - 1] += amount
        spending_total = t.expenses
        term = ""
        if fund.is_project:
            term = f"{fund.start or '?'} 至 {fund.end or '?'}"
        rows.append(
            FundRow(
                code=code,
                name=fund.name,
                is_project=fund.is_project,
                term=term,
                income=income,
                income_total=t.income,
                spending=tuple(spending),
                spending_total=spending_total,
                surplus=t.income - spending_total,
                net_assets=sum(t.assets_by_kind.values(), ZERO)
                - sum(t.liabilities_by_kind.values(), ZERO),
                payout_ratio=payout.get(code)
                if fund.is_project
                else ratio(
                    t.expenses_by_kind.get("benefit", ZERO), t.income_by_kind.get("dues", ZERO)
                ),
                admin_share=admin_figures([t.expenses_by_kind]).ratio,
                members=t.members,
                claims=t.claims,
                findings=per_fund.get(code, 0),
            )
        )
    return rows


def _transaction_years(entries: Iterable[data.Directive]) -> set[int]:
    return {e.date.year for e in entries if isinstance(e, data.Transaction)}


def _audit_rows(model: LedgerModel, years: set[int], as_of: datetime.date | None) -> list[AuditRow]:
    """HZ-A32's own judgement (`figures.audits`), one row per fiscal year."""
    rows = []
    for year in sorted(years | {a.year for a in model.audits}):
        cells = []
        docs = []
        states = [audit_state(model, year, kind, as_of) for kind in AUDIT_KINDS]
        for st in states:
            if st.first is not None:
                # `report` is relative to the ledger folder already, as the accountant wrote it.
                text = f"{st.first.date}"
                docs.append(st.first.report or "")
                if st.state == "late":
                    text += " 逾期"
                cells.append(text)
                continue
            docs.append("")
            if st.state == "missing":
                cells.append(f"未记录（{st.deadline} 到期）")
            else:
                cells.append(f"未到期（{st.deadline} 前）" if st.deadline else "未记录")
        oks = [st.ok for st in states]
        ok: bool | None = False if False in oks else (None if None in oks else True)
        rows.append(
            AuditRow(year, audit_deadline(model, year), cells[0], cells[1], ok, docs[0], docs[1])
        )
    return rows


def build_view(
    result: CheckResult,
    entries: Sequence[data.Directive],
    root: Path,
) -> ComplianceView:
    model = result.model
    findings = sorted(result.findings, key=lambda f: f.sort_key())
    rows = [
        FindingRow(
            rule=f.rule,
            severity=str(f.severity),
            article=article_zh(f.article) if f.article else "",
            date=str(f.date) if f.date else "",
            fund=f.fund or "",
            location=f"{_rel(f.file, root)}:{f.line}" if f.file and f.line else _rel(f.file, root),
            message=f.message,
            message_en=f.message_en,
            file=_rel(f.file, root) if f.file else "",
            line=f.line or None,
        )
        for f in findings
    ]
    by_rule: dict[str, list[int]] = {}
    articles: dict[str, str] = {}
    for f in findings:
        counts = by_rule.setdefault(f.rule, [0, 0])
        counts[0 if f.severity is Severity.ERROR else 1] += 1
        if f.article:
            articles.setdefault(f.rule, article_zh(f.article))
    rule_counts = [
        RuleCount(rule, articles.get(rule, ""), c[0], c[1]) for rule, c in sorted(by_rule.items())
    ]
    per_fund = Counter(f.fund for f in findings if f.fund)
    as_of = result.as_of
    decisions = []
    for d in sorted(model.decisions.values(), key=lambda d: (d.date, d.id)):
        used = result.decision_use.get(d.id, ZERO)
        limit = d.limit.number if d.limit else None
        decisions.append(
            DecisionRow(
                id=d.id,
                title=d.title,
                date=d.date,
                body=d.body or "",
                limit=limit,
                used=used,
                over=limit is not None and used > limit,
                location=f"{_rel(d.source.file, root)}:{d.source.line}",
                file=_rel(d.source.file, root),
                line=d.source.line,
                document=d.document or "",
            )
        )
    org = model.org
    # The same figures object the reports use, valued at the page's as-of date.
    figures = LedgerFigures(entries, model)
    solvency: list[ProjectSolvency] = []
    org_solv: OrgSolvency | None = None
    payout: dict[str, Decimal | None] = {}
    if as_of is not None:
        period = Period(start=datetime.date(as_of.year, 1, 1), end=as_of)
        solvency = figures.solvency(period)
        org_solv = figures.org_solvency(period)
        # The reports' payout ratio (cover basis) over the whole ledger up to as_of.
        whole = Period(start=min(figures.first_date or as_of, as_of), end=as_of)
        payout = {
            code: figures.cover_statistics(whole, project).payout_ratio
            for code, project in model.projects.items()
        }
    year = last_complete_year(entries)
    year_solv = None
    if year is not None:
        scope = {code for code, fund in model.funds.items() if fund.is_project}
        year_solv = figures.org_solvency(Period.year(year), scope)
    return ComplianceView(
        title=org_title(model, root / "main.beancount"),
        org=org.name if org else "",
        level={"city": "市级", "province": "省级"}.get(org.level or "", "") if org else "",
        parent=(org.parent or "") if org else "",
        currency=model.operating_currency,
        transactions=result.transactions,
        as_of=as_of,
        errors=sum(1 for f in findings if f.severity is Severity.ERROR),
        warnings=sum(1 for f in findings if f.severity is Severity.WARNING),
        rule_counts=rule_counts,
        findings=rows,
        funds=_fund_rows(model, result.totals, per_fund, payout),
        decisions=decisions,
        audits=_audit_rows(model, _transaction_years(entries), as_of),
        computed_at=datetime.datetime.now(datetime.UTC).replace(microsecond=0),
        solvency=solvency,
        org_solvency=org_solv,
        year=year,
        year_solvency=year_solv,
        admin=admin_figures(
            t.expenses_by_kind for code, t in result.totals.items() if code in model.funds
        ),
        fund_codes=sorted({r.fund for r in rows if r.fund}),
        rule_ids=[rc.rule for rc in rule_counts],
    )


# Short column heads; CATEGORY_LABEL_ZH's full names go in the header's title attribute.
CATEGORY_HEADERS = ("互助金给付", "会员服务", "管理运行")
CATEGORY_TITLES = tuple(CATEGORY_LABEL_ZH[i] for i in (1, 2, 3))
INCOME_HEADERS = tuple(label for _k, label, _kinds in INCOME_SOURCES)


def pct(value: Decimal | None) -> str:
    return percent(value)


def amount(value: Decimal | None) -> str:
    return money_text(value)
