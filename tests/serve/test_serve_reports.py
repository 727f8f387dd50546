"""报表 in the service: every report kind, a year selector, downloads byte for byte the CLI's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hzledger.reports import REPORTS
from hzledger.serve.fava_app import make_fava_app

# isort: split
from serve_support import BAD_TITLE, CLEAN_TITLE, Server, make_orgs

from hztest import run_cli


@pytest.fixture(scope="module")
def bad_app(tmp_path_factory: pytest.TempPathFactory):
    orgs = make_orgs(tmp_path_factory.mktemp("reports"))
    app, _ledger = make_fava_app("bad", orgs["bad"])
    return app, orgs["bad"].parent


@pytest.mark.parametrize("kind", sorted(REPORTS))
def test_downloads_are_the_cli_bytes(bad_app, kind: str, tmp_path: Path) -> None:
    app, folder = bad_app
    client = app.test_client()
    if kind == "submission":  # only ever JSON, in the CLI and here
        no_xlsx = client.get(f"/bad/extension/HzReports/download?kind={kind}&year=2025&format=xlsx")
        assert no_xlsx.status_code == 404
    for fmt in ("json",) if kind == "submission" else ("json", "xlsx"):
        out = tmp_path / f"{kind}.{fmt}"
        done = run_cli(
            "report",
            kind,
            "main.beancount",
            "--year",
            "2025",
            "--format",
            fmt,
            "-o",
            out,
            cwd=folder,
        )
        assert done.returncode == 0, done.stderr
        resp = client.get(f"/bad/extension/HzReports/download?kind={kind}&year=2025&format={fmt}")
        assert resp.status_code == 200
        expected = out.read_bytes()
        if fmt == "json":
            # The one difference: source files the CLI names absolutely (solvency's claim
            # lines) are organisation-relative in the service, which never shows server paths.
            expected = expected.replace(f'"{folder}/'.encode(), b'"')
        assert resp.data == expected, (kind, fmt)
        assert f"filename={kind}-2025.{fmt}" in resp.headers["Content-Disposition"]
    # The JSON names files relative to the organisation folder only.
    body = client.get(f"/bad/extension/HzReports/download?kind={kind}&year=2025&format=json")
    assert str(folder) not in body.get_data(as_text=True)


def test_page_lists_kinds_years_and_downloads(bad_app) -> None:
    app, _folder = bad_app
    client = app.test_client()
    page = client.get("/bad/extension/HzReports/?kind=disclosure&year=2025").get_data(as_text=True)
    kinds = re.findall(r'data-kind="([a-z]+)"', page)
    assert sorted(kinds) == sorted(REPORTS)
    assert '<option value="2025" selected>' in page
    for fmt in ("xlsx", "json", "html"):
        assert f"kind=disclosure&amp;year=2025&amp;format={fmt}" in page
    printable = client.get(
        "/bad/extension/HzReports/download?kind=disclosure&year=2025&format=html"
    )
    assert printable.status_code == 200 and "<html" in printable.get_data(as_text=True).lower()
    # Unknown kinds and years not in the ledger: 404, not a traceback.
    assert client.get("/bad/extension/HzReports/?kind=nope").status_code == 404
    assert client.get("/bad/extension/HzReports/download?kind=funds&year=1999").status_code == 404
    assert client.get("/bad/extension/HzReports/download?kind=funds&year=x").status_code == 404


def test_report_routes_obey_scope(server: Server) -> None:
    url = "/bad/extension/HzReports/download?kind=funds&year=2025&format=json"
    assert server.get(url, user="bob").status == 200
    for user in ("alice", "carol"):
        resp = server.get(url, user=user)
        assert resp.status == 404
        assert BAD_TITLE not in resp.text
        page = server.get("/bad/extension/HzReports/", user=user)
        assert page.status == 404 and BAD_TITLE not in page.text
    assert server.get(url).status == 401
    # Still read-only: no write method reaches the report routes.
    assert server.request("POST", url, user="bob").status == 405


def test_not_found_pages_are_chinese(server: Server) -> None:
    """QA: Werkzeug's English "Not Found" in the Chinese UI; same status, a Chinese reason."""
    cases = {
        "/bad/import/": "未找到该页面",
        "/bad/no-such-page/": "未找到该页面",
        "/bad/extension/HzReports/?kind=funds&year=1999": "该账本没有 1999 年度的数据",
        "/bad/extension/HzReports/?kind=funds&year=abc": "年度无效",
        "/bad/extension/HzReports/?kind=bogus": "未知报表类型",
        "/bad/extension/HzReports/download?kind=funds&year=1999&format=json": "没有 1999 年度",
    }
    for path, reason in cases.items():
        resp = server.get(path, user="bob")
        assert resp.status == 404, path
        assert resp.headers["content-type"].startswith("text/html"), path
        assert "404" in resp.text and reason in resp.text, path
        assert "The requested URL was not found" not in resp.text, path
        # Names nothing: not the request's text, not another organisation.
        assert CLEAN_TITLE not in resp.text and "bogus" not in resp.text and "abc" not in resp.text
