"""LEDGER-SPEC v1.1: split payments, pads, dangling decision tags, metadata typos,
years without a budget, an article on every finding, and what `--as-of` moves.

Every test writes real ledger text, loads it with real Beancount (which runs the
plugin) and asserts rule, severity and line, on both sides of each boundary.
"""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hzledger.check import check_file
from hzledger.findings import Severity

from hztest import HEADER, Ledger, rules_of

BANK = "Assets:ZH:1002银行存款:J基本户"
OTHER = "Assets:ZH:1122其他应收款:W往来ZY24"


def pay(
    date: str, payee: str, amount: str, extra: str = "", *, fund: str = "ZH", meta: str = ""
) -> str:
    bank = BANK if fund == "ZH" else "Assets:ZY24:1002银行存款:Z支出户"
    target = OTHER if fund == "ZH" else "Expenses:ZY24:5101业务活动成本:H互助金"
    return f'{date} * "{payee}" "付款 {date}"{extra}\n{meta}  {target}  {amount} CNY\n  {bank}\n'


def a30(checked) -> list[tuple[Severity, int | None]]:
    return [(f.severity, f.line) for f in checked.findings if f.rule == "HZ-A30"]


# -- HZ-A30 split payments ------------------------------------------------------------------


@pytest.mark.parametrize(("second", "split"), [("2024-03-31", True), ("2024-04-01", False)])
def test_split_payment_window_is_inclusive(ledger: Ledger, second: str, split: bool) -> None:
    checked = ledger.write(
        pay("2024-03-01", "某科技公司", "300000.00") + pay(second, "某科技公司", "250000.00")
    ).check()
    if split:
        [finding] = checked.findings
        assert finding.rule == "HZ-A30" and finding.severity is Severity.WARNING
        assert finding.line == ledger.line(f"付款 {second}")
        assert finding.fund == "ZH" and finding.article == 30
        assert finding.message.startswith("违反第三十条：")
        # It names the other piece: its date and amount.
        assert "2024-03-01" in finding.message and "300,000.00" in finding.message
    else:
        assert checked.findings == []


def test_split_needs_the_pieces_to_reach_the_large_amount(ledger: Ledger) -> None:
    checked = ledger.write(
        pay("2024-03-01", "某科技公司", "300000.00") + pay("2024-03-05", "某科技公司", "199999.99")
    ).check()
    assert checked.findings == []


def test_split_other_payee_or_no_payee_is_not_grouped(ledger: Ledger) -> None:
    body = pay("2024-03-01", "某科技公司", "300000.00") + pay(
        "2024-03-05", "另一家公司", "250000.00"
    )
    body += '2024-03-06 * "无收款人的付款"\n'
    body += f"  {OTHER}  250000.00 CNY\n  {BANK}\n"
    body += '2024-03-07 * "无收款人的付款"\n'
    body += f"  {OTHER}  250000.00 CNY\n  {BANK}\n"
    assert ledger.write(body).check().findings == []


def test_split_is_judged_per_fund(ledger: Ledger) -> None:
    checked = ledger.write(
        pay("2024-03-01", "某医院", "300000.00")
        + pay("2024-03-05", "某医院", "250000.00", fund="ZY24")
    ).check()
    assert checked.findings == []


def test_split_piece_linked_to_a_decision_is_not_counted(ledger: Ledger) -> None:
    body = '2024-02-01 custom "hz-decision" "D2024-01" "理事会：采购系统"\n'
    body += pay("2024-03-01", "某科技公司", "300000.00", " #collective-decision ^D2024-01")
    body += pay("2024-03-05", "某科技公司", "250000.00")
    assert ledger.write(body).check().findings == []


def test_three_pieces_point_at_the_one_that_crosses(ledger: Ledger) -> None:
    checked = ledger.write(
        pay("2024-03-01", "某科技公司", "200000.00")
        + pay("2024-03-10", "某科技公司", "200000.00")
        + pay("2024-03-20", "某科技公司", "200000.00")
        + pay("2024-03-25", "某科技公司", "1000.00")
    ).check()
    assert a30(checked) == [(Severity.WARNING, ledger.line("付款 2024-03-20"))]
    assert "2024-03-01" in checked.findings[0].message
    assert "2024-03-10" in checked.findings[0].message


@pytest.mark.parametrize(("days", "split"), [("10", False), ("20", True)])
def test_split_window_policy(ledger: Ledger, days: str, split: bool) -> None:
    body = f'2024-01-01 custom "hz-policy" "split-window-days" {days}\n'
    body += pay("2024-03-01", "某科技公司", "300000.00") + pay(
        "2024-03-16", "某科技公司", "250000.00"
    )
    checked = ledger.write(body).check()
    assert rules_of(checked) == (["HZ-A30"] if split else [])


def test_split_window_policy_must_be_a_whole_number(ledger: Ledger) -> None:
    checked = ledger.write('2024-01-01 custom "hz-policy" "split-window-days" 7.5\n').check()
    [finding] = checked.findings
    assert finding.rule == "HZ-POLICY" and finding.article == 27
    assert finding.message.startswith("违反第二十七条：")


# A payment of at least the large amount, cut into 2..6 pieces paid within 30 days.
pieces = st.integers(min_value=50_000_000, max_value=200_000_000).flatmap(
    lambda total: st.tuples(
        st.just(total),
        st.lists(st.integers(1, total - 1), min_size=1, max_size=5, unique=True),
        st.lists(st.integers(0, 30), min_size=6, max_size=6),
    )
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=pieces)
def test_cutting_a_large_payment_never_escapes_both(
    tmp_path: Path, case: tuple[int, list[int], list[int]]
) -> None:
    total, cuts, offsets = case
    bounds = [0, *sorted(cuts), total]
    amounts = [Decimal(b - a) / 100 for a, b in itertools.pairwise(bounds)]
    days = sorted(offsets[: len(amounts)])
    body = "".join(
        pay(str(datetime.date(2024, 3, 1) + datetime.timedelta(days=d)), "某供应商", f"{a:.2f}")
        for a, d in zip(amounts, days, strict=True)
    )
    main = tmp_path / "main.beancount"
    main.write_text(HEADER + body, encoding="utf-8")
    found = {f.severity for f in check_file(main).findings if f.rule == "HZ-A30"}
    assert found, (amounts, days)


# -- HZ-A30 dangling decision tags ----------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (" #collective-decision", ["HZ-A30"]),
        (" #collective-decision ^INV-2024-001", ["HZ-A30"]),
        (" #collective-decision ^D2024-01", []),
        (" ^INV-2024-001", []),
    ],
)
def test_collective_decision_tag_must_link_a_decision(
    ledger: Ledger, extra: str, expected: list[str]
) -> None:
    body = '2024-02-01 custom "hz-decision" "D2024-01" "理事会：采购系统"\n'
    body += pay("2024-03-01", "某科技公司", "1000.00", extra)
    checked = ledger.write(body).check()
    assert rules_of(checked) == expected
    if expected:
        assert checked.findings[0].severity is Severity.ERROR
        assert checked.findings[0].line == ledger.line("付款 2024-03-01")


# -- pads -----------------------------------------------------------------------------------


PAD = """
2024-02-01 pad Assets:ZH:1002银行存款:J基本户 Expenses:ZH:5201管理费用:B办公费
2024-02-02 balance Assets:ZH:1002银行存款:J基本户 {balance} CNY
"""


@pytest.mark.parametrize("plugin", [True, False])
@pytest.mark.parametrize(("balance", "expected"), [("1145000.00", ["HZ-A30"]), ("1999000.00", [])])
def test_pad_is_judged_at_the_pad_line(
    ledger: Ledger, plugin: bool, balance: str, expected: list[str]
) -> None:
    header = HEADER if plugin else HEADER.replace('plugin "hzledger.plugins.compliance"\n', "")
    checked = ledger.write(PAD.format(balance=balance), header=header).check()
    assert rules_of(checked) == expected
    if expected:
        [finding] = checked.findings
        assert finding.line == ledger.line(" pad ")
        assert "855,000.00" in finding.message and "pad" in finding.message


def test_pad_through_bean_check(ledger: Ledger) -> None:
    from beancount import loader

    ledger.write(PAD.format(balance="1145000.00"))
    _, errors, _ = loader.load_file(str(ledger.main))
    [error] = errors
    assert error.source["lineno"] == ledger.line(" pad ")
    assert "HZ-A30" in error.message


# -- HZ-META --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "marker", "key", "known"),
    [
        (
            pay("2024-03-01", "甲", "1.00", meta='  aproved-by: "钱"\n'),
            "付款 2024",
            "aproved-by",
            "approved-by",
        ),
        (pay("2024-03-01", "甲", "1.00", meta="  member: 12\n"), "付款 2024", "member", "members"),
        (
            '2024-01-01 open Assets:ZH:1001现金 CNY\n  knd: "cash"\n  kind: "cash"\n',
            "1001现金",
            "knd",
            "kind",
        ),
        ('2024-01-01 custom "hz-decision" "D1" "会议"\n  limt: 100 CNY\n', '"D1"', "limt", "limit"),
        (
            '2024-03-01 * "甲" "会费"\n  Assets:ZH:1002银行存款:J基本户  100.00 CNY\n'
            "    coverage_end: 2024-12-31\n  Income:ZH:4601利息收入\n",
            "J基本户  100.00",
            "coverage_end",
            "coverage-end",
        ),
    ],
)
def test_metadata_key_typo(ledger: Ledger, body: str, marker: str, key: str, known: str) -> None:
    checked = ledger.write(body).check()
    [finding] = checked.findings
    assert finding.rule == "HZ-META" and finding.severity is Severity.WARNING
    assert finding.article == 31 and finding.message.startswith("违反第三十一条：")
    assert finding.line == ledger.line(marker)
    assert f"是否应为 `{known}`？" in finding.message and key in finding.message


def test_unrelated_metadata_keys_are_fine(ledger: Ledger) -> None:
    meta = '  invoice: "INV-001"\n  voucher: "记-12"\n  note: "备注"\n  auditor: "某所"\n'
    body = pay("2024-03-01", "甲", "100.00", meta=meta)
    assert ledger.write(body).check().findings == []


# -- HZ-A26 yearly budgets ------------------------------------------------------------------

NO_BUDGET = HEADER.replace(
    '2023-12-01 custom "budget" Expenses:ZH:5201管理费用 "yearly" 1000000.00 CNY\n', ""
)
SPEND = '2024-03-01 * "办公用品"\n  Expenses:ZH:5201管理费用:B办公费  400.00 CNY\n  Assets:ZH:1002银行存款:J基本户\n'


@pytest.mark.parametrize(
    ("budget", "expected"),
    [
        ("", ["HZ-A26"]),
        ('2023-11-15 custom "budget" Expenses:ZY24:5201管理费用 "monthly" 100.00 CNY\n', []),
        ('2023-10-01 custom "budget" Expenses:ZH:5201管理费用 "yearly" 10000.00 CNY\n', []),
        ('2023-09-30 custom "budget" Expenses:ZH:5201管理费用 "yearly" 10000.00 CNY\n', ["HZ-A26"]),
        ('2024-12-31 custom "budget" Expenses:ZH:5201管理费用 "yearly" 999999.00 CNY\n', []),
        ('2025-01-01 custom "budget" Expenses:ZH:5201管理费用 "yearly" 10000.00 CNY\n', ["HZ-A26"]),
    ],
)
def test_year_without_budget(ledger: Ledger, budget: str, expected: list[str]) -> None:
    checked = ledger.write(budget + SPEND, header=NO_BUDGET).check()
    assert rules_of(checked) == expected
    if expected:
        assert checked.findings[0].severity is Severity.WARNING
        assert checked.findings[0].line == ledger.line("办公用品")
        assert checked.findings[0].message.startswith("违反第二十六条：")


def test_year_without_administrative_spending_needs_no_budget(ledger: Ledger) -> None:
    assert ledger.write(pay("2024-03-01", "甲", "100.00"), header=NO_BUDGET).check().findings == []


# -- articles and --as-of ---------------------------------------------------------------------


def test_every_rule_cites_an_article(ledger: Ledger) -> None:
    checked = ledger.write(
        "2024-01-01 open Assets:ZH:1001现金 CNY\n"
        "2024-01-01 open Assets:QT:1001现金 CNY\n"
        '  kind: "cash"\n'
        '2024-01-01 custom "hz-policy" "huge-amount" 1 CNY\n'
    ).check()
    cited = {f.rule: f.article for f in checked.findings}
    assert cited == {"HZ-KIND": 17, "HZ-FUND": 17, "HZ-POLICY": 27}
    assert all(f.message.startswith("违反第") for f in checked.findings)


def test_as_of_moves_only_deadlines(ledger: Ledger) -> None:
    ledger.write(pay("2024-06-01", "某科技公司", "600000.00"))
    checked = ledger.check(as_of=datetime.date(2024, 3, 1))
    assert rules_of(checked) == ["HZ-A30"]
