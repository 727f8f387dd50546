"""Export of the 序时账, 科目余额表 and mapping; import of a 用友-style 序时账 with its refusals;
dry run, append-only writes and an existing organisation getting only what it lacks."""

from __future__ import annotations

import datetime
import shutil
import tomllib
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from hzledger.check import check_file

from hztest import SPEC_EXAMPLE, run_cli

YONYOU = ["凭证号", "日期", "摘要", "科目编码", "科目名称", "借方金额", "贷方金额", "基金/项目"]


@pytest.fixture
def org(tmp_path: Path) -> Path:
    target = tmp_path / "example"
    shutil.copytree(SPEC_EXAMPLE, target)
    for path in target.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return target


@pytest.fixture
def mapping(org: Path, tmp_path: Path) -> Path:
    out = tmp_path / "map.toml"
    done = run_cli("export", "mapping", org / "main.beancount", "-o", out)
    assert done.returncode == 0, done.stderr
    return out


def code_of(mapping: Path, account: str) -> tuple[str, str]:
    for acc in tomllib.loads(mapping.read_text(encoding="utf-8"))["accounts"]:
        if acc["account"] == account:
            return acc["code"], acc.get("item", "")
    raise AssertionError(account)


def write_journal(path: Path, rows: list[list[object]], header: list[str] = YONYOU) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["某单位 序时账"])  # a title above the header, as exports have
    ws.append(header)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


BANK = "Assets:ZY25:1002银行存款:S收入户"
DUES = "Income:ZY25:4201会费收入"


def dues_rows(
    mapping: Path,
    voucher: str,
    amount: float,
    credit: float | None = None,
    day: datetime.date = datetime.date(2025, 7, 3),  # after the example's last balance assertion
) -> list[list[object]]:
    bank, item = code_of(mapping, BANK)
    dues, _ = code_of(mapping, DUES)
    return [
        [voucher, day, "收到会费", bank, "银行存款/收入户", amount, None, item],
        [
            voucher,
            day,
            "收到会费",
            dues,
            "会费收入",
            None,
            amount if credit is None else credit,
            item,
        ],
    ]


def test_export_journal_has_the_yonyou_columns_numbers_and_dates(org: Path, tmp_path: Path) -> None:
    out = tmp_path / "序时账.xlsx"
    done = run_cli("export", "journal", org / "main.beancount", "--year", "2025", "-o", out)
    assert done.returncode == 0, done.stderr
    ws = openpyxl.load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if r[0] == "凭证号")
    assert list(rows[header_at][:8]) == YONYOU
    assert {"交易方", "标签", "链接", "参保人次", "给付件数", "制单人", "审批人"} <= set(
        rows[header_at]
    )
    body = rows[header_at + 1 :]
    assert body[0][0] == "记-0001"
    assert isinstance(body[0][1], datetime.datetime)  # a real date cell
    debit = sum(Decimal(str(r[5])) for r in body if r[5] is not None)
    credit = sum(Decimal(str(r[6])) for r in body if r[6] is not None)
    assert debit == credit > 0
    cell = ws.cell(row=header_at + 2, column=6 if body[0][5] is not None else 7)
    assert cell.number_format == "#,##0.00"
    assert ws.freeze_panes == f"A{header_at + 2}"  # titles and header stay in view
    txns = [
        e for e in check_file(org / "main.beancount").entries if type(e).__name__ == "Transaction"
    ]
    assert len({(r[0], r[1].month) for r in body}) == len([t for t in txns if t.date.year == 2025])


def test_export_takes_an_organisation_folder_and_warns_outside_the_ledger(
    org: Path, tmp_path: Path
) -> None:
    for args in (
        ("journal", "--year", "2025", "-o", tmp_path / "j.xlsx"),
        ("trial-balance", "--as-of", "2025-12-31", "-o", tmp_path / "t.xlsx"),
        ("mapping", "-o", tmp_path / "m.toml"),
    ):
        done = run_cli("export", args[0], org, *args[1:])
        assert done.returncode == 0, done.stderr
        assert Path(args[-1]).is_file()
        assert "不在账本的记账范围" not in done.stderr
    old = run_cli("export", "journal", org, "--year", "1990", "-o", tmp_path / "1990.xlsx")
    assert old.returncode == 0, old.stderr
    assert "1990" in old.stderr
    assert "不在账本的记账范围" in old.stderr and "请检查 --year" in old.stderr


def test_trial_balance_ties_to_beancount(org: Path, tmp_path: Path) -> None:
    out = tmp_path / "余额表.xlsx"
    done = run_cli(
        "export", "trial-balance", org / "main.beancount", "--as-of", "2025-06-30", "-o", out
    )
    assert done.returncode == 0, done.stderr
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert any("截止日期：2025-06-30" in str(r[0]) for r in rows[:3])
    header = next(r for r in rows if r[0] == "科目编码")
    assert list(header[:9]) == [
        "科目编码",
        "科目名称",
        "基金/项目",
        "期初借方余额",
        "期初贷方余额",
        "本期借方发生额",
        "本期贷方发生额",
        "期末借方余额",
        "期末贷方余额",
    ]
    total = next(r for r in rows if r[1] == "合计")
    dec = lambda v: Decimal(str(v)) if v not in (None, "") else Decimal(0)  # noqa: E731
    assert dec(total[5]) == dec(total[6])  # debits equal credits
    assert dec(total[7]) == dec(total[8])
    # A fund's subtotal and the bank balance Beancount computes.
    from beancount.core import realization

    entries = [
        e
        for e in check_file(org / "main.beancount").entries
        if getattr(e, "date", None) and e.date <= datetime.date(2025, 6, 30)
    ]
    real = realization.realize(entries)
    bank = realization.get(real, BANK).balance.get_currency_units("CNY").number
    line = next(r for r in rows if r[2] == "ZY25" and r[1] == "银行存款/收入户")
    assert dec(line[7]) - dec(line[8]) == bank
    assert any(r[1] == "ZY25 小计" for r in rows)


def test_mapping_holds_chart_and_declarations(mapping: Path) -> None:
    data = tomllib.loads(mapping.read_text(encoding="utf-8"))
    assert data["org"]["name"] == "示例市职工互助保障会"
    funds = {f["code"]: f for f in data["funds"]}
    assert funds["ZY25"]["project"] is True and funds["ZY25"]["filing"] == "示工资备〔2024〕21号"
    assert funds["ZY25"]["file"] == "projects/ZY25.beancount"
    bank = next(a for a in data["accounts"] if a["account"] == BANK)
    # 1002 银行存款; sub-accounts numbered in name order: D定期存款 01, S收入户 02, Z支出户 03.
    assert bank["code"] == "100202" and bank["item"] == "ZY25"
    assert bank["kind"] == "bank" and bank["role"] == "collection"
    assert bank["open"] == datetime.date(2024, 11, 1)
    assert {"large-amount", "approval-amount"} <= {p["key"] for p in data["policies"]}
    assert data["decisions"] and data["audits"]
    keys = {(a["code"], a.get("item", "")) for a in data["accounts"]}
    assert len(keys) == len(data["accounts"])  # (科目编码, 辅助核算) names one account


def test_unbalanced_voucher_is_refused_with_its_number_and_row(
    mapping: Path, tmp_path: Path
) -> None:
    journal = write_journal(tmp_path / "j.xlsx", dues_rows(mapping, "记-0007", 1000.00, 999.90))
    target = tmp_path / "new"
    done = run_cli("import", "vouchers", journal, "--mapping", mapping, "--into", target, "--write")
    assert done.returncode == 2
    assert "记-0007" in done.stderr and "第 3 行" in done.stderr and "借贷不平衡" in done.stderr
    assert "0.10" in done.stderr
    assert "Traceback" not in done.stderr
    assert not target.exists()


def test_unmapped_code_is_refused_with_its_row_and_code(mapping: Path, tmp_path: Path) -> None:
    rows = dues_rows(mapping, "记-0001", 500.0)
    rows += [
        ["记-0002", datetime.date(2025, 3, 4), "杂项", "9999", "未知", 10, None, ""],
        ["记-0002", datetime.date(2025, 3, 4), "杂项", rows[0][3], "银行存款", None, 10, "ZY25"],
    ]
    journal = write_journal(tmp_path / "j.xlsx", rows)
    done = run_cli("import", "vouchers", journal, "--mapping", mapping, "--into", tmp_path / "new")
    assert done.returncode == 2
    assert "第 5 行" in done.stderr and "9999" in done.stderr and "不在映射文件中" in done.stderr
    assert "Traceback" not in done.stderr


def test_dry_run_prints_entries_and_findings_and_writes_nothing(
    mapping: Path, org: Path, tmp_path: Path
) -> None:
    before = {p: p.read_bytes() for p in org.rglob("*.beancount")}
    journal = write_journal(tmp_path / "j.xlsx", dues_rows(mapping, "记-0001", 1234.5))
    done = run_cli("import", "vouchers", journal, "--mapping", mapping, "--into", org)
    assert done.returncode == 0, done.stderr
    assert "收到会费" in done.stdout and "1234.50 CNY" in done.stdout
    assert "0 个错误" in done.stdout  # the findings `hzledger check` would give
    assert "预演" in done.stderr
    assert {p: p.read_bytes() for p in org.rglob("*.beancount")} == before
    # Booked before the 2025-06-30 balance assertion, the same receipt breaks it: the dry run
    # says so, as `hzledger check` would, and exits 1.
    early = dues_rows(mapping, "记-0001", 1234.5, day=datetime.date(2025, 3, 3))
    done = run_cli(
        "import",
        "vouchers",
        write_journal(tmp_path / "e.xlsx", early),
        "--mapping",
        mapping,
        "--into",
        org,
    )
    assert done.returncode == 1
    assert "余额断言不符" in done.stdout and "ZY25.beancount" in done.stdout
    assert {p: p.read_bytes() for p in org.rglob("*.beancount")} == before


def test_write_appends_to_the_sub_ledger_and_changes_no_line(
    mapping: Path, org: Path, tmp_path: Path
) -> None:
    ledger = org / "projects" / "ZY25.beancount"
    before = ledger.read_text(encoding="utf-8")
    others = {p: p.read_bytes() for p in org.rglob("*.beancount") if p != ledger}
    journal = write_journal(tmp_path / "j.xlsx", dues_rows(mapping, "记-0001", 1234.5))
    done = run_cli("import", "vouchers", journal, "--mapping", mapping, "--into", org, "--write")
    assert done.returncode == 0, done.stderr
    after = ledger.read_text(encoding="utf-8")
    assert after.startswith(before)  # appended; every existing line as it was
    assert "1234.50 CNY" in after[len(before) :]
    assert {p: p.read_bytes() for p in org.rglob("*.beancount") if p != ledger} == others
    assert "新增 1 笔交易、0 条声明或断言" in done.stderr  # the org lacked nothing else
    # The same file again adds nothing.
    again = run_cli("import", "vouchers", journal, "--mapping", mapping, "--into", org, "--write")
    assert again.returncode == 0, again.stderr
    assert "新增 0 笔交易" in again.stderr and "跳过" in again.stderr
    assert ledger.read_text(encoding="utf-8") == after


def test_own_export_into_its_own_ledger_adds_nothing(
    org: Path, mapping: Path, tmp_path: Path
) -> None:
    journal = tmp_path / "j.xlsx"
    assert (
        run_cli(
            "export", "journal", org / "main.beancount", "--year", "2025", "-o", journal
        ).returncode
        == 0
    )
    done = run_cli(
        "import", "vouchers", journal, "--mapping", mapping, "--into", org, "--write", "-q"
    )
    assert done.returncode == 0, done.stderr
    assert "新增 0 笔交易、0 条声明或断言" in done.stderr


def test_column_names_come_from_the_mapping(mapping: Path, tmp_path: Path) -> None:
    """A 金蝶-style export with its own headers is read after editing the mapping only."""
    text = mapping.read_text(encoding="utf-8")
    text = text.replace('voucher = "凭证号"', 'voucher = "凭证字号"').replace(
        'debit = "借方金额"', 'debit = "借方"'
    )
    renamed = tmp_path / "kingdee.toml"
    renamed.write_text(text, encoding="utf-8")
    header = ["凭证字号", "日期", "摘要", "科目编码", "科目名称", "借方", "贷方金额", "基金/项目"]
    journal = write_journal(tmp_path / "k.xlsx", dues_rows(mapping, "记-0001", 88.0), header)
    target = tmp_path / "new"
    done = run_cli(
        "import", "vouchers", journal, "--mapping", renamed, "--into", target, "--write", "-q"
    )
    assert done.returncode == 0, done.stderr
    assert (target / "main.beancount").exists() and (target / ".pre-commit-config.yaml").exists()
    text = (target / "projects" / "ZY25.beancount").read_text(encoding="utf-8")
    assert 'custom "hz-project" "ZY25"' in text and "88.00 CNY" in text
    assert check_file(target / "main.beancount").errors == 0


def test_missing_files_and_bad_mapping_are_one_line_errors(mapping: Path, tmp_path: Path) -> None:
    done = run_cli(
        "import", "vouchers", tmp_path / "nope.xlsx", "--mapping", mapping, "--into", tmp_path / "x"
    )
    assert done.returncode == 2 and "找不到文件" in done.stderr and "Traceback" not in done.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text("[ledger\n", encoding="utf-8")
    journal = write_journal(tmp_path / "j.xlsx", dues_rows(mapping, "记-0001", 1.0))
    done = run_cli("import", "vouchers", journal, "--mapping", bad, "--into", tmp_path / "x")
    assert done.returncode == 2 and "TOML" in done.stderr and "Traceback" not in done.stderr
    typo = tmp_path / "typo.toml"
    typo.write_text(mapping.read_text(encoding="utf-8") + "\nledgr = 1\n", encoding="utf-8")
    done = run_cli("import", "vouchers", journal, "--mapping", typo, "--into", tmp_path / "x")
    assert done.returncode == 2 and "ledgr：不认识的键" in done.stderr, done.stderr
    assert "Extra inputs" not in done.stderr and "pydantic" not in done.stderr


def test_opening_balances_from_a_yonyou_trial_balance(mapping: Path, tmp_path: Path) -> None:
    """A 科目余额表 from another system: no 截止日期 in its title, so --opening-date says it."""
    bank, item = code_of(mapping, BANK)
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["科目余额表"])
    ws.append(["科目编码", "科目名称", "基金/项目", "期末借方余额", "期末贷方余额"])
    ws.append([bank, "银行存款/收入户", item, 5000, None])
    ws.append([None, "合计", None, 5000, None])
    trial = tmp_path / "tb.xlsx"
    book.save(trial)
    journal = write_journal(tmp_path / "j.xlsx", dues_rows(mapping, "记-0001", 100.0))
    target = tmp_path / "new"
    args = [
        "import",
        "vouchers",
        journal,
        "--mapping",
        mapping,
        "--into",
        target,
        "--opening",
        trial,
    ]
    done = run_cli(*args)
    assert done.returncode == 2 and "--opening-date" in done.stderr
    done = run_cli(*args, "--opening-date", "2024-12-31", "--write", "-q")
    assert done.returncode == 0, done.stdout + done.stderr
    text = (target / "projects" / "ZY25.beancount").read_text(encoding="utf-8")
    assert "2024-12-31 open Equity:ZY25:3999期初余额结转" in text
    assert "期初余额：资产、负债与净资产（ZY25" in text and "5000.00 CNY" in text


def test_export_to_a_missing_folder_is_one_clear_line(org: Path, tmp_path: Path) -> None:
    out = tmp_path / "no-such-folder" / "序时账.xlsx"
    done = run_cli("export", "journal", org / "main.beancount", "--year", "2025", "-o", out)
    assert done.returncode == 2
    assert "无法写入" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_code_of_several_funds_needs_its_item_and_bad_account_names_are_refused(
    mapping: Path, tmp_path: Path
) -> None:
    rows = dues_rows(mapping, "记-0001", 10.0)
    rows[0][3], rows[0][7] = "100201", ""  # 100201 is in ZH, YW25 and ZY25: which one?
    journal = write_journal(tmp_path / "j.xlsx", rows)
    done = run_cli("import", "vouchers", journal, "--mapping", mapping, "--into", tmp_path / "n")
    assert done.returncode == 2 and "第 3 行" in done.stderr and "属于多个基金/项目" in done.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text(
        mapping.read_text(encoding="utf-8").replace(
            'account = "Assets:ZY25:1002银行存款:S收入户"', 'account = "Assets:ZY25:银行存款"'
        ),
        encoding="utf-8",
    )
    done = run_cli("import", "vouchers", journal, "--mapping", bad, "--into", tmp_path / "n")
    assert done.returncode == 2 and "不合 Beancount 规则" in done.stderr and "100202" in done.stderr


def test_opening_balances_alone_and_nothing_at_all(mapping: Path, tmp_path: Path) -> None:
    bank, item = code_of(mapping, BANK)
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["科目余额表", "截止日期：2024-12-31"])
    ws.append(["科目编码", "科目名称", "基金/项目", "期末借方余额", "期末贷方余额"])
    ws.append([bank, "银行存款/收入户", item, 7000, None])
    trial = tmp_path / "tb.xlsx"
    book.save(trial)
    target = tmp_path / "new"
    done = run_cli(
        "import", "vouchers", "--mapping", mapping, "--into", target, "--opening", trial, "--write"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert '2024-12-31 * "期初余额：资产、负债与净资产（ZY25' in done.stdout
    assert "7000.00 CNY" in (target / "projects" / "ZY25.beancount").read_text(encoding="utf-8")
    done = run_cli("import", "vouchers", "--mapping", mapping, "--into", tmp_path / "other")
    assert done.returncode == 2 and "--opening" in done.stderr


def test_a_gbk_csv_journal_with_text_amounts(mapping: Path, tmp_path: Path) -> None:
    """用友 also exports CSV, in GBK, with amounts as text like “1,234.50”."""
    import csv

    rows = dues_rows(mapping, "12", 1234.5)
    for row in rows:
        row[1] = "2025/07/03"
        row[5] = "1,234.50" if row[5] else ""
        row[6] = "1,234.50" if row[6] else ""
    journal = tmp_path / "序时账.csv"
    with journal.open("w", encoding="gbk", newline="") as handle:
        csv.writer(handle).writerows([YONYOU, *rows])
    done = run_cli("import", "vouchers", journal, "--mapping", mapping, "--into", tmp_path / "n")
    assert done.returncode == 0, done.stderr
    assert "Assets:ZY25:1002银行存款:S收入户   1234.50 CNY" in done.stdout
