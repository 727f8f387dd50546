"""What a generated organisation will contain, decided before a single entry is written.

The plan fixes the projects, the dated "skeleton" transactions (payroll, transfers,
investments, allocations, violations...) and how many of each variable transaction
(dues batches, benefit batches, activities, office costs) fall in each month, so the
generator can then stream month by month and still write exactly N transactions.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from typing import Literal

from hzledger.demo.calendar import (
    Month,
    add_months,
    business_day_on_or_after,
    last_business_day,
    month_of,
    months,
)
from hzledger.demo.catalog import MAX_PROJECT_LINES, ProjectLine, project_line
from hzledger.messages import BilingualError

MAX_YEARS = 10
MIN_START_YEAR = 2000
MAX_START_YEAR = 2090

# Shares of the variable transactions, by category (sum to 1).
CATEGORY_SHARES: tuple[tuple[str, Decimal], ...] = (
    ("dues", Decimal("0.42")),
    ("benefit", Decimal("0.45")),
    ("service", Decimal("0.07")),
    ("office", Decimal("0.06")),
)


class PlanError(BilingualError, ValueError):
    """A configuration that cannot produce a ledger; carries both languages."""


@dataclass(frozen=True)
class OrgConfig:
    """The demo organisation's settings: names, sizes, seed, years."""

    title: str = "示例市职工互助保障会"
    city: str = "示例"  # prefix of counterparties' names
    level: Literal["city", "province"] = "city"
    parent: str | None = "示例省职工互助保障会"
    filing_prefix: str = "示工资备"
    transactions: int = 10_000
    projects: int = 3
    seed: int = 1
    violations: bool = False
    start_year: int = 2023
    years: int = 3

    @property
    def first_month(self) -> Month:
        return self.start_year, 1

    @property
    def last_month(self) -> Month:
        return self.start_year + self.years - 1, 12

    @property
    def ledger_start(self) -> datetime.date:
        return datetime.date(self.start_year, 1, 1)

    @property
    def ledger_end(self) -> datetime.date:
        return datetime.date(self.start_year + self.years - 1, 12, 31)


@dataclass
class Instance:
    """One protection project (a fund): one term of one project line."""

    index: int
    line: ProjectLine
    code: str
    start: datetime.date
    end: datetime.date
    declared: datetime.date
    filed: datetime.date
    filing: str
    bond: str | None = None

    @property
    def title(self) -> str:
        if self.line.term == 1:
            return f"{self.line.name}（{self.start.year}）"
        return f"{self.line.name}（{self.start.year}—{self.end.year}）"

    @property
    def file(self) -> str:
        return f"projects/{self.code}.beancount"


@dataclass(frozen=True, order=True)
class Event:
    """A dated skeleton transaction; `inst` is -1 for the general fund."""

    date: datetime.date
    seq: int
    kind: str
    inst: int = -1


@dataclass
class Plan:
    """The demo organisation's projects and events, before any ledger text is written."""

    config: OrgConfig
    instances: list[Instance]
    events: list[Event]
    # (category, instance index or -1, month) -> number of variable transactions
    cells: dict[tuple[str, int, Month], int]
    decisions: dict[tuple[str, int, datetime.date], str]  # (kind, inst, event date) -> id
    decision_dates: dict[str, datetime.date]
    omitted_audit: int | None
    host: int | None  # the project instance that carries the violations
    spend_months: dict[int, list[Month]] = field(default_factory=dict)

    @property
    def skeleton(self) -> int:
        return len(self.events)

    def events_in(self, ym: Month) -> list[Event]:
        return self._by_month.get(ym, [])

    def __post_init__(self) -> None:
        by_month: dict[Month, list[Event]] = defaultdict(list)
        for event in sorted(self.events):
            by_month[month_of(event.date)].append(event)
        self._by_month = dict(by_month)


def _add_years(date: datetime.date, years: int) -> datetime.date:
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 February
        return date.replace(year=date.year + years, day=28)


def build_instances(config: OrgConfig) -> list[Instance]:
    instances: list[Instance] = []
    filings = 0
    for li in range(config.projects):
        line = project_line(li)
        year = config.start_year
        while year < config.start_year + config.years:
            start = datetime.date(year, 1, 1)
            end = _add_years(start, line.term) - datetime.timedelta(days=1)
            filings += 1
            code = f"{line.prefix}{year % 100:02d}"
            instances.append(
                Instance(
                    index=len(instances),
                    line=line,
                    code=code,
                    start=start,
                    end=end,
                    declared=business_day_on_or_after((year - 1, 11), 3),
                    filed=business_day_on_or_after((year - 1, 11), 18),
                    filing=f"{config.filing_prefix}〔{year - 1}〕{filings}号",
                    bond=f"GZ{year % 100:02d}{li + 1:02d}" if line.term > 1 else None,
                )
            )
            year += line.term
    return instances


def dues_window(inst: Instance, config: OrgConfig) -> tuple[datetime.date, datetime.date]:
    """Dues may be posted from the day after filing to the project's last day (art. 15)."""
    lo = max(inst.filed + datetime.timedelta(days=1), config.ledger_start)
    hi = min(inst.end, config.ledger_end)
    return lo, hi


def spend_months(inst: Instance, config: OrgConfig) -> list[Month]:
    """Benefits are paid from the second month of cover to three months after its end."""
    first = add_months(month_of(inst.start), 1)
    last = min(add_months(month_of(inst.end), 3), config.last_month)
    return list(months(first, last))


def _dues_weight(ym: Month) -> Decimal:
    return {12: Decimal(3), 1: Decimal(4), 2: Decimal(2), 3: Decimal(2), 11: Decimal("0.5")}.get(
        ym[1], Decimal("0.3")
    )


def allocate(total: int, weights: list[Decimal]) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder, ties by position)."""
    if total <= 0 or not weights:
        return [0] * len(weights)
    wsum = sum(weights)
    if wsum <= 0:
        return [0] * len(weights)
    exact = [Decimal(total) * w / wsum for w in weights]
    counts = [int(x.to_integral_value(rounding=ROUND_FLOOR)) for x in exact]
    rest = total - sum(counts)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in order[:rest]:
        counts[i] += 1
    return counts


_Adder = Callable[..., None]


def _skeleton(config: OrgConfig, instances: list[Instance], host: int | None) -> list[Event]:
    events: list[Event] = []

    def add(date: datetime.date, kind: str, inst: int = -1) -> None:
        if config.ledger_start <= date <= config.ledger_end:
            events.append(Event(date, len(events), kind, inst))

    add(config.ledger_start, "opening")
    for ym in months(config.first_month, config.last_month):
        add(business_day_on_or_after(ym, 10), "payroll")
        if ym[1] == 3:
            add(business_day_on_or_after(ym, 18), "subsidy")
        if ym[1] % 3 == 0:
            add(datetime.date(ym[0], ym[1], 21), "zh-interest")
    donation_done = False
    for inst in instances:
        i = inst.index
        months_spent = spend_months(inst, config)
        for ym in months_spent:
            add(last_business_day(add_months(ym, -1)), "transfer", i)
        lo, _ = dues_window(inst, config)
        for ym in months(month_of(lo), min(add_months(month_of(inst.end), 3), config.last_month)):
            if ym[1] % 3 == 0:
                add(datetime.date(ym[0], ym[1], 21), "s-interest", i)
        cover_last = min(month_of(inst.end), config.last_month)
        for ym in months(month_of(inst.start), cover_last):
            if ym[1] % 3 == 0:
                add(last_business_day(ym), "alloc", i)
                nxt = add_months(ym, 1)
                if nxt in months_spent:
                    add(business_day_on_or_after(nxt, 12), "repay", i)
        if inst.line.term == 1:
            placed = business_day_on_or_after(add_months(month_of(inst.start), 1), 15)
            add(placed, "td-place", i)
            matures = _add_years(placed, 1) - datetime.timedelta(days=184)
            if placed <= config.ledger_end:
                add(matures, "td-mature", i)
        else:
            bought = business_day_on_or_after(add_months(month_of(inst.start), 2), 15)
            add(bought, "bond-buy", i)
            coupon = _add_years(bought, 1)
            while coupon <= inst.end:
                add(coupon, "coupon", i)
                coupon = _add_years(coupon, 1)
        if not donation_done and (inst.line.term == 1 or len(instances) == 1):
            add(business_day_on_or_after(add_months(month_of(inst.start), 4), 8), "donation", i)
            donation_done = True
    if config.violations:
        _violation_events(config, instances, host, add)
    return events


def _violation_events(
    config: OrgConfig, instances: list[Instance], host: int | None, add: _Adder
) -> None:
    year2 = min(config.start_year + 1, config.start_year + config.years - 1)
    add(business_day_on_or_after((config.start_year, 12), 20), "v-same-person")
    add(business_day_on_or_after((year2, 8), 12), "v-no-decision")
    add(business_day_on_or_after((year2, 12), 18), "v-overrun")
    if host is not None:
        inst = instances[host]
        start = month_of(inst.start)
        add(business_day_on_or_after(add_months(start, 3), 10), "v-wealth", host)
        add(business_day_on_or_after(add_months(start, 5), 16), "v-sit-pay", host)
        cross = add_months(start, 7)
        if cross in spend_months(inst, config):
            add(business_day_on_or_after(cross, 20), "v-cross-fund", host)
        early = inst.filed - datetime.timedelta(days=4)
        if early >= max(config.ledger_start, inst.declared):
            add(early, "v-early-dues", host)


def _pick_host(config: OrgConfig, instances: list[Instance]) -> int | None:
    if not config.violations or not instances:
        return None
    line_idx = min(1, config.projects - 1)
    line = project_line(line_idx)
    candidates = [i for i in instances if i.line == line]
    later = [i for i in candidates if i.start.year == config.start_year + 1]
    return (later or candidates)[0].index


def _cells(
    config: OrgConfig, instances: list[Instance], variable: int
) -> dict[tuple[str, int, Month], int]:
    shares = allocate(variable, [share for _, share in CATEGORY_SHARES])
    budget = dict(zip([name for name, _ in CATEGORY_SHARES], shares, strict=True))
    cells: dict[tuple[str, int, Month], int] = {}

    # Dues: one batch reserved in every project's first collection month, so that
    # each project has money before it pays anything.
    keys: list[tuple[str, int, Month]] = []
    weights: list[Decimal] = []
    reserved = 0
    for inst in instances:
        lo, hi = dues_window(inst, config)
        if lo > hi:
            continue
        first = True
        for ym in months(month_of(lo), month_of(hi)):
            keys.append(("dues", inst.index, ym))
            weights.append(_dues_weight(ym))
            cells[("dues", inst.index, ym)] = 1 if first else 0
            reserved += 1 if first else 0
            first = False
    for key, n in zip(keys, allocate(budget["dues"] - reserved, weights), strict=True):
        cells[key] += n

    keys, weights = [], []
    for inst in instances:
        sm = spend_months(inst, config)
        for k, ym in enumerate(sm):
            keys.append(("benefit", inst.index, ym))
            after_end = ym > month_of(inst.end)
            weights.append(Decimal("0.5") if k < 2 else Decimal("0.6") if after_end else Decimal(1))
    for key, n in zip(keys, allocate(budget["benefit"], weights), strict=True):
        cells[key] = n

    keys, weights = [], []
    for inst in instances:
        for ym in spend_months(inst, config):
            if ym <= month_of(inst.end):
                keys.append(("service", inst.index, ym))
                weights.append(Decimal(1))
    for key, n in zip(keys, allocate(budget["service"], weights), strict=True):
        cells[key] = n

    office_keys = [("office", -1, ym) for ym in months(config.first_month, config.last_month)]
    office_weights = [Decimal("1.5") if ym[1] == 12 else Decimal(1) for _, _, ym in office_keys]
    for key, n in zip(office_keys, allocate(budget["office"], office_weights), strict=True):
        cells[key] = n
    return cells


def _decisions(
    config: OrgConfig, events: list[Event]
) -> tuple[dict[tuple[str, int, datetime.date], str], dict[str, datetime.date]]:
    """Number the collective decisions by date within each year: D2024-03 ..."""
    wanted: list[tuple[datetime.date, str, int, datetime.date]] = []
    for year in range(config.start_year, config.start_year + config.years):
        meeting = business_day_on_or_after((year - 1, 12), 20)
        wanted.append((meeting, "budget", year, meeting))
    for event in events:
        if event.kind in ("td-place", "bond-buy", "v-wealth"):
            meeting = event.date - datetime.timedelta(days=6)
            while meeting.weekday() >= 5:
                meeting -= datetime.timedelta(days=1)
            wanted.append((meeting, event.kind, event.inst, event.date))
    wanted.sort()
    ids: dict[tuple[str, int, datetime.date], str] = {}
    dates: dict[str, datetime.date] = {}
    per_year: dict[int, int] = defaultdict(int)
    for meeting, kind, inst, date in wanted:
        per_year[meeting.year] += 1
        ident = f"D{meeting.year}-{per_year[meeting.year]:02d}"
        ids[(kind, inst, date)] = ident
        dates[ident] = meeting
    return ids, dates


def minimum_transactions(config: OrgConfig) -> int:
    instances = build_instances(config)
    host = _pick_host(config, instances)
    return len(_skeleton(config, instances, host)) + 2 * len(instances) + 10


def validate(config: OrgConfig) -> None:
    if not 1 <= config.projects <= MAX_PROJECT_LINES:
        raise PlanError(
            f"--projects 应在 1 到 {MAX_PROJECT_LINES} 之间（得到 {config.projects}）",
            f"--projects must be between 1 and {MAX_PROJECT_LINES} (got {config.projects})",
        )
    if not 1 <= config.years <= MAX_YEARS:
        raise PlanError(f"--years 应在 1 到 {MAX_YEARS} 之间", f"--years must be 1..{MAX_YEARS}")
    if not MIN_START_YEAR <= config.start_year <= MAX_START_YEAR:
        raise PlanError(
            f"--start-year 应在 {MIN_START_YEAR} 到 {MAX_START_YEAR} 之间",
            f"--start-year must be {MIN_START_YEAR}..{MAX_START_YEAR}",
        )
    minimum = minimum_transactions(config)
    if config.transactions < minimum:
        raise PlanError(
            f"交易笔数 {config.transactions} 太少：{config.projects} 条项目线、{config.years} 年的"
            f"组织至少需要 {minimum} 笔（工资、资金划转、利息、分摊等固定业务）",
            f"{config.transactions} transactions are too few: {config.projects} project lines over "
            f"{config.years} years need at least {minimum}",
        )


def build_plan(config: OrgConfig) -> Plan:
    validate(config)
    instances = build_instances(config)
    host = _pick_host(config, instances)
    events = sorted(_skeleton(config, instances, host))
    cells = _cells(config, instances, config.transactions - len(events))
    ids, dates = _decisions(config, events)
    omitted = (
        config.start_year + config.years - 2 if config.violations and config.years >= 2 else None
    )
    return Plan(
        config=config,
        instances=instances,
        events=events,
        cells=cells,
        decisions=ids,
        decision_dates=dates,
        omitted_audit=omitted,
        host=host,
        spend_months={inst.index: spend_months(inst, config) for inst in instances},
    )
