"""Read-only in the UI: the bundle the browser gets, links into the source view, documents, times."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hzledger.serve import clock
from hzledger.serve.fava_app import make_fava_app
from hzledger.serve.frontend import APP_PATCHES, FrontendMismatch, _apply

# isort: split
from serve_support import Server, make_orgs


def test_served_bundle_has_no_editing_controls(server: Server) -> None:
    resp = server.get("/static/app.js", user="alice")
    assert resp.status == 200
    js = resp.body.decode("utf-8")
    for _old, new in APP_PATCHES:
        assert new in js
    # The sidebar entries are no longer drawn, the add dialog never opens.
    assert 'SidebarLink(node_13, {\n      report: "editor"' not in js
    assert 'SidebarLink(node_15, {\n      report: "import"' not in js
    assert '$hash() === "add-transaction"' not in js
    assert 'href="#add-transaction">+</a></div>' not in js
    # The CodeMirror chunk is read-only.
    chunk = re.search(r'import\("\./(beancount-[A-Z0-9]+\.js)"\)', js)
    assert chunk is not None
    cm = server.get(f"/static/{chunk.group(1)}", user="alice").body.decode("utf-8")
    assert "EditorState.readOnly.of(true)\n    ]" in cm
    # Static files still need a login.
    assert server.get("/static/app.js").status == 401


def test_import_page_is_gone(server: Server) -> None:
    imports = server.get("/bad/import/", user="bob")
    assert imports.status == 404 and "未找到该页面" in imports.text


def test_bundle_change_fails_loudly() -> None:
    with pytest.raises(FrontendMismatch):
        _apply("app.js", "nothing of Fava here", APP_PATCHES)


def test_finding_and_decision_locations_link_to_the_source_view(tmp_path: Path) -> None:
    orgs = make_orgs(tmp_path)
    app, _ledger = make_fava_app("bad", orgs["bad"])
    page = app.test_client().get("/bad/extension/HzCompliance/").get_data(as_text=True)
    links = re.findall(r'<a class="hz-src" href="([^"]+)"><code>([^<]+)</code>', page)
    assert len(links) >= 3
    for href, location in links:
        file, line = location.rsplit(":", 1)
        assert href.startswith("/bad/editor/?file_path=")
        assert f"line={line}" in href
        assert not file.startswith("/")
    # The source view's data for such a link is the org file, read through the confined API.
    source = app.test_client().get("/bad/api/source?filename=funds/ZH.beancount")
    assert source.status_code == 200
    assert str(tmp_path) not in source.get_data(as_text=True)


def test_decision_and_audit_documents_link_to_the_document(tmp_path: Path) -> None:
    orgs = make_orgs(tmp_path)
    root = orgs["shiyan"].parent
    (root / "documents" / "D2025-02-理事会纪要.pdf").write_bytes(b"%PDF-1.4 minutes")
    (root / "documents" / "2024-年度审计报告.pdf").write_bytes(b"%PDF-1.4 audit")
    outside = tmp_path / "secret.pdf"
    outside.write_bytes(b"%PDF secret")
    app, _ledger = make_fava_app("shiyan", orgs["shiyan"])
    client = app.test_client()
    page = client.get("/shiyan/extension/HzCompliance/").get_data(as_text=True)
    docs = re.findall(r'<a class="hz-doc" href="([^"]+)">([^<]+)</a>', page)
    names = {name for _href, name in docs}
    assert {"documents/D2025-02-理事会纪要.pdf", "documents/2024-年度审计报告.pdf"} <= names
    by_name = {name: href.replace("&amp;", "&") for href, name in docs}
    resp = client.get(by_name["documents/D2025-02-理事会纪要.pdf"])
    assert resp.status_code == 200 and resp.data == b"%PDF-1.4 minutes"
    assert client.get(by_name["documents/2024-年度审计报告.pdf"]).data == b"%PDF-1.4 audit"
    # Not a linked document, or outside the folder: still 404.
    assert client.get("/shiyan/document/?filename=../secret.pdf").status_code == 404
    assert client.get("/shiyan/document/?filename=main.beancount").status_code == 404


def test_times_in_the_server_zone_with_the_zone_shown(tmp_path: Path) -> None:
    orgs = make_orgs(tmp_path)
    app, _ledger = make_fava_app("bad", orgs["bad"])
    try:
        clock.set_zone("Asia/Shanghai")
        page = app.test_client().get("/bad/extension/HzCompliance/").get_data(as_text=True)
        assert "（Asia/Shanghai，UTC+08:00）" in page
        clock.set_zone("UTC")
        page = app.test_client().get("/bad/extension/HzCompliance/").get_data(as_text=True)
        assert "（UTC，UTC+00:00）" in page
    finally:
        clock.set_zone(clock.DEFAULT_ZONE)
    with pytest.raises(clock.UnknownZone):
        clock.set_zone("Mars/Olympus")


def test_serve_refuses_an_unknown_zone(tmp_path: Path, cli) -> None:
    orgs = make_orgs(tmp_path)
    result = cli("serve", str(orgs["bad"]), "--demo-user", "--timezone", "Mars/Olympus")
    assert result.returncode != 0
    assert "未知时区：Mars/Olympus" in result.stderr
    assert "Traceback" not in result.stderr


PAGES_AND_JSON = (
    "errors/",
    "options/",
    "journal/",
    "documents/",
    "editor/?file_path=funds/ZH.beancount&line=56",
    "extension/HzCompliance/",
    "extension/HzReports/",
    "extension/HzHistory/",
    "api/errors",
    "api/documents",
    "api/source?filename=main.beancount",
    "api/journal",
    "extension/HzReports/download?kind=solvency&year=2025&format=json",
)


def test_no_server_path_on_any_page_or_json(server: Server, orgs: dict[str, Path]) -> None:
    folder = orgs["bad"].parent
    for name in PAGES_AND_JSON:
        resp = server.get(f"/bad/{name}", user="bob")
        assert resp.status == 200, name
        text = resp.text
        for secret in (str(folder), str(folder.parent)):
            assert secret not in text, name
    # The errors the Errors page shows name org-relative files.
    assert "funds/ZH.beancount" in server.get("/bad/api/errors", user="bob").text
