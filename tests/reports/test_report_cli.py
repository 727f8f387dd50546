"""The real `hzledger report` command: every kind and format, clean errors, Excel read back."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from hzledger.reports import REPORTS
from hzledger.reports.source import ReportLedger


def test_every_report_dumps_to_json(small_loaded: ReportLedger, ctx_for) -> None:
    for kind, make in REPORTS.items():
        data = json.loads(make(ctx_for(small_loaded, 2024)).model_dump_json())
        assert data["kind"] == kind
        assert data["header"]["organisation"] == "测试市职工互助保障会"
        assert data["header"]["period"] == {"start": "2024-01-01", "end": "2024-12-31"}


def test_json_money_is_exact_strings(small: Path, cli) -> None:
    result = cli("report", "funds", small, "--year", "2024", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["kind"] == "funds"
    assert data["total"]["closing"] == "150100.00"
    assert Decimal(data["total"]["income_total"]) == Decimal("98600.00")


def test_text_report(small: Path, cli) -> None:
    result = cli("report", "statistics", small, "--year", "2024")
    assert result.returncode == 0
    assert "互助保障业务统计" in result.stdout
    assert "1,237.50" in result.stdout  # P24's average benefit
    assert "期间：2024年度" in result.stdout


def test_from_to_and_fund(small: Path, cli) -> None:
    result = cli(
        "report",
        "funds",
        small,
        "--from",
        "2025-01-01",
        "--to",
        "2025-06-30",
        "--fund",
        "P24",
        "--format",
        "json",
    )
    data = json.loads(result.stdout)
    assert data["header"]["fund"] == "P24"
    assert [f["code"] for f in data["funds"]] == ["P24"]
    assert data["total"]["closing"] == "20200.00"


def test_html_report(small: Path, cli, tmp_path: Path) -> None:
    out = tmp_path / "balance.html"
    result = cli("report", "balance", small, "--year", "2024", "--format", "html", "-o", out)
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "<table>" in html and "资产负债表" in html and "150,100.00" in html
    assert "http://" not in html and "https://" not in html  # no external resources


def test_xlsx_read_back(small: Path, cli, tmp_path: Path) -> None:
    out = tmp_path / "基金收支.xlsx"
    result = cli("report", "funds", small, "--year", "2024", "--format", "xlsx", "-o", out)
    assert result.returncode == 0, result.stderr
    book = load_workbook(out)
    assert book.sheetnames == ["基金收支", "说明"]
    ws = book["基金收支"]
    headers = [c.value for c in ws[1]]
    assert headers == ["项目", "条款", "ZH", "P24", "Q", "合计"]
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2) if r[0].value}
    closing = rows["五、期末净资产"]
    assert [c.value for c in closing[2:]] == [116000, 25200, 8900, 150100]
    assert all(c.number_format == "#,##0.00" for c in closing[2:])
    assert ws.column_dimensions["A"].width >= 20
    assert "测试市职工互助保障会" in book["说明"]["A1"].value


def test_xlsx_solvency_ratio_is_a_percentage(small: Path, cli, tmp_path: Path) -> None:
    out = tmp_path / "solvency.xlsx"
    cli("report", "solvency", small, "--year", "2024", "--format", "xlsx", "-o", out)
    ws = load_workbook(out)["偿付能力"]
    header = [c.value for c in ws[1]]
    col = header.index("偿付能力充足率")
    q = next(r for r in ws.iter_rows(min_row=2) if str(r[0].value).startswith("Q "))
    assert q[col].value == pytest.approx(0.9916)
    assert q[col].number_format == "0.00%"
    detail = load_workbook(out)["未到期责任准备金"]
    heads = [c.value for c in detail[1]]
    rows = [
        r
        for r in detail.iter_rows(min_row=2)
        if isinstance(r[0].value, str) and len(r[0].value) <= 4 and r[1].value
    ]
    reserves = [r[heads.index("准备金")].value for r in rows]
    assert reserves == [18100, pytest.approx(8975.34)]
    # Dates are stored as dates, shown as ISO dates.
    dated = rows[0][heads.index("入账日期")]
    assert dated.is_date and dated.number_format == "yyyy-mm-dd"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "funds", "missing.beancount"], "找不到账本文件"),
        (
            ["report", "funds", "{small}", "--year", "2024", "--from", "2024-01-01"],
            "--year 不能与 --from/--to 同时使用",
        ),
        (["report", "funds", "{small}", "--fund", "NOPE"], "没有基金或项目 NOPE"),
        (["report", "funds", "{small}", "--format", "xlsx"], "需要用 -o"),
    ],
)
def test_bad_input_is_a_clear_chinese_error(
    args: list[str], message: str, small: Path, cli
) -> None:
    result = cli(*[a.format(small=small) for a in args])
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_period_errors_in_library(small_loaded: ReportLedger) -> None:
    import datetime

    from hzledger.reports.common import ReportError, resolve_period

    with pytest.raises(ReportError, match="早于起始日期") as caught:
        resolve_period(
            small_loaded.entries,
            date_from=datetime.date(2025, 1, 1),
            date_to=datetime.date(2024, 1, 1),
        )
    assert "before" in caught.value.en


def test_unreadable_ledger_is_refused_with_file_and_line(tmp_path: Path, cli) -> None:
    garbage = tmp_path / "main.beancount"
    garbage.write_text("这不是账本\n", encoding="utf-8")
    result = cli("report", "funds", garbage)
    assert result.returncode == 2
    assert f"{garbage}:1: Beancount 报告错误" in result.stderr
    assert "无法读取，没有生成报表" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_english_errors(cli) -> None:
    result = cli("report", "funds", "missing.beancount", "--lang", "en")
    assert result.returncode == 2
    assert "ledger not found: missing.beancount" in result.stderr


def test_report_on_ledger_with_errors_warns(broken: Path, cli) -> None:
    result = cli("report", "statistics", broken, "--format", "json")
    assert result.returncode == 0
    assert "1 个错误" in result.stderr
    assert "main.beancount:19: 违反第十七条" in result.stderr  # the first error, with file and line
    data = json.loads(result.stdout)
    assert data["header"]["ledger_errors"] == 1
    assert data["total"]["members"] == 200
