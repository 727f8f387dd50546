"""Every rule of LEDGER-SPEC §7: a ledger that breaks it, and a close neighbour that doesn't.

Each test writes real ledger text, loads it with real Beancount (which runs our
plugin) and asserts the finding's rule, severity, file and line.
"""

from __future__ import annotations

import datetime

import pytest

from hzledger.findings import Severity

from hztest import Ledger, rules_of


def only(checked, rule: str):
    found = [f for f in checked.findings if f.rule == rule]
    assert found, f"no {rule} in {[(f.rule, f.message) for f in checked.findings]}"
    return found


def assert_clean(checked) -> None:
    assert checked.findings == [], [(f.rule, f.line, f.message) for f in checked.findings]


# -- HZ-FUND ------------------------------------------------------------------------------


def test_account_outside_declared_fund(ledger: Ledger) -> None:
    checked = ledger.write(
        """
        2024-01-01 open Assets:QT24:1002银行存款 CNY
          kind: "bank"
        """
    ).check()
    [finding] = only(checked, "HZ-FUND")
    assert finding.severity is Severity.ERROR
    assert finding.line == ledger.line("open Assets:QT24")
    assert finding.article == 17
    assert "QT24" in finding.message and finding.message.startswith("违反第十七条")


def test_fund_declared_later_in_the_file_is_known(ledger: Ledger) -> None:
    # A declared fund is known to the whole ledger, whatever the date of its declaration.
    checked = ledger.write(
        """
        2024-01-01 open Assets:QT24:1002银行存款 CNY
          kind: "bank"
        2024-06-01 custom "hz-fund" "QT24" "其他基金"
        """
    ).check()
    assert_clean(checked)


@pytest.mark.parametrize(
    ("declaration", "marker"),
    [
        ('2024-01-01 custom "hz-fund" "ZH" "又一个综合基金"', '"ZH" "又一个'),
        ('2024-01-01 custom "hz-fund" "zh2" "小写代码"', '"zh2"'),
        ('2024-01-01 custom "hz-fund" "ABCDEFGHIJKLMNOPQ" "过长代码"', "ABCDEFGHIJKLMNOPQ"),
    ],
)
def test_bad_or_duplicate_fund_code(ledger: Ledger, declaration: str, marker: str) -> None:
    checked = ledger.write(declaration + "\n").check()
    [finding] = only(checked, "HZ-FUND")
    assert finding.line == ledger.line(marker)


# -- HZ-KIND ------------------------------------------------------------------------------


def test_open_without_kind(ledger: Ledger) -> None:
    checked = ledger.write("2024-01-01 open Assets:ZH:1001现金 CNY\n").check()
    assert rules_of(checked) == ["HZ-KIND"]
    assert checked.findings[0].line == ledger.line("1001现金")


def test_bank_role_must_be_collection_or_expenditure(ledger: Ledger) -> None:
    checked = ledger.write(
        """
        2024-01-01 open Assets:ZH:1002银行存款:X专户 CNY
          kind: "bank"
          role: "payment"
        """
    ).check()
    assert rules_of(checked) == ["HZ-KIND"]
    assert "payment" in checked.findings[0].message


def test_liability_kind_outside_table(ledger: Ledger) -> None:
    checked = ledger.write(
        """
        2024-01-01 open Liabilities:ZH:2101短期借款 CNY
          kind: "loan"
        """
    ).check()
    assert rules_of(checked) == ["HZ-KIND"]


def test_commodity_without_kind_and_undeclared_commodity(ledger: Ledger) -> None:
    checked = ledger.write(
        """
        2024-01-01 commodity GZ2401
        2024-01-01 open Assets:ZY24:1101短期投资:G国债
          kind: "treasury-bond"
        2024-02-01 * "买国债"
          Assets:ZY24:1101短期投资:G国债  10 GZ2402 {100.00 CNY}
          Assets:ZY24:1002银行存款:Z支出户  -1000.00 CNY
        """
    ).check()
    kinds = only(checked, "HZ-KIND")
    assert [f.line for f in kinds] == [ledger.line("commodity GZ2401"), ledger.line('"买国债"')]


def test_commodity_with_allowed_kind_is_clean(ledger: Ledger) -> None:
    checked = ledger.write(
        """
        2024-01-01 commodity GZ2401
          kind: "treasury-bond"
        2024-01-01 open Assets:ZY24:1101短期投资:G国债
          kind: "treasury-bond"
        2024-02-01 * "买国债"
          Assets:ZY24:1101短期投资:G国债  10 GZ2401 {100.00 CNY}
          Assets:ZY24:1002银行存款:Z支出户  -1000.00 CNY
        """
    ).check()
    assert_clean(checked)


# -- HZ-A24 / HZ-A25 -------------------------------------------------------------------------


def test_income_kind_outside_five_sources(ledger: Ledger) -> None:
    checked = ledger.write(
        """
        2024-01-01 open Income:ZH:4701投资收益 CNY
          kind: "investment"
        2024-01-01 open Income:ZH:4901其他收入 CNY
          kind: "other"
        """
    ).check()
    [finding] = only(checked, "HZ-A24")
    assert finding.line == ledger.line("4701投资收益")
    assert (
        finding.message.startswith("违反第二十四条") and "Income:ZH:4701投资收益" in finding.message
    )
    assert rules_of(checked) == ["HZ-A24"]


def test_expense_kind_outside_three_categories(ledger: Ledger) -> None:
    checked = ledger.write(
        """
        2024-01-01 open Expenses:ZH:5401其他费用:T投资 CNY
          kind: "sponsorship"
        2024-01-01 open Expenses:ZH:5101业务活动成本:J健康体检 CNY
          kind: "health"
        """
    ).check()
    [finding] = only(checked, "HZ-A25")
    assert finding.line == ledger.line("T投资")
    assert rules_of(checked) == ["HZ-A25"]


# -- HZ-A28 ------------------------------------------------------------------------------


def test_wealth_product_account_and_purchase(ledger: Ledger) -> None:
    checked = ledger.write(
        """
        2024-01-01 open Assets:ZY24:1101短期投资:L理财产品 CNY
          kind: "wealth-product"
        2024-03-01 * "购买银行理财产品" #collective-decision
          Assets:ZY24:1101短期投资:L理财产品  100000.00 CNY
          Assets:ZY24:1002银行存款:Z支出户
        2024-06-01 * "理财产品赎回"
          Assets:ZY24:1002银行存款:Z支出户  100000.00 CNY
          Assets:ZY24:1101短期投资:L理财产品
        """
    ).check()
    found = only(checked, "HZ-A28")
    assert [f.line for f in found] == [
        ledger.line("L理财产品 CNY"),
        ledger.line("购买银行理财产品"),
    ]
    assert all(f.fund == "ZY24" for f in found)
    assert "理财" in found[1].message


def test_term_deposit_is_allowed(ledger: Ledger) -> None:
    checked = ledger.write(
        """
        2024-03-01 * "转存一年期定期"
          Assets:ZY24:1002银行存款:D定期存款  100000.00 CNY
          Assets:ZY24:1002银行存款:Z支出户
        """
    ).check()
    assert_clean(checked)


def test_unknown_asset_kind_and_prohibited_commodity(ledger: Ledger) -> None:
    checked = ledger.write(
        """
        2024-01-01 commodity SH600000
          kind: "stock"
        2024-01-01 open Assets:ZY24:1101短期投资:G股票
          kind: "crypto"
        2024-03-01 * "买入股票"
          Assets:ZY24:1101短期投资:G股票  100 SH600000 {10.00 CNY}
          Assets:ZY24:1002银行存款:Z支出户  -1000.00 CNY
        """
    ).check()
    lines = sorted(f.line for f in only(checked, "HZ-A28"))
    assert lines == [
        ledger.line("commodity SH600000"),
        ledger.line("G股票"),
        ledger.line("买入股票"),
    ]


# -- HZ-A30 ------------------------------------------------------------------------------

LARGE = """
2024-01-01 custom "hz-policy" "large-amount" 300000 CNY
"""


@pytest.mark.parametrize(("amount", "expected"), [("300000.00", ["HZ-A30"]), ("299999.99", [])])
def test_large_amount_threshold_is_inclusive(
    ledger: Ledger, amount: str, expected: list[str]
) -> None:
    checked = ledger.write(
        LARGE
        + f"""
2024-03-01 * "转存定期"
  Assets:ZY24:1002银行存款:D定期存款  {amount} CNY
  Assets:ZY24:1002银行存款:Z支出户
"""
    ).check()
    assert rules_of(checked) == expected
    if expected:
        assert checked.findings[0].line == ledger.line("转存定期")
        assert checked.findings[0].fund == "ZY24"


def test_default_large_amount_is_500000(ledger: Ledger) -> None:
    checked = ledger.write(
        """
        2024-03-01 * "转存定期"
          Assets:ZY24:1002银行存款:D定期存款  499999.99 CNY
          Assets:ZY24:1002银行存款:Z支出户
        2024-03-02 * "转存定期"
          Assets:ZY24:1002银行存款:D定期存款  500000.00 CNY
          Assets:ZY24:1002银行存款:Z支出户
        """
    ).check()
    assert [f.line for f in checked.findings] == [ledger.line("转存定期", 2)]


def test_moves_between_own_bank_accounts_are_not_fund_use(ledger: Ledger) -> None:
    checked = ledger.write(
        LARGE
        + """
2024-03-01 * "收入户归集至支出户"
  Assets:ZY24:1002银行存款:Z支出户  900000.00 CNY
  Assets:ZY24:1002银行存款:S收入户
"""
    ).check()
    # The collection account ends negative: Beancount doesn't mind, and neither does A30.
    assert_clean(checked)


def test_large_use_with_tag_but_no_declared_decision(ledger: Ledger) -> None:
    checked = ledger.write(
        LARGE
        + """
2024-03-01 * "转存定期" #collective-decision ^D2024-99
  Assets:ZY24:1002银行存款:D定期存款  400000.00 CNY
  Assets:ZY24:1002银行存款:Z支出户
"""
    ).check()
    [finding] = only(checked, "HZ-A30")
    assert "D2024-99" in finding.message


@pytest.mark.parametrize(
    ("decision_date", "expected"), [("2024-03-01", []), ("2024-03-02", ["HZ-A30"])]
)
def test_decision_on_the_same_day_is_fine_a_later_one_is_not(
    ledger: Ledger, decision_date: str, expected: list[str]
) -> None:
    checked = ledger.write(
        LARGE
        + f"""
{decision_date} custom "hz-decision" "D2024-01" "理事会2024年第1次会议：转存定期"
  body: "理事会"
2024-03-01 * "转存定期" #collective-decision ^D2024-01
  Assets:ZY24:1002银行存款:D定期存款  400000.00 CNY
  Assets:ZY24:1002银行存款:Z支出户
"""
    ).check()
    assert rules_of(checked) == expected


def test_decision_limit_exceeded_by_the_second_use(ledger: Ledger) -> None:
    checked = ledger.write(
        LARGE
        + """
2024-02-01 custom "hz-decision" "D2024-01" "理事会：转存定期，总额不超过60万元"
  limit: 600000 CNY
2024-03-01 * "转存定期（第一笔）" #collective-decision ^D2024-01
  Assets:ZY24:1002银行存款:D定期存款  400000.00 CNY
  Assets:ZY24:1002银行存款:Z支出户
2024-04-01 * "转存定期（第二笔）" #collective-decision ^D2024-01
  Assets:ZY24:1002银行存款:D定期存款  200000.01 CNY
  Assets:ZY24:1002银行存款:Z支出户
"""
    ).check()
    [finding] = only(checked, "HZ-A30")
    assert finding.line == ledger.line("第二笔")
    assert "600,000.01" in finding.message


def test_policy_changed_mid_year(ledger: Ledger) -> None:
    checked = ledger.write(
        """
        2024-01-01 custom "hz-policy" "large-amount" 500000 CNY
        2024-07-01 custom "hz-policy" "large-amount" 100000 CNY
        2024-03-01 * "转存定期（三月）"
          Assets:ZY24:1002银行存款:D定期存款  200000.00 CNY
          Assets:ZY24:1002银行存款:Z支出户
        2024-08-01 * "转存定期（八月）"
          Assets:ZY24:1002银行存款:D定期存款  200000.00 CNY
          Assets:ZY24:1002银行存款:Z支出户
        """
    ).check()
    assert [f.line for f in only(checked, "HZ-A30")] == [ledger.line("八月")]


# -- HZ-A17 ------------------------------------------------------------------------------


def test_expense_paid_half_from_another_fund(ledger: Ledger) -> None:
    checked = ledger.write(
        """
        2024-05-01 * "5月互助金给付"
          claims: 3
          Expenses:ZY24:5101业务活动成本:H互助金  10000.00 CNY
          Assets:ZY24:1002银行存款:Z支出户  -5000.00 CNY
          Assets:ZH:1002银行存款:J基本户  -5000.00 CNY
        """
    ).check()
    [finding] = only(checked, "HZ-A17")
    assert finding.line == ledger.line("5月互助金给付")
    assert "ZH" in finding.message and "ZY24" in finding.message
    assert rules_of(checked) == ["HZ-A17"]


def test_paying_from_an_undeclared_fund_is_both_fund_and_a17(ledger: Ledger) -> None:
    checked = ledger.write(
        """
        2024-01-01 open Assets:XX:1002银行存款 CNY
          kind: "bank"
        2024-05-01 * "从未声明的基金支付互助金"
          Expenses:ZY24:5101业务活动成本:H互助金  10000.00 CNY
          Assets:XX:1002银行存款
        """
    ).check()
    assert sorted(rules_of(checked)) == ["HZ-A17", "HZ-FUND"]


def test_interfund_allocation_balances_each_fund(ledger: Ledger) -> None:
    checked = ledger.write(
        """
        2024-06-30 * "管理费用分摊"
          Expenses:ZY24:5201管理费用  26000.00 CNY
          Liabilities:ZY24:2209其他应付款:W往来ZH  -26000.00 CNY
          Assets:ZH:1122其他应收款:W往来ZY24  26000.00 CNY
          Assets:ZH:1002银行存款:J基本户  -26000.00 CNY
        """
    ).check()
    assert_clean(checked)


# -- HZ-A29 ------------------------------------------------------------------------------


def test_income_and_expenses_in_one_transaction(ledger: Ledger) -> None:
    checked = ledger.write(
        """
        2024-02-01 * "会费扣除手续费后入账"
          Assets:ZY24:1002银行存款:S收入户  9900.00 CNY
          Expenses:ZY24:5201管理费用  100.00 CNY
          Income:ZY24:4201会费收入  -10000.00 CNY
        """
    ).check()
    assert rules_of(checked) == ["HZ-A29"]
    assert checked.findings[0].message.startswith("违反第二十九条")


def test_collection_account_pays_an_expense(ledger: Ledger) -> None:
    checked = ledger.write(
        """
        2024-02-01 * "会费入账"
          Assets:ZY24:1002银行存款:S收入户  10000.00 CNY
          Income:ZY24:4201会费收入
        2024-02-10 * "从收入户直接支付互助金"
          Expenses:ZY24:5101业务活动成本:H互助金  3000.00 CNY
          Assets:ZY24:1002银行存款:S收入户
        2024-02-11 * "收入户划转至支出户和定期"
          Assets:ZY24:1002银行存款:Z支出户  3000.00 CNY
          Assets:ZY24:1002银行存款:D定期存款  4000.00 CNY
          Assets:ZY24:1002银行存款:S收入户
        """
    ).check()
    [finding] = only(checked, "HZ-A29")
    assert finding.line == ledger.line("从收入户直接支付互助金")
    assert rules_of(checked) == ["HZ-A29"]


def test_expenditure_account_receives_income(ledger: Ledger) -> None:
    checked = ledger.write(
        """
        2024-02-01 * "会费误入支出户"
          Assets:ZY24:1002银行存款:Z支出户  10000.00 CNY
          Income:ZY24:4201会费收入
        2024-06-21 * "支出户结息"
          Assets:ZY24:1002银行存款:Z支出户  12.30 CNY
          Income:ZY24:4601利息收入
        """
    ).check()
    [finding] = only(checked, "HZ-A29")
    assert finding.line == ledger.line("会费误入支出户")
    assert rules_of(checked) == ["HZ-A29"]


# -- HZ-A15 ------------------------------------------------------------------------------


def project(code: str, start: str | None, end: str | None, extra: str = "") -> str:
    lines = [f'2023-10-01 custom "hz-project" "{code}" "重大疾病互助保障计划"']
    if start:
        lines.append(f"  start: {start}")
    if end:
        lines.append(f"  end: {end}")
    lines.append('  filing: "测工资备〔2023〕9号"')
    lines.append("  filed: 2023-10-15")
    return "\n".join(lines) + "\n" + extra


def test_three_year_term_to_the_day_is_fine(ledger: Ledger) -> None:
    assert_clean(ledger.write(project("ZJ24", "2024-01-01", "2026-12-31")).check())


def test_term_one_day_over_three_years_is_a_warning(ledger: Ledger) -> None:
    checked = ledger.write(project("ZJ24", "2024-01-01", "2027-01-01")).check()
    [finding] = only(checked, "HZ-A15")
    assert finding.severity is Severity.WARNING
    assert finding.line == ledger.line('"hz-project" "ZJ24"')
    assert checked.errors == 0


def test_term_policy_can_be_lowered(ledger: Ledger) -> None:
    checked = ledger.write(
        '2023-01-01 custom "hz-policy" "term-max-years" 2\n'
        + project("ZJ24", "2024-01-01", "2026-12-31")
    ).check()
    assert rules_of(checked) == ["HZ-A15"]


def test_project_missing_dates_and_end_before_start(ledger: Ledger) -> None:
    checked = ledger.write(
        project("ZJ24", "2024-01-01", None) + project("ZJ25", "2025-01-01", "2024-12-31")
    ).check()
    found = only(checked, "HZ-A15")
    assert [(f.line, f.severity) for f in found] == [
        (ledger.line('"ZJ24"'), Severity.ERROR),
        (ledger.line('"ZJ25"'), Severity.ERROR),
    ]
    assert "end" in found[0].message


def test_dues_before_filing_and_after_end(ledger: Ledger) -> None:
    checked = ledger.write(
        """
        2024-04-25 custom "hz-audit" "internal" "2023"
        2024-05-30 custom "hz-audit" "external" "2023"
        2023-11-19 * "备案前收取会费"
          members: 10
          Assets:ZY24:1002银行存款:S收入户  500.00 CNY
          Income:ZY24:4201会费收入
        2023-11-20 * "备案当日收取会费"
          members: 10
          Assets:ZY24:1002银行存款:S收入户  500.00 CNY
          Income:ZY24:4201会费收入
        2025-01-02 * "项目终止后收取会费"
          members: 10
          Assets:ZY24:1002银行存款:S收入户  500.00 CNY
          Income:ZY24:4201会费收入
        """
    ).check()
    found = only(checked, "HZ-A15")
    assert [f.line for f in found] == [ledger.line("备案前收取会费"), ledger.line("项目终止后")]
    assert rules_of(checked) == ["HZ-A15", "HZ-A15"]


# -- HZ-A31 ------------------------------------------------------------------------------


def test_preparer_approves_own_voucher(ledger: Ledger) -> None:
    checked = ledger.write(
        """
        2024-04-01 * "办公用品"
          prepared-by: "赵敏"
          approved-by: "赵敏"
          Expenses:ZH:5201管理费用:B办公费  300.00 CNY
          Assets:ZH:1002银行存款:J基本户
        """
    ).check()
    assert rules_of(checked) == ["HZ-A31"]
    assert "赵敏" in checked.findings[0].message


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ('  prepared-by: "赵敏"\n', ["HZ-A31"]),
        ('  prepared-by: "赵敏"\n  approved-by: "钱伟"\n', []),
    ],
)
def test_approval_amount(ledger: Ledger, meta: str, expected: list[str]) -> None:
    checked = ledger.write(
        '2024-01-01 custom "hz-policy" "approval-amount" 50000 CNY\n'
        '2024-04-01 * "购置办公设备"\n'
        + meta
        + "  Expenses:ZH:5201管理费用:B办公费  50000.00 CNY\n"
        "  Assets:ZH:1002银行存款:J基本户\n"
    ).check()
    assert rules_of(checked) == expected


def test_no_approval_amount_policy_means_no_check(ledger: Ledger) -> None:
    checked = ledger.write(
        """
        2024-04-01 * "购置办公设备"
          Expenses:ZH:5201管理费用:B办公费  90000.00 CNY
          Assets:ZH:1002银行存款:J基本户
        """
    ).check()
    assert_clean(checked)


# -- HZ-A32 ------------------------------------------------------------------------------

AUDITS_2024 = """
2025-04-25 custom "hz-audit" "internal" "2024"
  report: "documents/2024-内部稽核报告.pdf"
2025-05-30 custom "hz-audit" "external" "2024"
  auditor: "示例会计师事务所"
"""


def test_missing_audits_after_the_deadline(ledger: Ledger) -> None:
    ledger.write("")
    assert ledger.check(as_of=datetime.date(2025, 6, 30)).findings == []
    checked = ledger.check(as_of=datetime.date(2025, 7, 1))
    found = only(checked, "HZ-A32")
    assert {f.severity for f in found} == {Severity.WARNING}
    assert len(found) == 2  # internal and external, for 2024
    assert all("2024" in f.message for f in found)
    assert checked.errors == 0


def test_recorded_audits_and_a_late_one(ledger: Ledger) -> None:
    ledger.write(
        """
        2024-03-01 * "办公用品"
          Expenses:ZH:5201管理费用:B办公费  300.00 CNY
          Assets:ZH:1002银行存款:J基本户
        """
        + AUDITS_2024.replace("2025-05-30", "2025-07-15")
    )
    checked = ledger.check(as_of=datetime.date(2025, 8, 1))
    [finding] = only(checked, "HZ-A32")
    assert "2024" in finding.message and "2025-07-15" in finding.message
    assert finding.line == ledger.line('"办公用品"')


def test_audit_deadline_policy(ledger: Ledger) -> None:
    ledger.write('2023-01-01 custom "hz-policy" "audit-deadline" "03-31"\n')
    assert rules_of(ledger.check(as_of=datetime.date(2025, 4, 1))) == ["HZ-A32", "HZ-A32"]
    assert ledger.check(as_of=datetime.date(2025, 3, 31)).findings == []


# -- HZ-A26 ------------------------------------------------------------------------------


@pytest.mark.parametrize(("second", "expected"), [("20000.00", []), ("20000.01", ["HZ-A26"])])
def test_admin_spending_over_yearly_budget(
    ledger: Ledger, second: str, expected: list[str]
) -> None:
    checked = ledger.write(
        f"""
2024-01-01 custom "budget" Expenses:ZH:5201管理费用:B办公费 "yearly" 60000.00 CNY
2025-01-01 custom "budget" Expenses:ZH:5201管理费用:B办公费 "yearly" 60000.00 CNY
2024-03-01 * "办公用品"
  Expenses:ZH:5201管理费用:B办公费  40000.00 CNY
  Assets:ZH:1002银行存款:J基本户
2024-09-01 * "办公用品（下半年）"
  Expenses:ZH:5201管理费用:B办公费  {second} CNY
  Assets:ZH:1002银行存款:J基本户
2025-01-05 * "办公用品（次年）"
  Expenses:ZH:5201管理费用:B办公费  1000.00 CNY
  Assets:ZH:1002银行存款:J基本户
"""
    ).check()
    assert rules_of(checked) == expected
    if expected:
        assert checked.findings[0].severity is Severity.WARNING
        assert checked.findings[0].line == ledger.line("下半年")


def test_budget_on_a_parent_account_covers_its_children(ledger: Ledger) -> None:
    checked = ledger.write(
        """
        2024-01-01 custom "budget" Expenses:ZH:5201管理费用 "yearly" 1000.00 CNY
        2024-03-01 * "办公用品"
          Expenses:ZH:5201管理费用:B办公费  1500.00 CNY
          Assets:ZH:1002银行存款:J基本户
        """
    ).check()
    assert rules_of(checked) == ["HZ-A26"]


# -- HZ-POLICY -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "directive",
    [
        '2024-01-01 custom "hz-policy" "huge-amount" 100 CNY',
        '2024-01-01 custom "hz-policy" "large-amount" "很多"',
        '2024-01-01 custom "hz-policy" "large-amount"',
        '2024-01-01 custom "hz-policy" "approval-amount" 5000 USD',
        '2024-01-01 custom "hz-policy" "audit-deadline" "13-45"',
        '2024-01-01 custom "hz-policy" "term-max-years" -1',
        '2024-01-01 custom "hz-decision" "D2024-01"',
        '2024-01-01 custom "hz-decision" "决策一" "中文编号不能作链接"',
        '2024-01-01 custom "hz-audit" "annual" "2023"',
        '2024-01-01 custom "hz-audit" "internal" "二〇二三"',
        '2024-01-01 custom "hz-fund" "ZH2"',
        '2024-01-01 custom "hz-budget" "ZH" 100 CNY',
    ],
)
def test_malformed_directives(ledger: Ledger, directive: str) -> None:
    checked = ledger.write(directive + "\n").check()
    [finding] = checked.findings
    assert finding.rule == "HZ-POLICY"
    assert finding.line == ledger.line(directive)
    assert finding.severity is Severity.ERROR


def test_directive_without_any_value_is_reported_without_traceback(ledger: Ledger) -> None:
    # Beancount's own pad plugin trips over a value-less custom; the user still gets one line.
    checked = ledger.write('2024-01-01 custom "hz-fund"\n').check()
    assert "HZ-POLICY" in rules_of(checked)
    assert not any("Traceback" in f.message or 'File "' in f.message for f in checked.findings)


def test_decision_limit_in_another_currency(ledger: Ledger) -> None:
    checked = ledger.write(
        '2024-01-01 custom "hz-decision" "D1" "会议"\n  limit: 100 USD\n'
    ).check()
    assert rules_of(checked) == ["HZ-POLICY"]


def test_duplicate_decision_id_and_second_org(ledger: Ledger) -> None:
    checked = ledger.write(
        """
        2024-01-01 custom "hz-decision" "D2024-01" "第一次会议"
        2024-02-01 custom "hz-decision" "D2024-01" "第二次会议"
        2024-02-01 custom "hz-org" "另一个组织"
          level: "city"
        """
    ).check()
    assert [f.line for f in checked.findings] == [
        ledger.line("第二次会议"),
        ledger.line("另一个组织"),
    ]


# -- Beancount's own errors -------------------------------------------------------------------


def test_beancount_errors_pass_through(ledger: Ledger) -> None:
    checked = ledger.write(
        """
        2024-04-01 * "不平衡"
          Expenses:ZH:5201管理费用:B办公费  300.00 CNY
          Assets:ZH:1002银行存款:J基本户  -200.00 CNY
        """
    ).check()
    [finding] = checked.findings
    assert finding.rule == "beancount"
    assert finding.line == ledger.line("不平衡")
    assert "不平衡" in finding.message


# -- Multi-file ledgers -----------------------------------------------------------------------


def test_finding_in_an_included_project_file_points_there(ledger: Ledger) -> None:
    project_text = """\
; 重大疾病项目
2023-10-01 custom "hz-project" "ZJ24" "重大疾病互助保障计划"
  start: 2024-01-01
  end: 2026-12-31
  filing: "测工资备〔2023〕9号"
  filed: 2023-10-15
2023-10-01 open Assets:ZJ24:1002银行存款 CNY
  kind: "bank"
2023-10-01 open Assets:ZJ24:1101短期投资:J基金 CNY
  kind: "fund"
2024-05-01 * "买入货币基金"
  Assets:ZJ24:1101短期投资:J基金  1000.00 CNY
  Assets:ZJ24:1002银行存款
"""
    checked = ledger.write(
        'include "projects/ZJ24.beancount"\n', **{"projects/ZJ24.beancount": project_text}
    ).check()
    found = only(checked, "HZ-A28")
    target = str(ledger.root / "projects" / "ZJ24.beancount")
    assert [(f.file, f.line) for f in found] == [(target, 9), (target, 11)]


def test_spec_example_checks_clean(example_ledger) -> None:
    from hzledger.check import check_file

    checked = check_file(example_ledger)
    assert checked.findings == []
    assert checked.transactions == 20
    assert checked.title == "示例市职工互助保障会"
    assert checked.decision_use == {"D2025-02": __import__("decimal").Decimal("250000.00")}


def test_a_crashing_rule_becomes_a_finding_not_a_traceback(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hzledger.rules.a17_separate_funds import SeparateFundsRule

    def boom(self, facts, ctx):
        raise ZeroDivisionError("simulated bug")

    monkeypatch.setattr(SeparateFundsRule, "transaction", boom)
    checked = ledger.write(
        """
        2024-04-01 * "跨基金"
          Expenses:ZY24:5201管理费用  600000.00 CNY
          Assets:ZH:1002银行存款:J基本户
        """
    ).check()
    internal = [f for f in checked.findings if f.rule == "HZ-INTERNAL"]
    assert internal and all("simulated bug" in f.message for f in internal)
    # The crash names the rule, and the later rules still judged the same transaction.
    assert all("HZ-A17" in f.message for f in internal)
    assert [f.line for f in checked.findings if f.rule == "HZ-A30"] == [ledger.line("跨基金")]
    assert ledger.line("跨基金") in {f.line for f in internal}
