"""Stream a spec-conformant organisation to disk, month by month.

Memory stays bounded by one month of entries whatever the size: the plan fixes
counts and dates up front, then each month's entries are produced, sorted and
appended to their files. Money is integer cents; randomness comes only from
`random.Random(seed)`, so the same configuration always writes the same bytes.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from hzledger.demo import accounts as acc
from hzledger.demo import render as r
from hzledger.demo.calendar import (
    Month,
    add_months,
    business_day_on_or_after,
    business_days,
    first_day,
    last_day,
    month_of,
    months,
)
from hzledger.demo.catalog import APPROVERS, DIRECTOR, PREPARERS, employer
from hzledger.demo.documents import DocumentWriter
from hzledger.demo.plan import Event, Instance, OrgConfig, Plan, build_plan, dues_window

LARGE_CAP = 45_000_000  # cents: ordinary payments stay under the 500,000 CNY large-amount line
ALLOC_CAP = 30_000_000  # a quarter's shared admin costs charged to one project
TRANSFER_STEP = 1_000_000  # transfers are round sums of 10,000 CNY
OFFICE_ITEMS = (
    "办公用品采购",
    "打印耗材采购",
    "邮寄快递费",
    "网络通讯费",
    "办公设备维修",
    "物业管理费",
    "水电费",
    "信息系统运维服务费",
)
ADMIN_ITEMS = ("差旅费报销", "业务工作会议费", "业务培训费", "审计咨询费", "公务用车运行维护费")
OFFICE_RANGE = (30_000, 1_200_000)
ADMIN_RANGE = (50_000, 2_000_000)
OFFICE_SHARE = 0.65
PAYROLL_RANGE = (5_800_000, 6_600_000)
PAYROLL_BUDGET = 90_000_000


@dataclass
class Violation:
    """A deliberate breach written into a `--violations` ledger, for its README and tests."""

    rules: tuple[str, ...]
    what: str
    file: str = ""
    line: int = 0
    date: datetime.date | None = None


@dataclass
class GenerationResult:
    """What one demo generation wrote and counted."""

    out_dir: Path
    config: OrgConfig
    transactions: int = 0
    files: dict[str, int] = field(default_factory=dict)  # file -> transactions
    members: int = 0
    claims: int = 0
    dues_cents: int = 0
    benefit_cents: int = 0
    decisions: int = 0
    violations: list[Violation] = field(default_factory=list)
    omitted_audit: int | None = None
    instances: list[Instance] = field(default_factory=list)

    @property
    def expected_rules(self) -> set[str]:
        return {rule for v in self.violations for rule in v.rules}


@dataclass(order=True)
class _Item:
    date: datetime.date
    seq: int
    file: str = field(compare=False)
    text: str = field(compare=False)
    mark: Violation | None = field(default=None, compare=False)
    is_txn: bool = field(default=True, compare=False)
    # Balance changes applied when the item's month is reached (planned payments).
    moves: tuple[tuple[str, int], ...] = field(default=(), compare=False)


class _Files:
    """Append-only text files under the organisation folder, counting lines as they grow."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.handles: dict[str, TextIO] = {}
        self.lines: dict[str, int] = {}

    def write(self, rel: str, text: str) -> int:
        """Append an entry after a blank line; return the line it starts on."""
        handle = self.handles.get(rel)
        if handle is None:
            path = self.root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = self.handles[rel] = path.open("w", encoding="utf-8", newline="\n")
            self.lines[rel] = 0
        if self.lines[rel]:
            handle.write("\n")
            self.lines[rel] += 1
        start = self.lines[rel] + 1
        handle.write(text)
        self.lines[rel] += text.count("\n")
        return start

    def close(self) -> None:
        for handle in self.handles.values():
            handle.close()


class Generator:
    def __init__(self, plan: Plan, out_dir: Path, name: str) -> None:
        self.plan = plan
        self.name = name
        self.config = plan.config
        self.rng = random.Random(self.config.seed)  # noqa: S311 (reproducible demo data, no secrets)
        self.files = _Files(out_dir)
        self.docs = DocumentWriter(out_dir, self.config)
        self.result = GenerationResult(
            out_dir=out_dir,
            config=self.config,
            instances=plan.instances,
            omitted_audit=plan.omitted_audit,
        )
        self.bal: dict[str, int] = defaultdict(int)
        self.start_bal: dict[str, int] = {}
        self.items: list[_Item] = []
        self.seq = 0
        self.pending: dict[Month, list[_Item]] = defaultdict(list)
        self.quarter_dues: dict[int, int] = defaultdict(int)
        self.alloc_due: dict[int, int] = {}
        self.td: dict[int, int] = {}
        self.bond_units: dict[int, int] = {}
        self.batch_no: dict[int, int] = defaultdict(int)
        self.spent: dict[tuple[str, int], int] = defaultdict(int)
        self.budgets: dict[tuple[str, int], int] = {}
        self.employers = self._employer_sizes()
        self.benefit_target = self._benefit_targets()

    # -- set-up --------------------------------------------------------------------------

    def _employer_sizes(self) -> list[int]:
        dues_total = sum(n for (cat, _, _), n in self.plan.cells.items() if cat == "dues")
        count = max(40, dues_total // max(1, len(self.plan.instances)))
        sizes = []
        for _ in range(count):
            band = self.rng.random()
            if band < 0.5:
                sizes.append(self.rng.randint(30, 300))
            elif band < 0.85:
                sizes.append(self.rng.randint(300, 2000))
            else:
                sizes.append(self.rng.randint(2000, 8000))
        return sizes

    def _benefit_targets(self) -> dict[int, int]:
        """Mean benefit batch (cents) giving each project a loss ratio near 72%."""
        mean_members = sum(self.employers) / len(self.employers) * 0.8
        dues_n: dict[int, int] = defaultdict(int)
        ben_n: dict[int, int] = defaultdict(int)
        for (cat, i, _), n in self.plan.cells.items():
            if cat == "dues":
                dues_n[i] += n
            elif cat == "benefit":
                ben_n[i] += n
        targets = {}
        for inst in self.plan.instances:
            expected = dues_n[inst.index] * mean_members * inst.line.rate * 100
            targets[inst.index] = int(0.72 * expected / max(1, ben_n[inst.index]))
        return targets

    # -- helpers -------------------------------------------------------------------------

    def _people(self) -> list[tuple[str, str | int]]:
        return [
            ("prepared-by", self.rng.choice(PREPARERS)),
            ("approved-by", self.rng.choice(APPROVERS)),
        ]

    def _add(
        self,
        date: datetime.date,
        file: str,
        text: str,
        *,
        mark: Violation | None = None,
        txn: bool = True,
        target: list[_Item] | None = None,
    ) -> None:
        self.seq += 1
        (self.items if target is None else target).append(
            _Item(date, self.seq, file, text, mark, txn)
        )

    def _move(self, *pairs: tuple[str, int]) -> None:
        for account, amount in pairs:
            self.bal[account] += amount

    def _day(
        self, ym: Month, lo: datetime.date | None = None, hi: datetime.date | None = None
    ) -> datetime.date:
        start = max(first_day(ym), lo) if lo else first_day(ym)
        end = min(last_day(ym), hi) if hi else last_day(ym)
        return self.rng.choice(business_days(start, end))

    def _decision(
        self, kind: str, inst: int, date: datetime.date, title: str, limit_cents: int
    ) -> str:
        ident = self.plan.decisions[(kind, inst, date)]
        meeting = self.plan.decision_dates[ident]
        self._write_decision(ident, meeting, title, limit_cents)
        return ident

    def _write_decision(
        self, ident: str, meeting: datetime.date, title: str, limit_cents: int | None
    ) -> None:
        doc = self.docs.minutes(ident, meeting, title, limit_cents)
        meta = [("body", r.quote("理事会"))]
        if limit_cents is not None:
            meta.append(("limit", f"{limit_cents // 100} CNY"))
        meta.append(("document", r.quote(doc)))
        nth = int(ident.split("-")[1])
        text = r.custom(
            meeting,
            "hz-decision",
            [r.quote(ident), r.quote(f"理事会{meeting.year}年第{nth}次会议：{title}")],
            meta,
        )
        self._add(meeting, "decisions.beancount", text, txn=False)
        self.result.decisions += 1

    # -- headers -------------------------------------------------------------------------

    def _write_headers(self) -> None:
        cfg = self.config
        main = self.docs.main_header(self.plan)
        self.files.write("main.beancount", main)
        zh = "funds/ZH.beancount"
        d0 = datetime.date(cfg.start_year - 1, 11, 1)
        self.files.write(
            zh,
            f"; {acc.ZH_NAME}：本会自身的运营基金（工作人员工资、办公和日常管理）。\n"
            + r.custom(d0, "hz-fund", [r.quote("ZH"), r.quote(acc.ZH_NAME)]),
        )
        opens = [
            r.open_account(d0, acc.ZH_BANK, "bank"),
            r.open_account(d0, acc.ZH_EQUITY, "net-assets"),
            r.open_account(d0, acc.ZH_SUBSIDY, "subsidy"),
            r.open_account(d0, acc.ZH_INTEREST, "interest"),
            r.open_account(d0, acc.ZH_PAYROLL, "payroll"),
            r.open_account(d0, acc.ZH_OFFICE, "office"),
            r.open_account(d0, acc.ZH_ADMIN, "admin"),
        ]
        if cfg.violations:
            opens.append(r.open_account(d0, acc.ZH_FIXED, "fixed-asset"))
        opens += [
            r.open_account(inst.declared, acc.zh_receivable(inst.code), "interfund")
            for inst in self.plan.instances
        ]
        self.files.write(zh, "".join(opens).replace("\n20", "\n\n20"))
        self.files.write(
            "decisions.beancount",
            "; 集体决策记录（第三十条）：大额资金使用须链接（^编号）到这里的决策。\n",
        )
        self.files.write("audits.beancount", "; 内部稽核与外部年度审计（第三十二条）。\n")
        for inst in self.plan.instances:
            self._write_project_header(inst)

    def _write_project_header(self, inst: Instance) -> None:
        line = inst.line
        d = inst.declared
        actuarial = self.docs.actuarial(inst)
        head = (
            f"; {inst.title}：保障期 {inst.start} 至 {inst.end}，单独核算（第十七条）。\n"
            + r.custom(
                d,
                "hz-project",
                [r.quote(inst.code), r.quote(inst.title)],
                [
                    ("start", str(inst.start)),
                    ("end", str(inst.end)),
                    ("filing", r.quote(inst.filing)),
                    ("filed", str(inst.filed)),
                    ("actuarial", r.quote(actuarial)),
                    # What one payment buys (LEDGER-SPEC v1.1 §3): multi-year plans collect
                    # yearly dues, one-year plans dues for the whole term.
                    ("dues-cover", r.quote("year" if line.term > 1 else "term")),
                ],
            )
        )
        self.files.write(inst.file, head)
        opens = [
            r.open_account(d, acc.collection(inst.code), "bank", role="collection"),
            r.open_account(d, acc.expenditure(inst.code), "bank", role="expenditure"),
        ]
        if line.term == 1:
            opens.append(r.open_account(d, acc.term_deposit(inst.code), "term-deposit"))
        elif inst.bond:
            opens.append(
                r.open_account(d, acc.bonds(inst.code), "treasury-bond", currency=inst.bond)
            )
        opens += [
            r.open_account(d, acc.payable_zh(inst.code), "interfund"),
            r.open_account(d, acc.dues(inst.code), "dues"),
            r.open_account(d, acc.interest(inst.code), "interest"),
        ]
        if any(e.kind == "donation" and e.inst == inst.index for e in self.plan.events):
            opens.append(r.open_account(d, acc.donation(inst.code), "donation"))
        opens += [
            r.open_account(d, acc.benefit(inst.code), "benefit"),
            r.open_account(d, acc.service(inst.code, line.service_account), line.service_kind),
            r.open_account(d, acc.admin_share(inst.code), "admin"),
        ]
        self.files.write(inst.file, "".join(opens).replace("\n20", "\n\n20"))
        if self.plan.host == inst.index:
            mark = Violation(
                ("HZ-A28",),
                f"开设银行理财产品账户（{acc.wealth(inst.code)}，第二十八条禁止的投资品种）",
                date=d,
            )
            mark.line = self.files.write(
                inst.file, r.open_account(d, acc.wealth(inst.code), "wealth-product")
            )
            mark.file = inst.file
            self.result.violations.append(mark)

    # -- the month loop ------------------------------------------------------------------

    def run(self) -> GenerationResult:
        self._write_headers()
        cfg = self.config
        for ym in months(cfg.first_month, cfg.last_month):
            self.start_bal = dict(self.bal)
            if ym[1] == 1:
                self._year_start(ym[0])
            for event in self.plan.events_in(ym):
                self._skeleton(event, ym)
            for item in self.pending.pop(ym, []):
                self._move(*item.moves)
                self.items.append(item)
            self._dues(ym)
            self._office(ym)
            self._plan_next(ym)
            self._flush()
            self._balances(ym)
        self._audits()
        self.files.close()
        self.docs.readme(self.plan, self.result, self.name)
        return self.result

    def _flush(self) -> None:
        self.items.sort()
        for item in self.items:
            line = self.files.write(item.file, item.text)
            if item.is_txn:
                self.result.transactions += 1
                self.result.files[item.file] = self.result.files.get(item.file, 0) + 1
            if item.mark is not None:
                item.mark.file, item.mark.line, item.mark.date = item.file, line, item.date
                self.result.violations.append(item.mark)
        self.items = []

    def _balances(self, ym: Month) -> None:
        day = first_day(add_months(ym, 1))
        self.files.write("funds/ZH.beancount", r.balance(day, acc.ZH_BANK, self.bal[acc.ZH_BANK]))
        for inst in self.plan.instances:
            if inst.declared < day:
                text = r.balance(
                    day, acc.collection(inst.code), self.bal[acc.collection(inst.code)]
                ) + r.balance(day, acc.expenditure(inst.code), self.bal[acc.expenditure(inst.code)])
                self.files.write(inst.file, text)

    def _year_start(self, year: int) -> None:
        cfg = self.config
        meeting = business_day_on_or_after((year - 1, 12), 20)
        ident = self.plan.decisions[("budget", year, meeting)]
        self._write_decision(ident, meeting, f"审议{year}年度预算（含管理费用预算）", None)
        count = sum(
            n for (cat, _, ym), n in self.plan.cells.items() if cat == "office" and ym[0] == year
        )
        mean_office = sum(OFFICE_RANGE) // 2
        mean_admin = sum(ADMIN_RANGE) // 2
        office = count * OFFICE_SHARE * mean_office
        admin = count * (1 - OFFICE_SHARE) * mean_admin
        tight = cfg.violations and year == min(cfg.start_year + 1, cfg.start_year + cfg.years - 1)
        budgets = {
            acc.ZH_PAYROLL: PAYROLL_BUDGET,
            acc.ZH_OFFICE: _round_up(office + 2_000_000 if tight else office * 1.3 + 5_000_000),
            acc.ZH_ADMIN: _round_up(admin * 1.3 + 5_000_000),
        }
        day = datetime.date(year, 1, 1)
        for account, amount in budgets.items():
            self.budgets[(account, year)] = amount
            self._add(
                day,
                "funds/ZH.beancount",
                f'{day} custom "budget" {account} "yearly" {r.cents(amount)} CNY\n',
                txn=False,
            )

    # -- skeleton transactions -----------------------------------------------------------

    def _skeleton(self, event: Event, ym: Month) -> None:
        handler = getattr(self, "_ev_" + event.kind.replace("-", "_"), None)
        if handler is not None:
            handler(event, ym)

    def _ev_opening(self, event: Event, _ym: Month) -> None:
        # Enough to advance every project's shared costs for a quarter.
        amount = 300_000_000 + ALLOC_CAP * self.config.projects * 2
        self._move((acc.ZH_BANK, amount))
        self._add(
            event.date,
            "funds/ZH.beancount",
            r.transaction(
                event.date,
                f"{self.config.start_year - 1}年末净资产结转（期初余额）",
                [(acc.ZH_BANK, amount), (acc.ZH_EQUITY, None)],
            ),
        )

    def _ev_payroll(self, event: Event, ym: Month) -> None:
        amount = self.rng.randint(*PAYROLL_RANGE)
        self._spend(acc.ZH_PAYROLL, event.date, amount)
        self._add(
            event.date,
            "funds/ZH.beancount",
            r.transaction(
                event.date,
                f"{ym[1]}月工作人员工资及社会保险",
                [(acc.ZH_PAYROLL, amount), (acc.ZH_BANK, None)],
                meta=self._people(),
            ),
        )

    def _ev_subsidy(self, event: Event, ym: Month) -> None:
        # The supervising union funds the organisation's running costs (art. 24(三)).
        count = sum(
            n for (cat, _, ym2), n in self.plan.cells.items() if cat == "office" and ym2[0] == ym[0]
        )
        running = (
            count * (OFFICE_SHARE * sum(OFFICE_RANGE) + (1 - OFFICE_SHARE) * sum(ADMIN_RANGE)) / 2
        )
        amount = _round_up((running + PAYROLL_BUDGET) * self.rng.uniform(1.0, 1.2), 1_000_000)
        self._move((acc.ZH_BANK, amount))
        union = (
            self.config.parent if self.config.level == "province" else f"{self.config.city}市总工会"
        )
        self._add(
            event.date,
            "funds/ZH.beancount",
            r.transaction(
                event.date,
                f"{ym[0]}年度互助保障工作经费补助",
                [(acc.ZH_BANK, amount), (acc.ZH_SUBSIDY, None)],
                payee=union or "示例省总工会",
            ),
        )

    def _ev_zh_interest(self, event: Event, _ym: Month) -> None:
        amount = max(1, self.start_bal.get(acc.ZH_BANK, 0) * 35 // 40_000)
        self._move((acc.ZH_BANK, amount))
        self._add(
            event.date,
            "funds/ZH.beancount",
            r.transaction(
                event.date, "基本户季度结息", [(acc.ZH_BANK, amount), (acc.ZH_INTEREST, None)]
            ),
        )

    def _ev_s_interest(self, event: Event, _ym: Month) -> None:
        inst = self.plan.instances[event.inst]
        account = acc.collection(inst.code)
        amount = max(1, self.start_bal.get(account, 0) * 35 // 40_000)
        self._move((account, amount))
        self._add(
            event.date,
            inst.file,
            r.transaction(
                event.date, "收入户季度结息", [(account, amount), (acc.interest(inst.code), None)]
            ),
        )

    def _ev_alloc(self, event: Event, ym: Month) -> None:
        inst = self.plan.instances[event.inst]
        amount = min(
            _round_to(500_000 + self.quarter_dues[inst.index] * 2 // 100, 10_000), ALLOC_CAP
        )
        self.quarter_dues[inst.index] = 0
        self.alloc_due[inst.index] = amount
        self._move((acc.ZH_BANK, -amount))
        quarter = (ym[1] - 1) // 3 + 1
        self._add(
            event.date,
            inst.file,
            r.transaction(
                event.date,
                f"分摊{ym[0]}年第{quarter}季度共同管理费用（综合管理基金代垫）",
                [
                    (acc.admin_share(inst.code), amount),
                    (acc.payable_zh(inst.code), -amount),
                    (acc.zh_receivable(inst.code), amount),
                    (acc.ZH_BANK, -amount),
                ],
                meta=self._people(),
            ),
        )

    def _ev_td_place(self, event: Event, _ym: Month) -> None:
        inst = self.plan.instances[event.inst]
        s = acc.collection(inst.code)
        base = self.start_bal.get(s, 0) * 4 // 10
        amount = _round_down(base, TRANSFER_STEP) if base >= TRANSFER_STEP else max(base, 100_000)
        self.td[inst.index] = amount
        ident = self._decision(
            "td-place",
            inst.index,
            event.date,
            f"{inst.line.short}项目闲置资金转存六个月定期存款",
            _round_up(amount),
        )
        self._move((s, -amount))
        self._add(
            event.date,
            inst.file,
            r.transaction(
                event.date,
                f"{inst.line.short}项目资金转存六个月定期存款",
                [(acc.term_deposit(inst.code), amount), (s, -amount)],
                payee="示例银行营业部",
                meta=self._people(),
                tags=("collective-decision",),
                links=(ident,),
            ),
        )

    def _ev_td_mature(self, event: Event, _ym: Month) -> None:
        inst = self.plan.instances[event.inst]
        principal = self.td.pop(inst.index, 0)
        if not principal:
            return
        gain = principal * 155 // 20_000  # 1.55% a year, for half a year
        s = acc.collection(inst.code)
        self._move((s, principal + gain))
        self._add(
            event.date,
            inst.file,
            r.transaction(
                event.date,
                "六个月定期存款到期，本息转回收入户",
                [
                    (s, principal + gain),
                    (acc.term_deposit(inst.code), -principal),
                    (acc.interest(inst.code), -gain),
                ],
                payee="示例银行营业部",
            ),
        )

    def _ev_bond_buy(self, event: Event, _ym: Month) -> None:
        inst = self.plan.instances[event.inst]
        s = acc.collection(inst.code)
        units = max(100, self.start_bal.get(s, 0) * 3 // 10 // 10_000 // 100 * 100)
        cost = units * 10_000
        self.bond_units[inst.index] = units
        ident = self._decision(
            "bond-buy",
            inst.index,
            event.date,
            f"{inst.line.short}项目资金购买记账式国债",
            _round_up(cost),
        )
        self._move((s, -cost))
        self._add(
            event.date,
            inst.file,
            r.transaction(
                event.date,
                f"购买{event.date.year}年记账式附息国债（{inst.bond}）",
                [(acc.bonds(inst.code), units, f"{units} {inst.bond} {{100.00 CNY}}"), (s, -cost)],
                payee="示例证券登记结算机构",
                meta=self._people(),
                tags=("collective-decision",),
                links=(ident,),
            ),
        )

    def _ev_coupon(self, event: Event, _ym: Month) -> None:
        inst = self.plan.instances[event.inst]
        coupon = self.bond_units.get(inst.index, 0) * 10_000 * 248 // 10_000  # 2.48%
        if not coupon:
            return
        s = acc.collection(inst.code)
        self._move((s, coupon))
        self._add(
            event.date,
            inst.file,
            r.transaction(
                event.date,
                f"国债（{inst.bond}）年度付息",
                [(s, coupon), (acc.interest(inst.code), None)],
            ),
        )

    def _ev_donation(self, event: Event, _ym: Month) -> None:
        inst = self.plan.instances[event.inst]
        amount = 20_000_000
        s = acc.collection(inst.code)
        self._move((s, amount))
        self._add(
            event.date,
            inst.file,
            r.transaction(
                event.date,
                f"定向捐赠（用于{inst.line.short}项目困难会员救助）",
                [(s, amount), (acc.donation(inst.code), None)],
                payee=f"{self.config.city}慈善总会",
            ),
        )

    # -- violations (only with --violations) ----------------------------------------------

    def _ev_v_same_person(self, event: Event, ym: Month) -> None:
        amount = 6_800_000
        self._spend(acc.ZH_PAYROLL, event.date, amount)
        mark = Violation(
            ("HZ-A31",),
            f"年度考核奖励 {r.yuan(amount)} 元由{DIRECTOR}本人经办又本人审批"
            "（不相容岗位未分离，第三十一条）",
        )
        self._add(
            event.date,
            "funds/ZH.beancount",
            r.transaction(
                event.date,
                f"发放{ym[0]}年度考核奖励",
                [(acc.ZH_PAYROLL, amount), (acc.ZH_BANK, None)],
                meta=[("prepared-by", DIRECTOR), ("approved-by", DIRECTOR)],
            ),
            mark=mark,
        )

    def _ev_v_no_decision(self, event: Event, _ym: Month) -> None:
        amount = 62_000_000
        self._move((acc.ZH_BANK, -amount))
        mark = Violation(
            ("HZ-A30",), "购置信息系统设备 620,000.00 元，达到大额标准却无集体决策记录（第三十条）"
        )
        self._add(
            event.date,
            "funds/ZH.beancount",
            r.transaction(
                event.date,
                "购置互助保障业务信息系统服务器及软件",
                [(acc.ZH_FIXED, amount), (acc.ZH_BANK, None)],
                payee="示例信息技术有限公司",
                meta=self._people(),
            ),
            mark=mark,
        )

    def _ev_v_overrun(self, event: Event, _ym: Month) -> None:
        year = event.date.year
        budget = self.budgets.get((acc.ZH_OFFICE, year), 0)
        room = budget - self.spent[(acc.ZH_OFFICE, year)]
        amount = min(max(room + 6_000_000, 6_000_000), LARGE_CAP)
        rules = ("HZ-A26",) if self.spent[(acc.ZH_OFFICE, year)] + amount > budget else ()
        self._spend(acc.ZH_OFFICE, event.date, amount)
        mark = Violation(
            rules,
            f"{year} 年末集中采购办公家具设备 {r.yuan(amount)} 元，"
            "办公费超出年度预算（第二十六条）",
        )
        self._add(
            event.date,
            "funds/ZH.beancount",
            r.transaction(
                event.date,
                "年末集中采购办公家具及设备",
                [(acc.ZH_OFFICE, amount), (acc.ZH_BANK, None)],
                payee="示例办公家具有限公司",
                meta=self._people(),
            ),
            mark=mark,
        )

    def _ev_v_wealth(self, event: Event, _ym: Month) -> None:
        inst = self.plan.instances[event.inst]
        s = acc.collection(inst.code)
        amount = max(100_000, _round_down(self.start_bal.get(s, 0) * 3 // 10, 100_000))
        ident = self._decision(
            "v-wealth",
            inst.index,
            event.date,
            f"{inst.line.short}项目资金购买银行理财产品",
            _round_up(amount),
        )
        self._move((s, -amount))
        mark = Violation(
            ("HZ-A28", "HZ-A29"),
            f"用收入户资金 {r.yuan(amount)} 元购买银行理财产品：第二十八条禁止；"
            "且收入户直接对外支付（第二十九条）",
        )
        self._add(
            event.date,
            inst.file,
            r.transaction(
                event.date,
                "购买“稳盈”系列银行理财产品（非保本浮动收益）",
                [(acc.wealth(inst.code), amount), (s, -amount)],
                payee="示例银行营业部",
                meta=self._people(),
                tags=("collective-decision",),
                links=(ident,),
            ),
            mark=mark,
        )

    def _ev_v_sit_pay(self, event: Event, _ym: Month) -> None:
        inst = self.plan.instances[event.inst]
        s = acc.collection(inst.code)
        amount = 3_680_000
        self._move((s, -amount))
        mark = Violation(
            ("HZ-A29",),
            f"直接从收入户支付互助金 {r.yuan(amount)} 元（坐支，违反收支两条线，第二十九条）",
        )
        self._add(
            event.date,
            inst.file,
            r.transaction(
                event.date,
                f"{inst.line.short}互助金给付（从收入户直接支付）",
                [(acc.benefit(inst.code), amount), (s, None)],
                meta=[("claims", 12), *self._people()],
            ),
            mark=mark,
        )

    def _ev_v_early_dues(self, event: Event, _ym: Month) -> None:
        inst = self.plan.instances[event.inst]
        members = 900
        amount = members * inst.line.rate * 100
        self._income_dues(inst, amount, members)
        mark = Violation(
            ("HZ-A15",),
            f"{inst.code} 项目在备案日（{inst.filed}）之前收取会费 {r.yuan(amount)} 元（第十五条）",
        )
        self._add(
            event.date,
            inst.file,
            r.transaction(
                event.date,
                f"{inst.start.year}年度{inst.line.short}互助会费（预收）",
                [(acc.collection(inst.code), amount), (acc.dues(inst.code), None)],
                payee=employer(self.config.city, 0),
                meta=[("members", members)],
            ),
            mark=mark,
        )

    # -- variable transactions -----------------------------------------------------------

    def _income_dues(self, inst: Instance, amount: int, members: int) -> None:
        self._move((acc.collection(inst.code), amount))
        self.quarter_dues[inst.index] += amount
        self.result.members += members
        self.result.dues_cents += amount

    def _dues(self, ym: Month) -> None:
        city = self.config.city
        for inst in self.plan.instances:
            n = self.plan.cells.get(("dues", inst.index, ym), 0)
            if not n:
                continue
            lo, hi = dues_window(inst, self.config)
            cover_year = _dues_year(inst, ym)
            for _ in range(n):
                date = self._day(ym, lo, hi)
                who = self.rng.randrange(len(self.employers))
                members = max(1, int(self.employers[who] * self.rng.uniform(0.6, 1.0)))
                amount = members * inst.line.rate * 100
                self._income_dues(inst, amount, members)
                meta: list[tuple[str, str | int | datetime.date]] = [("members", members)]
                if inst.line.term > 1 and cover_year != max(date.year, inst.start.year):
                    # December collects next year's dues: say so, or the payment's
                    # project year (dues-cover "year") would be the current one.
                    first = inst.start.replace(year=cover_year)
                    last = min(
                        inst.end, first.replace(year=cover_year + 1) - datetime.timedelta(days=1)
                    )
                    meta += [("coverage-start", first), ("coverage-end", last)]
                self._add(
                    date,
                    inst.file,
                    r.transaction(
                        date,
                        f"{cover_year}年度{inst.line.short}互助会费",
                        [(acc.collection(inst.code), amount), (acc.dues(inst.code), None)],
                        payee=employer(city, who),
                        meta=meta,
                    ),
                )

    def _office(self, ym: Month) -> None:
        for _ in range(self.plan.cells.get(("office", -1, ym), 0)):
            date = self._day(ym)
            if self.rng.random() < OFFICE_SHARE:
                account, item, span = acc.ZH_OFFICE, self.rng.choice(OFFICE_ITEMS), OFFICE_RANGE
            else:
                account, item, span = acc.ZH_ADMIN, self.rng.choice(ADMIN_ITEMS), ADMIN_RANGE
            amount = self.rng.randint(*span)
            room = self.budgets.get((account, ym[0]), amount) - self.spent[(account, ym[0])]
            if room > 0:  # only a --violations ledger is ever past its budget
                amount = max(1, min(amount, room))
            self._spend(account, date, amount)
            self._add(
                date,
                "funds/ZH.beancount",
                r.transaction(
                    date, item, [(account, amount), (acc.ZH_BANK, None)], meta=self._people()
                ),
            )

    def _spend(self, account: str, date: datetime.date, amount: int) -> None:
        self.spent[(account, date.year)] += amount
        self._move((acc.ZH_BANK, -amount))

    def _plan_next(self, ym: Month) -> None:
        """Plan next month's payments of every project and fund them by a transfer today."""
        nxt = add_months(ym, 1)
        for event in self.plan.events_in(ym):
            if event.kind == "transfer":
                self._plan_project(self.plan.instances[event.inst], event.date, nxt)

    def _plan_project(self, inst: Instance, today: datetime.date, nxt: Month) -> None:
        code, line = inst.code, inst.line
        z, s = acc.expenditure(code), acc.collection(code)
        # (date, claims for a benefit batch or None for an activity, cents)
        payments: list[tuple[datetime.date, int | None, int]] = []
        # Fixed payments first: they are never scaled down.
        fixed = 0
        later = [e for e in self.plan.events_in(nxt) if e.inst == inst.index]
        for event in later:
            if event.kind == "repay":
                amount = self.alloc_due.pop(inst.index, 0)
                if amount:
                    fixed += amount
                    self.pending[nxt].append(
                        _Item(
                            event.date,
                            self._next_seq(),
                            inst.file,
                            r.transaction(
                                event.date,
                                "归还综合管理基金代垫的管理费用",
                                [
                                    (acc.payable_zh(code), amount),
                                    (z, -amount),
                                    (acc.ZH_BANK, amount),
                                    (acc.zh_receivable(code), -amount),
                                ],
                                meta=self._people(),
                            ),
                            moves=((z, -amount), (acc.ZH_BANK, amount)),
                        )
                    )
            elif event.kind == "v-cross-fund":
                amount = 1_280_000
                fixed += amount
                self.spent[(acc.ZH_OFFICE, event.date.year)] += amount
                mark = Violation(
                    ("HZ-A17",),
                    f"用 {code} 项目支出户资金 {r.yuan(amount)} 元支付"
                    "综合管理基金的办公费（挪用项目资金，第十七条、第二十二条）",
                )
                self.pending[nxt].append(
                    _Item(
                        event.date,
                        self._next_seq(),
                        inst.file,
                        r.transaction(
                            event.date,
                            "支付本会办公场所物业费（由项目支出户垫付）",
                            [(acc.ZH_OFFICE, amount), (z, None)],
                            meta=self._people(),
                        ),
                        mark,
                        moves=((z, -amount),),
                    )
                )
        variable = 0
        for _ in range(self.plan.cells.get(("benefit", inst.index, nxt), 0)):
            date = self._day(nxt)
            mean_claim = (line.claim_low + line.claim_high) * 50
            claims = max(
                1, round(self.benefit_target[inst.index] / mean_claim * self.rng.uniform(0.5, 1.5))
            )
            per = int(mean_claim * self.rng.uniform(0.75, 1.25))
            claims = min(claims, max(1, LARGE_CAP // per))
            amount = claims * per + self.rng.randrange(100)
            variable += amount
            payments.append((date, claims, amount))
        for _ in range(self.plan.cells.get(("service", inst.index, nxt), 0)):
            date = self._day(nxt)
            amount = self.rng.randint(300_000, 6_000_000)
            variable += amount
            payments.append((date, None, amount))
        # Fund the month: what is needed beyond the expenditure account's balance,
        # never more than most of what the collection account holds.
        needed = fixed + variable - self.bal[z]
        transfer = max(TRANSFER_STEP, _round_up(needed * 105 // 100, TRANSFER_STEP))
        available = self.bal[s] * 8 // 10
        if transfer > available:
            transfer = max(1, _round_down(available, 10_000) or available)
        room = self.bal[z] + transfer - fixed
        if variable > room:
            factor = max(0, room) / variable if variable else 0
            payments = [(d, c, max(1, int(a * factor))) for d, c, a in payments]
        self._move((s, -transfer), (z, transfer))
        self._add(
            today,
            inst.file,
            r.transaction(
                today,
                f"收入户资金划转至支出户（{nxt[0]}年{nxt[1]}月给付备付）",
                [(z, transfer), (s, -transfer)],
                meta=self._people(),
            ),
        )
        for date, batch_claims, amount in sorted(payments, key=lambda p: p[0]):
            if batch_claims is not None:
                self.batch_no[inst.index] += 1
                self.result.claims += batch_claims
                self.result.benefit_cents += amount
                text = r.transaction(
                    date,
                    f"{line.short}互助金给付（第{self.batch_no[inst.index]}批）",
                    [(acc.benefit(code), amount), (z, None)],
                    meta=[("claims", batch_claims), *self._people()],
                )
            else:
                text = r.transaction(
                    date,
                    line.service_label,
                    [(acc.service(code, line.service_account), amount), (z, None)],
                    meta=self._people(),
                )
            self.pending[nxt].append(
                _Item(date, self._next_seq(), inst.file, text, moves=((z, -amount),))
            )

    def _next_seq(self) -> int:
        self.seq += 1
        return self.seq

    # -- audits --------------------------------------------------------------------------

    def _audits(self) -> None:
        cfg = self.config
        for year in range(cfg.start_year, cfg.start_year + cfg.years):
            internal = business_day_on_or_after((year + 1, 4), 20)
            external = business_day_on_or_after((year + 1, 5), 25)
            if self.plan.omitted_audit != year:
                report = self.docs.audit_report(year, "internal", internal)
                self.files.write(
                    "audits.beancount",
                    r.custom(
                        internal,
                        "hz-audit",
                        [r.quote("internal"), r.quote(str(year))],
                        [("report", r.quote(report))],
                    ),
                )
            else:
                self.result.violations.append(
                    Violation(
                        ("HZ-A32",),
                        f"{year} 年度未开展（未登记）内部稽核（第三十二条）",
                        file="audits.beancount",
                        line=0,
                        date=None,
                    )
                )
            report = self.docs.audit_report(year, "external", external)
            self.files.write(
                "audits.beancount",
                r.custom(
                    external,
                    "hz-audit",
                    [r.quote("external"), r.quote(str(year))],
                    [
                        ("auditor", r.quote("示例会计师事务所（特殊普通合伙）")),
                        ("report", r.quote(report)),
                    ],
                ),
            )


def _dues_year(inst: Instance, ym: Month) -> int:
    """The cover year a dues batch pays for: December already collects the next year's dues."""
    if ym[0] < inst.start.year:
        return inst.start.year
    if ym[1] == 12:
        return min(ym[0] + 1, inst.end.year)
    return ym[0]


def _round_up(value: float | int, step: int = 10_000_000) -> int:
    """Round cents up to a step (default 100,000 CNY)."""
    value = int(value)
    return -(-value // step) * step


def _round_down(value: int, step: int) -> int:
    return value // step * step


def _round_to(value: int, step: int) -> int:
    return (value + step // 2) // step * step


def generate(config: OrgConfig, out_dir: Path, *, name: str | None = None) -> GenerationResult:
    """Write the organisation described by `config` into `out_dir` (created if missing).

    `name` is how the README refers to the folder (default: its own name).
    """
    plan = build_plan(config)
    out_dir.mkdir(parents=True, exist_ok=True)
    return Generator(plan, out_dir, name or out_dir.name).run()


__all__ = ["GenerationResult", "OrgConfig", "Violation", "generate", "month_of"]
