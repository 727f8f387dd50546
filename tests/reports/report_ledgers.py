"""Small hand-written ledgers whose every report figure is worked out by hand in the tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from hztest import SPEC_EXAMPLE

# The contract's example organisation, found as every test finds it (no machine path).
EXAMPLE = SPEC_EXAMPLE

# 测试市: a general fund ZH and two projects. P24 covers 2024-07-01..2025-06-30, so its
# dues straddle the year end; Q's one batch of dues carries its own cover period
# (2024-10-01..2025-09-30) by metadata.
SMALL = """\
option "title" "测试市职工互助保障会"
option "operating_currency" "CNY"
plugin "hzledger.plugins.compliance"

2024-01-01 custom "hz-org" "测试市职工互助保障会"
  level: "city"
  parent: "测试省总工会"

2024-01-01 commodity CNY
2024-01-01 commodity GZ01
  kind: "treasury-bond"

2024-01-01 custom "hz-fund" "ZH" "综合管理基金"
2024-01-01 custom "hz-project" "P24" "住院互助保障计划（2024—2025）"
  start: 2024-07-01
  end: 2025-06-30
  filing: "测工资备〔2024〕1号"
  filed: 2024-06-01
2023-12-01 custom "hz-project" "Q" "重大疾病互助保障计划（2024—2026）"
  start: 2024-01-01
  end: 2026-12-31
  filing: "测工资备〔2023〕9号"
  filed: 2023-12-20

2024-01-01 open Assets:ZH:1002银行存款 CNY
  kind: "bank"
2024-01-01 open Liabilities:ZH:2201应付款 CNY
  kind: "payable"
2024-01-01 open Equity:ZH:3101非限定性净资产 CNY
  kind: "net-assets"
2024-01-01 open Equity:ZH:3102限定性净资产 CNY
  kind: "net-assets"
  restricted: TRUE
2024-01-01 open Income:ZH:4401补助收入 CNY
  kind: "subsidy"
2024-01-01 open Expenses:ZH:5201管理费用:G工资福利 CNY
  kind: "payroll"
2024-01-01 open Expenses:ZH:5201管理费用:B办公费 CNY
  kind: "office"

2024-01-01 open Assets:P24:1002银行存款 CNY
  kind: "bank"
2024-01-01 open Assets:P24:1101国债 GZ01
  kind: "treasury-bond"
2024-01-01 open Liabilities:P24:2202应付款 CNY
  kind: "payable"
2024-01-01 open Liabilities:P24:2209应付互助金 CNY
  kind: "benefit-payable"
2024-01-01 open Liabilities:P24:2210未决赔款准备金 CNY
  kind: "claim-reserve"
2024-01-01 open Income:P24:4201会费收入 CNY
  kind: "dues"
2024-01-01 open Income:P24:4601利息收入 CNY
  kind: "interest"
2024-01-01 open Expenses:P24:5101互助金 CNY
  kind: "benefit"
2024-01-01 open Expenses:P24:5102健康管理 CNY
  kind: "health"
2024-01-01 open Expenses:P24:5201管理费用 CNY
  kind: "admin"

2024-01-01 open Assets:Q:1002银行存款 CNY
  kind: "bank"
2024-01-01 open Income:Q:4201会费收入 CNY
  kind: "dues"
2024-01-01 open Expenses:Q:5101互助金 CNY
  kind: "benefit"

2024-01-01 custom "budget" Expenses:ZH:5201管理费用:B办公费 "yearly" 12000.00 CNY
2024-01-01 custom "budget" Expenses:ZH:5201管理费用:G工资福利 "monthly" 5000.00 CNY

2024-01-01 * "期初净资产"
  Assets:ZH:1002银行存款  100000.00 CNY
  Equity:ZH:3101非限定性净资产  -80000.00 CNY
  Equity:ZH:3102限定性净资产  -20000.00 CNY

2024-03-15 * "市总工会" "运营补助"
  Assets:ZH:1002银行存款  50000.00 CNY
  Income:ZH:4401补助收入

2024-04-30 * "1-4月工资"
  Expenses:ZH:5201管理费用:G工资福利  30000.00 CNY
  Assets:ZH:1002银行存款

2024-05-10 * "办公用品"
  Expenses:ZH:5201管理费用:B办公费  4000.00 CNY
  Assets:ZH:1002银行存款

2024-06-20 * "测试机床厂" "P24会费"
  members: 1000
  Assets:P24:1002银行存款  36500.00 CNY
  Income:P24:4201会费收入

2024-08-01 * "购买国债"
  Assets:P24:1101国债  100 GZ01 {100.00 CNY}
  Assets:P24:1002银行存款  -10000.00 CNY

2024-09-30 * "互助金给付"
  claims: 5
  Expenses:P24:5101互助金  6000.00 CNY
  Assets:P24:1002银行存款

2024-10-01 * "测试纺织厂" "Q会费（一年期）"
  members: 400
  coverage-start: 2024-10-01
  coverage-end: 2025-09-30
  Assets:Q:1002银行存款  12000.00 CNY
  Income:Q:4201会费收入

2024-11-15 * "Q互助金给付"
  claims: 2
  Expenses:Q:5101互助金  3100.00 CNY
  Assets:Q:1002银行存款

2024-11-30 * "互助金核定（待支付）"
  claims: 3
  Expenses:P24:5101互助金  2400.00 CNY
  Liabilities:P24:2209应付互助金

2024-12-20 * "管理费用（待支付）"
  Expenses:P24:5201管理费用  1000.00 CNY
  Liabilities:P24:2202应付款

2024-12-21 * "健康讲座"
  Expenses:P24:5102健康管理  500.00 CNY
  Assets:P24:1002银行存款

2024-12-21 * "结息"
  Assets:P24:1002银行存款  100.00 CNY
  Income:P24:4601利息收入

2024-12-31 * "提取未决赔款准备金"
  Expenses:P24:5101互助金  1500.00 CNY
  Liabilities:P24:2210未决赔款准备金

2025-02-01 * "支付核定互助金"
  Liabilities:P24:2209应付互助金  2400.00 CNY
  Assets:P24:1002银行存款

2025-03-01 * "互助金给付"
  claims: 4
  Expenses:P24:5101互助金  5000.00 CNY
  Assets:P24:1002银行存款

2025-03-20 * "市总工会" "运营补助"
  Assets:ZH:1002银行存款  20000.00 CNY
  Income:ZH:4401补助收入
"""

# A ledger with an error (an account under an undeclared fund): reports still run.
BROKEN = """\
option "title" "错误县职工互助保障会"
option "operating_currency" "CNY"
plugin "hzledger.plugins.compliance"

2024-01-01 custom "hz-org" "错误县职工互助保障会"
  level: "city"
2024-01-01 custom "hz-project" "B24" "互助保障计划（2024）"
  start: 2024-01-01
  end: 2024-12-31
  filing: "错备〔2023〕1号"
  filed: 2023-12-01

2024-01-01 open Assets:B24:1002银行存款 CNY
  kind: "bank"
2024-01-01 open Income:B24:4201会费收入 CNY
  kind: "dues"
2024-01-01 open Expenses:B24:5101互助金 CNY
  kind: "benefit"
2024-01-01 open Expenses:XX:5101互助金 CNY
  kind: "benefit"

2024-01-05 * "会费"
  members: 200
  Assets:B24:1002银行存款  8000.00 CNY
  Income:B24:4201会费收入

2024-05-05 * "互助金给付"
  claims: 1
  Expenses:B24:5101互助金  700.00 CNY
  Assets:B24:1002银行存款
"""


def write(directory: Path, text: str, name: str = "main.beancount") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def copy_example(directory: Path) -> Path:
    target = directory / "example"
    shutil.copytree(EXAMPLE, target)
    return target / "main.beancount"
