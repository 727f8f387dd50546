"""`hzledger rollup`: one row per organisation, errors marked, totals equal the sum of the reports."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from report_ledgers import copy_example

from hzledger.reports.common import resolve_period
from hzledger.reports.context import ReportContext
from hzledger.reports.funds import funds_report
from hzledger.reports.rollup import rollup
from hzledger.reports.solvency import solvency_report
from hzledger.reports.source import load_ledger
from hzledger.reports.statistics import statistics_report

D = Decimal
SUMMED = (
    "dues",
    "benefits",
    "admin",
    "opening",
    "income",
    "expenses",
    "closing",
    "net_available",
    "obligations",
)


def per_org(path: Path, year: int) -> dict[str, Decimal | int]:
    ledger = load_ledger(path)
    ctx = ReportContext(ledger, resolve_period(ledger.entries, year=year))
    stats, funds, solvency = (
        statistics_report(ctx).total,
        funds_report(ctx).total,
        solvency_report(ctx).total,
    )
    return {
        "members": stats.members,
        "claims": stats.claims,
        "dues": stats.dues,
        "benefits": stats.benefits,
        "admin": stats.admin,
        "opening": funds.opening,
        "income": funds.income_total,
        "expenses": funds.expenses_total,
        "closing": funds.closing,
        "net_available": solvency.net_available,
        "obligations": solvency.obligations,
    }


def test_rollup_totals_equal_sum_of_org_reports(
    small: Path, broken: Path, tmp_path: Path, cli
) -> None:
    example = copy_example(tmp_path)
    missing = tmp_path / "nowhere" / "main.beancount"
    result = cli("rollup", small, broken, example, missing, "--year", "2024", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    rows = {Path(r["ledger"]).resolve(): r for r in data["rows"]}
    assert len(data["rows"]) == 4

    assert rows[small.resolve()]["status"] == "ok"
    assert rows[broken.resolve()]["status"] == "errors"  # included, and marked
    assert rows[broken.resolve()]["errors"] == 1
    assert rows[missing.resolve()]["status"] == "unreadable"
    assert "找不到账本文件" in rows[missing.resolve()]["message"]
    assert "找不到账本文件" in result.stderr

    expected = {p: per_org(p, 2024) for p in (small, broken, example)}
    for path, figures in expected.items():
        row = rows[path.resolve()]
        for key, value in figures.items():
            assert D(str(row[key])) == value, (path, key)
    total = data["total"]
    for key in (*SUMMED, "members", "claims"):
        assert D(str(total[key])) == sum((D(str(r[key])) for r in data["rows"]), D(0)), key
        assert D(str(total[key])) == sum((D(str(f[key])) for f in expected.values()), D(0)), key
    assert total["errors"] == 2  # the broken ledger's error and the missing file
    # Small: 1,400 members; broken: 200; example 2024: 1,850 (ZY25's December batch).
    assert total["members"] == 3450
    assert total["payout_ratio"] == str(
        (D(str(total["benefits"])) / D(str(total["dues"]))).quantize(D("0.0001"))
    )


def test_rollup_in_parallel_processes_matches_serial(small: Path, tmp_path: Path) -> None:
    example = copy_example(tmp_path)
    parallel = rollup([str(small), str(example)], 2025, jobs=2)
    serial = rollup([str(small), str(example)], 2025, jobs=1)
    assert parallel.model_dump() == serial.model_dump()
    assert parallel.total.closing == sum((r.closing for r in parallel.rows), D(0))


def test_rollup_xlsx(small: Path, broken: Path, tmp_path: Path, cli) -> None:
    out = tmp_path / "汇总.xlsx"
    result = cli("rollup", small, broken, "--year", "2024", "--format", "xlsx", "-o", out)
    assert result.returncode == 0, result.stderr
    book = load_workbook(out)
    assert book.sheetnames[:4] == ["组织", "统计汇总", "收支汇总", "偿付能力汇总"]
    ws = book["统计汇总"]
    assert ws.freeze_panes == "A2"
    names = [r[0].value for r in ws.iter_rows(min_row=2)]
    assert names == ["测试市职工互助保障会", "错误县职工互助保障会", "合计"]
    members = [r[2].value for r in ws.iter_rows(min_row=2)]
    assert members == [1400, 200, 1600]
    status = [r[3].value for r in book["组织"].iter_rows(min_row=2)]
    assert status[:2] == ["正常", "账本有错误"]
