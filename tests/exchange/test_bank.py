"""Bank statements in: GBK CSV, legacy .xls and .xlsx fixtures made here; counter-postings by
rule and by smart_importer's prediction; re-import adds nothing; the closing balance becomes a
`balance` assertion; a prediction that breaks the contract is not kept."""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import xlwt
from beancount import loader
from beancount.core import data
from roundtrip import DEMO

from hztest import HEADER, run_cli

BASIC = "Assets:ZH:1002银行存款:J基本户"
CONFIG = f"""\
account = "{BASIC}"

[layout]
encoding = "auto"
date = "交易日期"
deposit = "收入金额"
withdrawal = "支出金额"
balance = "账户余额"
counterparty = "对方户名"
reference = "交易流水号"
narration = ["摘要"]

[[rules]]
narration = "结息"
account = "Income:ZH:4601利息收入"
"""
# The demo ledger's 基本户 stands at 5,651,953.87 on 2026-01-01.
LINES = [
    ["交易日期", "交易流水号", "摘要", "对方户名", "收入金额", "支出金额", "账户余额"],
    ["2026-01-06", "B0001", "物业管理费", "某物业公司", "", "3850.00", "5648103.87"],
    ["2026-01-09", "B0002", "1月工作人员工资及社会保险", "", "", "48000.00", "5600103.87"],
    ["2026-01-12", "B0003", "打印耗材采购", "某办公用品公司", "", "1200.50", "5598903.37"],
    [
        "2026-01-20",
        "B0005",
        "2026年度互助保障工作经费补助",
        "示例省总工会",
        "300000.00",
        "",
        "5898903.37",
    ],
    ["2026-01-21", "B0006", "基本户季度结息", "", "1200.00", "", "5900103.37"],
]
EXPECTED = {
    "B0001": "Expenses:ZH:5201管理费用:B办公费",
    "B0002": "Expenses:ZH:5201管理费用:G工资福利",
    "B0003": "Expenses:ZH:5201管理费用:B办公费",
    "B0005": "Income:ZH:4401补助收入:G工会补助",
    "B0006": "Income:ZH:4601利息收入",
}


@pytest.fixture
def org(tmp_path: Path) -> Path:
    target = tmp_path / "org"
    shutil.copytree(DEMO / "shiyan-sheng", target)
    return target


def booked(org: Path) -> dict[str, data.Transaction]:
    entries, _errors, _ = loader.load_file(str(org / "main.beancount"))
    return {
        e.meta["bank-ref"]: e
        for e in entries
        if isinstance(e, data.Transaction) and "bank-ref" in e.meta
    }


def test_gbk_csv_statement_is_booked_once_with_its_closing_balance(
    org: Path, tmp_path: Path
) -> None:
    statement = tmp_path / "对账单.csv"
    with statement.open("w", encoding="gbk", newline="") as handle:
        csv.writer(handle).writerows(LINES)
    assert "物业" not in statement.read_bytes().decode("latin-1")  # really GBK, not UTF-8
    config = tmp_path / "bank.toml"
    config.write_text(CONFIG, encoding="utf-8")
    ledger = org / "funds" / "ZH.beancount"
    before = ledger.read_text(encoding="utf-8")

    dry = run_cli("import", "bank", statement, "--config", config, "--into", org)
    assert dry.returncode == 0, dry.stderr
    assert "预演" in dry.stderr and ledger.read_text(encoding="utf-8") == before
    assert 'bank-ref: "B0001"' in dry.stdout and "0 个错误" in dry.stdout
    assert "规则 1 笔，预测 4 笔" in dry.stderr

    done = run_cli("import", "bank", statement, "--config", config, "--into", org, "--write")
    assert done.returncode == 0, done.stderr
    after = ledger.read_text(encoding="utf-8")
    assert after.startswith(before)
    assert "2026-01-22 balance Assets:ZH:1002银行存款:J基本户" in after
    assert "5900103.37 CNY" in after
    txns = booked(org)
    assert {ref: t.postings[1].account for ref, t in txns.items()} == EXPECTED
    first = txns["B0001"].postings[0].units
    assert txns["B0001"].payee == "某物业公司" and first is not None and first.number == -3850

    again = run_cli("import", "bank", statement, "--config", config, "--into", org, "--write")
    assert again.returncode == 0, again.stderr
    assert "新增 0 笔交易、0 条声明或断言；已在账中的 6 笔跳过" in again.stderr
    assert ledger.read_text(encoding="utf-8") == after
    check = run_cli("check", org / "main.beancount", "--no-cache")
    assert check.returncode == 0, check.stdout


def test_legacy_xls_newest_first_with_signed_amounts(org: Path, tmp_path: Path) -> None:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("明细")
    sheet.write(0, 0, "示例银行 账户交易明细")
    sheet.write(1, 0, "账号：6222 0000 0000")
    header = ["记账日期", "金额", "余额", "对方名称", "用途"]
    rows = [
        ["2026/01/12", -1200.5, 5598903.37, "某办公用品公司", "打印耗材采购"],
        ["2026/01/09", -48000.0, 5600103.87, "", "1月工作人员工资及社会保险"],
        ["2026/01/06", -3850.0, 5648103.87, "某物业公司", "物业管理费"],
    ]
    for col, name in enumerate(header):
        sheet.write(2, col, name)
    for r, row in enumerate(rows, start=3):
        for col, value in enumerate(row):
            sheet.write(r, col, value)
    statement = tmp_path / "明细.xls"
    book.save(str(statement))
    config = tmp_path / "xls.toml"
    config.write_text(
        f'account = "{BASIC}"\n[layout]\nsheet = "明细"\nheader-row = 3\ndate = "记账日期"\n'
        'amount = "金额"\nbalance = "余额"\ncounterparty = "对方名称"\nnarration = "用途"\n',
        encoding="utf-8",
    )
    done = run_cli("import", "bank", statement, "--config", config, "--into", org, "--write", "-q")
    assert done.returncode == 0, done.stderr
    text = (org / "funds" / "ZH.beancount").read_text(encoding="utf-8")
    # The chronologically last line's balance, the day after it.
    assert "2026-01-13 balance Assets:ZH:1002银行存款:J基本户" in text and "5598903.37 CNY" in text
    txns = booked(org)
    assert len(txns) == 3 and all(ref.startswith("auto-") for ref in txns)
    assert sorted(t.postings[1].account for t in txns.values()) == [
        "Expenses:ZH:5201管理费用:B办公费",
        "Expenses:ZH:5201管理费用:B办公费",
        "Expenses:ZH:5201管理费用:G工资福利",
    ]
    again = run_cli("import", "bank", statement, "--config", config, "--into", org, "--write", "-q")
    assert "新增 0 笔交易" in again.stderr and again.returncode == 0


SMALL = (
    HEADER
    + """
2024-02-01 * "住院医疗互助金给付（第1批）"
  Expenses:ZY24:5101业务活动成本:H互助金  3000.00 CNY
  Assets:ZY24:1002银行存款:S收入户
2024-03-01 * "住院医疗互助金给付（第2批）"
  Expenses:ZY24:5101业务活动成本:H互助金  2000.00 CNY
  Assets:ZY24:1002银行存款:S收入户
"""
)


def test_a_prediction_that_breaks_the_contract_is_not_kept(tmp_path: Path) -> None:
    """The books taught the model to pay benefits from the collection account (坐支, art. 29);
    the import does not repeat it: the line goes to the configured fallback, and without one
    it is refused with its row."""
    org = tmp_path / "small"
    org.mkdir()
    (org / "main.beancount").write_text(SMALL, encoding="utf-8")
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["日期", "摘要", "支出", "收入", "流水号"])
    ws.append(["2024-04-01", "住院医疗互助金给付（第3批）", 2500, None, "X1"])
    statement = tmp_path / "s.xlsx"
    book.save(statement)
    base = (
        'account = "Assets:ZY24:1002银行存款:S收入户"\n'
        '[layout]\ndate = "日期"\nwithdrawal = "支出"\ndeposit = "收入"\nreference = "流水号"\n'
        'narration = ["摘要"]\n'
    )
    refused = tmp_path / "no-fallback.toml"
    refused.write_text(base, encoding="utf-8")
    done = run_cli("import", "bank", statement, "--config", refused, "--into", org, "--write")
    assert done.returncode == 2
    assert (
        "HZ-A29" in done.stderr and "第 2 行" in done.stderr and "无法确定对方科目" in done.stderr
    )
    assert (org / "main.beancount").read_text(encoding="utf-8") == SMALL

    fallback = tmp_path / "fallback.toml"
    fallback.write_text(
        base + '[predict]\nfallback-out = "Assets:ZY24:1002银行存款:Z支出户"\n', encoding="utf-8"
    )
    done = run_cli("import", "bank", statement, "--config", fallback, "--into", org, "--write")
    assert done.returncode == 1, done.stderr  # the two old 坐支 are still errors…
    assert done.stdout.count("HZ-A29") == 2  # …and the imported line adds none
    assert "备用科目 1 笔" in done.stderr and "会违反 HZ-A29" in done.stderr
    text = (org / "main.beancount").read_text(encoding="utf-8")
    assert text.startswith(SMALL) and "Assets:ZY24:1002银行存款:Z支出户   2500.00 CNY" in text


def test_bad_config_and_statement_are_clear_errors(org: Path, tmp_path: Path) -> None:
    statement = tmp_path / "s.csv"
    statement.write_text("日期,金额\n2026-01-05,12.00\n", encoding="utf-8")
    config = tmp_path / "c.toml"
    config.write_text(f'account = "{BASIC}"\n[layout]\ndate = "交易日期"\n', encoding="utf-8")
    done = run_cli("import", "bank", statement, "--config", config, "--into", org)
    assert done.returncode == 2 and "金额列" in done.stderr and "Traceback" not in done.stderr
    config.write_text(
        f'account = "{BASIC}"\n[layout]\ndate = "交易日期"\namount = "金额"\n', encoding="utf-8"
    )
    done = run_cli("import", "bank", statement, "--config", config, "--into", org)
    assert done.returncode == 2 and "找不到表头" in done.stderr and "s.csv" in done.stderr
    config.write_text(
        'account = "Assets:ZH:1002银行存款:X不存在"\n[layout]\ndate = "日期"\namount = "金额"\n',
        encoding="utf-8",
    )
    done = run_cli("import", "bank", statement, "--config", config, "--into", org)
    assert done.returncode == 2 and "没有开立" in done.stderr
    # pydantic's findings in Chinese: which key, and what is wrong with it.
    config.write_text(
        'account = 5\n[layout]\ndate = "日期"\namount = "金额"\ncolour = "红"\n', encoding="utf-8"
    )
    done = run_cli("import", "bank", statement, "--config", config, "--into", org)
    assert done.returncode == 2 and "account：应为文本" in done.stderr, done.stderr
    assert "layout.colour：不认识的键" in done.stderr and "Input should" not in done.stderr


def test_the_importer_follows_beangulp(tmp_path: Path) -> None:
    """identify / account / date / extract, as beangulp's own tools call them."""
    import beangulp

    from hzledger.exchange.bank import StatementImporter, load_config

    config_path = tmp_path / "bank.toml"
    config_path.write_text(CONFIG, encoding="utf-8")
    importer = StatementImporter(load_config(config_path), "CNY")
    assert isinstance(importer, beangulp.Importer)
    statement = tmp_path / "s.csv"
    with statement.open("w", encoding="gb18030", newline="") as handle:
        csv.writer(handle).writerows(LINES)
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    assert importer.identify(str(statement)) and not importer.identify(str(other))
    assert importer.account(str(statement)) == BASIC
    assert str(importer.date(str(statement))) == "2026-01-21"
    entries = importer.extract(str(statement), [])
    assert [type(e).__name__ for e in entries] == ["Transaction"] * 5 + ["Balance"]
    assert entries[-1].amount.number == Decimal("5900103.37")
    assert [len(e.postings) for e in entries[:-1]] == [1, 1, 1, 1, 2]  # the rule placed 结息


def test_the_documented_example_works(org: Path, tmp_path: Path) -> None:
    """docs/import-export.md §4: its configuration and its GBK statement give what it shows."""
    import re

    from roundtrip import REPO

    doc = (REPO / "docs" / "import-export.md").read_text(encoding="utf-8")
    section = doc.split("## 4.", 1)[1]
    config = re.search(r"```toml\n(.*?)```", section, re.S)
    statement = re.search(r"```\n(交易日期.*?)```", section, re.S)
    assert config and statement
    text = "\n".join(
        line
        for line in config.group(1).splitlines()
        if not line.startswith(("sheet", "header-row"))
    )
    (tmp_path / "基本户.toml").write_text(text, encoding="utf-8")
    (tmp_path / "对账单.csv").write_bytes(statement.group(1).encode("gbk"))
    done = run_cli(
        "import",
        "bank",
        tmp_path / "对账单.csv",
        "--config",
        tmp_path / "基本户.toml",
        "--into",
        org,
    )
    assert done.returncode == 0, done.stderr
    shown = re.findall(r"```beancount\n(.*?)```", section, re.S)[0]
    printed = " ".join(done.stdout.split())
    for block in shown.split("\n\n"):
        lines = [ln for ln in block.splitlines() if ln and not ln.startswith(";")]
        if not lines:
            continue
        assert " ".join(lines[0].split()) in printed  # the transaction or balance line
        for line in lines[1:]:
            assert " ".join(line.split()) in printed  # bank-ref and postings, amounts included


def test_a_statement_needs_an_organisation_and_speaks_english_on_request(tmp_path: Path) -> None:
    statement = tmp_path / "s.csv"
    statement.write_text("日期,金额\n2026-01-05,12.00\n", encoding="utf-8")
    config = tmp_path / "c.toml"
    config.write_text(
        f'account = "{BASIC}"\n[layout]\ndate = "日期"\namount = "金额"\n', encoding="utf-8"
    )
    done = run_cli("import", "bank", statement, "--config", config, "--into", tmp_path / "none")
    assert (
        done.returncode == 2
        and "main.beancount" in done.stderr
        and "对账单只能导入已建账的组织" in done.stderr
    )
    done = run_cli(
        "import", "bank", statement, "--config", config, "--into", tmp_path / "none", "--lang", "en"
    )
    assert done.returncode == 2 and "holds no main.beancount" in done.stderr
    assert "Traceback" not in done.stderr


def test_beangulp_command_line_identify_extract_archive(tmp_path: Path) -> None:
    """The same importer under beangulp's own CLI, as an accountant's import.py uses it."""
    import subprocess
    import sys

    config = tmp_path / "bank.toml"
    config.write_text(CONFIG, encoding="utf-8")
    inbox = tmp_path / "下载"
    inbox.mkdir()
    with (inbox / "对账单.csv").open("w", encoding="gbk", newline="") as handle:
        csv.writer(handle).writerows(LINES)
    (inbox / "other.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    script = tmp_path / "import.py"
    script.write_text(
        "from beangulp import Ingest\n"
        "from hzledger.exchange.bank import beangulp_importer\n"
        f"Ingest([beangulp_importer({str(config)!r})])()\n",
        encoding="utf-8",
    )

    def gulp(*args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(script), *map(str, args)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    found = gulp("identify", inbox)
    assert found.returncode == 0, found.stderr
    assert "对账单.csv ... OK" in found.stdout and "hzledger.bank:" + BASIC in found.stdout
    out = gulp("extract", inbox, "-e", DEMO / "shiyan-sheng" / "main.beancount")
    assert out.returncode == 0, out.stderr
    assert 'bank-ref: "B0001"' in out.stdout and "Expenses:ZH:5201管理费用:B办公费" in out.stdout
    assert "2026-01-22 balance Assets:ZH:1002银行存款:J基本户" in out.stdout
    archive = tmp_path / "documents"
    archive.mkdir()
    moved = gulp("archive", inbox, "-o", archive)
    assert moved.returncode == 0, moved.stderr
    filed = list(archive.rglob("*.csv"))
    assert [p.name for p in filed] == ["2026-01-21.对账单.csv"]
    assert filed[0].parent == archive.joinpath(*BASIC.split(":"))
