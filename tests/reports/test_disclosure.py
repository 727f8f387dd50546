"""`report disclosure`: the member-facing page, its figures, and a real headless chromium render."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from hzledger.reports.disclosure import disclosure_report
from hzledger.reports.source import ReportLedger

from hztest import ARTIFACTS

D = Decimal


def test_disclosure_figures(small_loaded: ReportLedger, ctx_for) -> None:
    report = disclosure_report(ctx_for(small_loaded, 2024))
    projects = {p.code: p for p in report.projects}
    assert (projects["P24"].members, projects["P24"].claims) == (1000, 8)
    # Dues earned in 2024 on P24's cover (184 of 365 days), as in the statistics report.
    assert projects["P24"].dues == D("18400.00") and projects["P24"].benefits == D("9900.00")
    assert projects["P24"].closing == D("25200.00")
    assert projects["Q"].solvency_below
    assert report.total_closing == D("150100.00")
    # Members can add each row up: opening + income − spending + other changes = closing.
    for f in report.funds:
        assert f.opening + f.income - f.expenses + f.other_change + f.cross_fund == f.closing
    zh = next(f for f in report.funds if f.code == "ZH")
    assert zh.other_change == D("100000.00")  # the opening balance booked on 2024-01-01
    assert report.total_opening == 0
    assert [(a.kind, a.recorded) for a in report.audits] == [
        ("internal", False),
        ("external", False),
    ]


def test_disclosure_html_is_self_contained(small_loaded: ReportLedger, ctx_for) -> None:
    html = disclosure_report(ctx_for(small_loaded, 2024)).html()
    assert "第二十条" in html and "2024年度互助保障信息公开" in html
    assert "住院互助保障计划（2024—2025）" in html
    assert "@media print" in html
    assert "<link" not in html and "<script" not in html and "http" not in html


def test_audits_on_record_in_example(example_ledger: Path, ctx_for) -> None:
    from hzledger.reports.source import load_ledger

    report = disclosure_report(ctx_for(load_ledger(example_ledger), 2024))
    external = next(a for a in report.audits if a.kind == "external")
    assert external.recorded and external.auditor == "示例会计师事务所"


@pytest.mark.browser
def test_disclosure_renders_in_chromium(small: Path, cli, tmp_path: Path, browser) -> None:
    page_file = tmp_path / "disclosure.html"
    result = cli(
        "report", "disclosure", small, "--year", "2024", "--format", "html", "-o", page_file
    )
    assert result.returncode == 0, result.stderr

    page = browser.new_page(viewport={"width": 1100, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(page_file.as_uri())
    assert page.title() == "测试市职工互助保障会 2024年度互助保障信息公开"
    assert page.locator("h1").inner_text().startswith("测试市职工互助保障会")
    rows = page.locator("section table").first.locator("tbody tr")
    assert rows.count() == 2
    q_row = rows.nth(1).inner_text()
    assert "重大疾病互助保障计划" in q_row and "99.16%（不足）" in q_row
    assert "flag" in (rows.nth(1).get_attribute("class") or "")
    assert page.locator(".summary b").nth(2).inner_text() == "150,100.00"
    assert page.get_by_text("尚未完成").count() == 2
    funds_total = page.locator("section table").nth(1).locator("tr.total td")
    assert [funds_total.nth(i).inner_text() for i in range(6)] == [
        "合计",
        "0.00",
        "98,600.00",
        "48,500.00",
        "100,000.00",
        "150,100.00",
    ]
    assert requests == [page_file.as_uri()]  # nothing fetched beyond the page itself

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = tmp_path / "disclosure.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    shutil.copy(shot, ARTIFACTS / "disclosure.png")

    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    page.close()
