"""The compliance extension inside Fava: injected, computed once per load, same engine."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

import hzledger.serve.fava_ext as fava_ext
from hzledger.check import check_file
from hzledger.serve.fava_app import HzFavaLedger, is_read_query, make_fava_app

# isort: split
from serve_support import BAD_TITLE, make_orgs

PAGE = "/bad/extension/HzCompliance/"


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    calls: list[Path] = []
    from hzledger.check import check_loaded as real

    def wrapped(path, *args, **kw):
        calls.append(Path(path))
        return real(path, *args, **kw)

    monkeypatch.setattr(fava_ext, "check_loaded", wrapped)
    return calls


def test_computed_once_per_load_and_again_on_change(tmp_path: Path, counting: list[Path]) -> None:
    orgs = make_orgs(tmp_path)
    app, ledger = make_fava_app("bad", orgs["bad"])
    assert len(counting) == 1
    client = app.test_client()
    for _ in range(5):
        resp = client.get(PAGE)
        assert resp.status_code == 200
    assert len(counting) == 1
    comp = ledger.compliance
    assert comp is not None and comp.view is not None
    before = comp.view.errors

    # A new violation in an included file: the next page load reloads and re-checks once.
    zh = orgs["bad"].parent / "funds" / "ZH.beancount"
    with zh.open("a", encoding="utf-8") as fh:
        fh.write('\n2025-05-01 open Assets:ZH:1101短期投资:LC理财 CNY\n  kind: "wealth-product"\n')
    future = time.time_ns() + 5_000_000_000
    os.utime(zh, ns=(future, future))
    # Fava's file watcher notices in the background; poll like a browser would.
    deadline = time.monotonic() + 20
    page = ""
    while len(counting) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
        page = client.get(PAGE).get_data(as_text=True)
    assert len(counting) == 2
    assert comp.view.errors == before + 1
    assert "LC理财" in page
    client.get(PAGE)
    assert len(counting) == 2


def test_same_findings_as_check(tmp_path: Path) -> None:
    orgs = make_orgs(tmp_path)
    _app, ledger = make_fava_app("bad", orgs["bad"])
    comp = ledger.compliance
    assert comp is not None and comp.view is not None
    checked = check_file(orgs["bad"])
    assert comp.view.errors == checked.errors > 0
    assert comp.view.warnings == checked.warnings
    assert [f.rule for f in comp.view.findings] == [f.rule for f in checked.findings]
    assert comp.view.title == BAD_TITLE


def test_declared_extension_is_not_doubled(tmp_path: Path) -> None:
    orgs = make_orgs(tmp_path)
    main = orgs["shiyan"]
    main.write_text(
        main.read_text(encoding="utf-8")
        + '\n2024-01-01 custom "fava-extension" "hzledger.serve.fava_ext"\n',
        encoding="utf-8",
    )
    _app, ledger = make_fava_app("shiyan", main)
    names = [d.name for d in ledger.extensions.extension_details]
    assert names == ["HzCompliance", "HzHistory", "HzReports"]
    assert not ledger.extensions.errors


def test_ledger_language_and_start_page_are_respected(tmp_path: Path) -> None:
    orgs = make_orgs(tmp_path)
    main = orgs["shiyan"]
    main.write_text(
        main.read_text(encoding="utf-8").replace('"language" "zh"', '"language" "en"'),
        encoding="utf-8",
    )
    main.write_text(
        main.read_text(encoding="utf-8")
        + '\n2024-01-01 custom "fava-option" "default-page" "balance_sheet/"\n',
        encoding="utf-8",
    )
    _app, ledger = make_fava_app("shiyan", main)
    assert isinstance(ledger, HzFavaLedger)
    assert ledger.fava_options.language == "en"
    assert ledger.fava_options.default_page == "balance_sheet/"


def test_engine_failure_is_shown_not_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*_args, **_kw):
        raise RuntimeError("模拟引擎故障")

    monkeypatch.setattr(fava_ext, "check_loaded", boom)
    orgs = make_orgs(tmp_path)
    app, _ledger = make_fava_app("bad", orgs["bad"])
    resp = app.test_client().get(PAGE)
    assert resp.status_code == 200
    assert "合规检查未能运行" in resp.get_data(as_text=True)
    assert "模拟引擎故障" in resp.get_data(as_text=True)


def test_long_findings_lists_are_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fava_ext, "MAX_ROWS", 2)
    orgs = make_orgs(tmp_path)
    app, ledger = make_fava_app("bad", orgs["bad"])
    comp = ledger.compliance
    assert comp is not None and comp.view is not None and comp.view.errors >= 3
    page = app.test_client().get(PAGE).get_data(as_text=True)
    table = page[page.index('id="hz-findings"') :].split("</tbody>", 1)[0]
    assert table.count('<tr class="error">') == 2
    assert "只列前 2 项" in page
    only = app.test_client().get(PAGE + "?rule=HZ-A29").get_data(as_text=True)
    assert "只列前" not in only


def test_audit_table_agrees_with_hz_a32(tmp_path: Path) -> None:
    orgs = make_orgs(tmp_path)
    (orgs["bad"].parent / "audits.beancount").write_text("; no audits recorded\n", encoding="utf-8")
    _app, ledger = make_fava_app("bad", orgs["bad"])
    comp = ledger.compliance
    assert comp is not None and comp.view is not None
    flagged = {
        f.date.year for f in check_file(orgs["bad"]).findings if f.rule == "HZ-A32" and f.date
    }
    failing = {a.year for a in comp.view.audits if a.ok is False}
    assert flagged and failing == flagged
    page = _app.test_client().get(PAGE).get_data(as_text=True)
    assert "未记录" in page and "逾期或缺失" in page


def test_is_read_query() -> None:
    for query in (
        "SELECT 1",
        "  select account",
        "BALANCES",
        "JOURNAL 'Assets'",
        "PRINT",
        ".run",
        ".run q1",
        "run q1",
    ):
        assert is_read_query(query), query
    for query in (
        "",
        "   ",
        ".output /tmp/x",
        ".OUTPUT x",
        "output x",
        ".set a b",
        "set a b",
        ".parse x",
        "help",
        ".help",
        "CREATE TABLE t USING 'csv:/x'",
        ".runx",
    ):
        assert not is_read_query(query), query
