"""`report balance`: the balance sheet per fund and consolidated, worked out by hand."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import beanquery

from hzledger.reports.balance import FundBalanceSheet, balance_report
from hzledger.reports.source import ReportLedger, load_ledger

D = Decimal


def line(sheet: FundBalanceSheet, attr: str, kind: str) -> Decimal:
    return next(k.amount for k in getattr(sheet, attr) if k.kind == kind)


def test_balance_sheet_2024_by_hand(small_loaded: ReportLedger, ctx_for) -> None:
    report = balance_report(ctx_for(small_loaded, 2024))
    sheets = {s.code: s for s in report.funds}
    assert str(report.header.as_of) == "2024-12-31"

    zh = sheets["ZH"]
    assert line(zh, "current_assets", "bank") == D("116000.00")
    assert zh.liabilities_total == 0
    # 20,000 was booked to the restricted equity account; a general fund's surplus is unrestricted.
    assert (zh.net_assets_restricted, zh.net_assets_unrestricted) == (D("20000.00"), D("96000.00"))

    p24 = sheets["P24"]
    assert line(p24, "current_assets", "bank") == D("20100.00")
    assert line(p24, "current_assets", "treasury-bond") == D("10000.00")  # 100 units at cost 100.00
    assert p24.assets_total == D("30100.00")
    assert line(p24, "liabilities", "payable") == D("1000.00")
    assert line(p24, "liabilities", "benefit-payable") == D("2400.00")
    assert line(p24, "liabilities", "claim-reserve") == D("1500.00")
    assert p24.liabilities_total == D("4900.00")
    # A project's accumulated surplus is restricted to its members (art. 17, 22).
    assert (p24.net_assets_restricted, p24.net_assets_unrestricted) == (D("25200.00"), D(0))

    total = report.total
    assert total.assets_total == D("155000.00")
    assert total.liabilities_total == D("4900.00")
    assert total.net_assets_total == D("150100.00")
    assert total.net_assets_restricted == D("54100.00")
    assert total.net_assets_unrestricted == D("96000.00")
    assert total.assets_total == total.liabilities_total + total.net_assets_total


def test_balance_sheet_matches_beanquery_on_example(example_ledger: Path, ctx_for) -> None:
    report = balance_report(ctx_for(load_ledger(example_ledger), 2025))
    conn = beanquery.connect("beancount:" + str(example_ledger))
    rows = conn.execute(
        "SELECT splitcomp(account, ':', 1) AS fund, open_meta(account, 'kind') AS kind, "
        "sum(number(cost(position))) WHERE account ~ '^Assets:' AND date <= 2025-12-31 GROUP BY fund, kind"
    ).fetchall()
    for fund, kind, value in rows:
        sheet = next(s for s in report.funds if s.code == fund)
        assert line(sheet, "current_assets", kind) == value
    zy = next(s for s in report.funds if s.code == "ZY25")
    assert line(zy, "current_assets", "treasury-bond") == D("250000.00")


def test_holding_without_cost_is_named_not_dropped(tmp_path, ctx_for) -> None:
    from report_ledgers import SMALL, write

    # Bonds booked at a price (@) rather than a cost ({}) have no CNY cost to value them at.
    text = SMALL.replace(
        "Assets:P24:1101国债  100 GZ01 {100.00 CNY}", "Assets:P24:1101国债  100 GZ01 @ 100.00 CNY"
    )
    report = balance_report(ctx_for(load_ledger(write(tmp_path, text)), 2024))
    p24 = next(s for s in report.funds if s.code == "P24")
    assert line(p24, "current_assets", "treasury-bond") == 0
    assert report.header.notes == ["Assets:P24:1101国债 持有没有CNY成本的 GZ01，未计入金额"]
