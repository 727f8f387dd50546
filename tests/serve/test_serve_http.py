"""The real `hzledger serve` over real HTTP: authentication, read-only, scope, confinement."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest

# isort: split
from serve_support import (
    BAD_TITLE,
    CLEAN_TITLE,
    Server,
    basic,
    compliance_path,
    tree_digest,
)

# Every Fava 1.30 endpoint that writes, with the methods Fava accepts on it.
WRITE_ENDPOINTS = [
    "api/source",
    "api/source_slice",
    "api/add_entries",
    "api/attach_document",
    "api/add_document",
    "api/upload_import_file",
    "api/move",
    "api/document",
    "api/format_source",
]
WRITE_METHODS = ["PUT", "POST", "DELETE", "PATCH"]

# Pages and API calls a supervisor's browser makes for one ledger.
FAVA_PAGES = [
    "income_statement/",
    "balance_sheet/",
    "trial_balance/",
    "journal/",
    "errors/",
    "documents/",
    "options/",
    "statistics/",
    "editor/",
    "api/ledger_data",
    "api/errors",
    "api/journal_page?page=1&order=desc",
    "api/balance_sheet",
    "api/options",
    "api/documents",
    "api/query?query_string=SELECT%20account%2C%20sum(position)%20GROUP%20BY%20account",
]


def test_no_credentials_is_401_everywhere(server: Server) -> None:
    for path in [
        "/",
        "/shiyan/",
        compliance_path("shiyan"),
        "/static/app.js",
        "/shiyan/api/errors",
        "/bad/",
    ]:
        resp = server.get(path)
        assert resp.status == 401, path
        assert resp.headers["www-authenticate"].startswith("Basic realm=")
        assert CLEAN_TITLE not in resp.text and BAD_TITLE not in resp.text


@pytest.mark.parametrize(
    "auth",
    [
        basic("alice", "wrong-password"),
        basic("nobody", "alice-password"),
        basic("alice", ""),
        "Basic !!!not-base64!!!",
        "Basic " + "YWxpY2U=",  # "alice" without a colon
        "Bearer alice-password",
    ],
)
def test_bad_credentials_are_401(server: Server, auth: str) -> None:
    for path in ["/", "/shiyan/api/ledger_data", "/static/app.css"]:
        resp = server.request("GET", path, auth=auth)
        assert resp.status == 401, (auth, path)


def test_write_methods_are_405_and_files_unchanged(server: Server, orgs: dict[str, Path]) -> None:
    base = orgs["shiyan"].parent.parent
    before = tree_digest(base)
    main = str(orgs["shiyan"])
    source = orgs["shiyan"].read_text(encoding="utf-8")
    # A body Fava would accept and act on, were the request let through.
    # (Under 1 KiB: waitress refuses larger bodies itself, 413, before the application.)
    payload = json.dumps(
        {"file_path": main, "source": "; written\n", "sha256sum": "x", "entries": []}
    ).encode()
    assert len(payload) < 1024
    for endpoint in WRITE_ENDPOINTS:
        for method in WRITE_METHODS:
            for user in ("root", "alice"):
                resp = server.request(method, f"/shiyan/{endpoint}", user=user, body=payload)
                assert resp.status == 405, (method, endpoint, user, resp.status)
                assert resp.headers["allow"] == "GET, HEAD"
    whole = json.dumps({"file_path": main, "source": source + "\n; written\n"}).encode()
    assert server.request("PUT", "/shiyan/api/source", user="root", body=whole).status == 413
    # Outside any ledger, and for an out-of-scope ledger: still 405, never 404/200.
    assert server.request("POST", "/", user="alice", body=b"{}").status == 405
    assert server.request("PUT", "/bad/api/source", user="alice", body=payload).status == 405
    # Unauthenticated writes learn nothing beyond 401.
    assert server.request("PUT", "/shiyan/api/source", body=payload).status == 401
    assert tree_digest(base) == before


def test_head_is_allowed_without_body(server: Server) -> None:
    resp = server.request("HEAD", compliance_path("shiyan"), user="alice")
    assert resp.status == 200
    # Served by waitress (ident "hzledger"), not werkzeug's development server.
    assert resp.headers["server"] == "hzledger"
    assert resp.body == b""
    assert int(resp.headers["content-length"]) > 1000


def test_out_of_scope_is_indistinguishable_from_missing(server: Server) -> None:
    missing = server.get("/no-such-org/", user="alice")
    assert missing.status == 404
    for path in [
        "/bad/",
        "/bad/income_statement/",
        compliance_path("bad"),
        "/bad/api/ledger_data",
        "/bad/api/source?filename=x",
        "/bad/document/?filename=main.beancount",
        "/shiyan/../bad/income_statement/",
        "/shiyan/%2e%2e/bad/income_statement/",
    ]:
        resp = server.get(path, user="alice")
        assert resp.status == 404, path
        assert resp.body == missing.body, path
        assert BAD_TITLE not in resp.text


def test_scope_by_title(server: Server) -> None:
    assert server.get(compliance_path("bad"), user="bob").status == 200
    assert server.get(compliance_path("shiyan"), user="bob").status == 404


def _crawl(server: Server, user: str, slug: str) -> list[tuple[str, str]]:
    pages = [("/", server.get("/", user=user))]
    for page in [*FAVA_PAGES, compliance_path(slug)[len(slug) + 2 :]]:
        path = f"/{slug}/{page}"
        resp = server.get(path, user=user)
        assert resp.status == 200, (path, resp.status, resp.text[:300])
        pages.append((path, resp.text))
    redirect = server.get(f"/{slug}/", user=user)
    assert redirect.status == 302
    # Entering a ledger lands on its compliance page.
    assert redirect.headers["location"] == compliance_path(slug)
    return [(p, r if isinstance(r, str) else r.text) for p, r in pages]


def test_scoped_user_never_sees_another_title(server: Server) -> None:
    alice_pages = _crawl(server, "alice", "shiyan")
    # Positive control: the crawl does see titles where they belong.
    assert sum(CLEAN_TITLE in text for _, text in alice_pages) >= len(alice_pages) // 2
    for path, text in alice_pages:
        assert BAD_TITLE not in text, path
        assert 'href="/bad/' not in text, path
    for path, text in _crawl(server, "bob", "bad"):
        # (`bad`'s own journal names a file path inside shiyan's folder: its own data.)
        assert CLEAN_TITLE not in text, path
        assert 'href="/shiyan/' not in text, path


def test_landing_lists_only_visible_ledgers_with_counts(server: Server) -> None:
    alice = server.get("/", user="alice").text
    assert CLEAN_TITLE in alice and BAD_TITLE not in alice
    root = server.get("/", user="root").text
    assert CLEAN_TITLE in root and BAD_TITLE in root
    # The bad ledger's counts are the engine's: errors > 0 shown as such.
    row = root[root.index('data-slug="bad"') :].split("</tr>", 1)[0]
    assert 'class="num bad"' in row
    clean_row = root[root.index('data-slug="shiyan"') :].split("</tr>", 1)[0]
    assert 'class="num good">0<' in clean_row


def test_user_without_ledgers_sees_nothing(server: Server) -> None:
    landing = server.get("/", user="carol")
    assert landing.status == 200 and "没有可查看的组织" in landing.text
    assert CLEAN_TITLE not in landing.text and BAD_TITLE not in landing.text
    for slug in ("shiyan", "bad"):
        assert server.get(compliance_path(slug), user="carol").status == 404
    assert server.get("/static/app.css", user="carol").status == 200


def test_fava_defaults_to_chinese(server: Server) -> None:
    # `bad` sets no language: the served ledger still speaks Chinese.
    data = json.loads(server.get("/bad/api/ledger_data", user="bob").text)
    assert data["data"]["fava_options"]["language"] == "zh"
    # One ledger per Fava app: the switcher has nothing to offer, even to root.
    assert data["data"]["other_ledgers"] == []
    root = json.loads(server.get("/bad/api/ledger_data", user="root").text)
    assert root["data"]["other_ledgers"] == []
    assert [e["name"] for e in root["data"]["extensions"]] == [
        "HzCompliance",
        "HzHistory",
        "HzReports",
    ]
    page = server.get("/bad/income_statement/", user="bob").text
    raw = page.split('id="translations">', 1)[1].split("</script>", 1)[0]
    translations = json.loads(raw)
    assert re.search(r"[\u4e00-\u9fff]", translations["Income Statement"])


def test_document_confined_to_org_folder(server: Server, orgs: dict[str, Path]) -> None:
    inside = orgs["shiyan"].parent / "documents" / "2025-01-10.bank-statement.pdf"
    ok = server.get(f"/shiyan/document/?filename={inside}", user="alice")
    assert ok.status == 200 and b"shiyan bank statement" in ok.body
    attempts = [
        "/etc/passwd",
        "../../../../../../etc/passwd",
        f"{orgs['shiyan'].parent}/../bad/main.beancount",
        str(orgs["bad"]),
        str(orgs["shiyan"].parent / "documents" / ".." / ".." / "bad" / "main.beancount"),
    ]
    for filename in attempts:
        resp = server.get(f"/shiyan/document/?filename={filename}", user="alice")
        assert resp.status == 404, filename
        assert b"root:" not in resp.body and BAD_TITLE not in resp.text
    # `bad` declares a document inside `shiyan`'s folder: Fava would serve it; we do not.
    shiyan_main = (orgs["bad"].parent.parent / "shiyan" / "main.beancount").resolve()
    leak = server.get(f"/bad/document/?filename={shiyan_main}", user="bob")
    assert leak.status == 404
    assert CLEAN_TITLE not in leak.text


def test_api_source_confined(server: Server, orgs: dict[str, Path]) -> None:
    own = server.get(f"/shiyan/api/source?filename={orgs['shiyan']}", user="alice")
    assert own.status == 200 and CLEAN_TITLE in own.text
    for filename in ["/etc/passwd", "../bad/main.beancount", str(orgs["bad"])]:
        resp = server.get(f"/shiyan/api/source?filename={filename}", user="alice")
        assert resp.status != 200, filename
        assert "root:" not in resp.text and BAD_TITLE not in resp.text


def test_compliance_page_shows_findings_and_funds(server: Server) -> None:
    page = server.get(compliance_path("bad"), user="bob").text
    assert 'id="hz-verdict"' in page and "不合规" in page
    findings = page[page.index('id="hz-findings"') :].split("</table>", 1)[0]
    assert "HZ-A28" in findings and "HZ-A29" in findings
    assert "funds/ZH.beancount:" in findings
    assert "违反第二十八条" in findings
    funds = page[page.index('id="hz-funds"') :].split("</table>", 1)[0]
    for code in ("ZH", "ZY25", "YW25"):
        assert f">{code}</a>" in funds
    assert "给付率" in funds and "%" in funds
    assert 'id="hz-decisions"' in page and "D2025-02" in page
    assert 'id="hz-audits"' in page and "2024" in page
    clean = server.get(compliance_path("shiyan"), user="alice").text
    assert "合规：未发现问题" in clean


def test_compliance_filters(server: Server) -> None:
    def rules_shown(query: str) -> list[str]:
        page = server.get(compliance_path("bad") + query, user="bob").text
        table = page[page.index('id="hz-findings"') :].split("</tbody>", 1)[0]
        return re.findall(r'<tr class="(?:error|warning)"><td>([^<]+)</td>', table)

    everything = rules_shown("")
    only_a28 = rules_shown("?rule=HZ-A28")
    assert only_a28 and set(only_a28) == {"HZ-A28"}
    assert len(only_a28) < len(everything)
    assert rules_shown("?fund=YW25") == []
    assert set(rules_shown("?fund=ZH&rule=HZ-A29")) == {"HZ-A29"}


def test_access_log_records_every_request(server: Server) -> None:
    marker = "/shiyan/journal/?marker=access-log"
    server.get(marker, user="alice")
    server.get("/?marker=anon")
    server.request("DELETE", "/shiyan/api/document", user="alice")
    server.get("/bad/?marker=scope", user="alice")
    records = [json.loads(line) for line in server.log_lines_with("marker=scope")]
    for rec in records:
        assert set(rec) >= {"time", "user", "ledger", "path", "status"}
    by_path = {(r["method"], r["path"]): r for r in records}
    ok = by_path[("GET", "/shiyan/journal/")]
    assert ok["user"] == "alice" and ok["ledger"] == "shiyan" and ok["status"] == 200
    assert ok["query"] == "marker=access-log"
    assert by_path[("GET", "/")]["status"] in (200, 401)
    assert any(r["status"] == 401 and r["user"] is None for r in records)
    assert by_path[("DELETE", "/shiyan/api/document")]["status"] == 405
    scoped = [r for r in records if r["path"] == "/bad/" and r["user"] == "alice"]
    assert scoped and all(r["status"] == 404 and r["ledger"] is None for r in scoped)


def test_queries_read_and_never_write(
    server: Server, orgs: dict[str, Path], tmp_path: Path
) -> None:
    """Read-only Fava still passes beanquery's `.output FILE` (opens FILE for writing) on a GET."""
    base = orgs["shiyan"].parent.parent
    before = tree_digest(base)
    target = tmp_path / "written-by-query.txt"
    victim = orgs["shiyan"]
    refused = [
        f".output {target}",
        f".output {victim}",
        f"output {target}",
        ".set format csv",
        ".format csv",
        ".parse SELECT 1",
        "help",
        f'CREATE TABLE pw (a str) USING "csv:{victim}"',
    ]
    for query in refused:
        for path in (
            f"/shiyan/api/query?query_string={quote(query)}",
            f"/shiyan/download-query/query_result.csv?query_string={quote(query)}",
        ):
            resp = server.get(path, user="alice")
            assert resp.status == 403, (query, path, resp.status)
            assert "只执行查询语句" in resp.text
    assert not target.exists()
    assert tree_digest(base) == before
    ok = server.get(
        "/shiyan/api/query?query_string=" + quote("SELECT account, sum(position) GROUP BY account"),
        user="alice",
    )
    assert ok.status == 200 and "Assets:ZH" in ok.text
    balances = server.get("/shiyan/api/query?query_string=BALANCES", user="alice")
    assert balances.status == 200
    csv = server.get(
        "/shiyan/download-query/query_result.csv?query_string=" + quote("SELECT date, narration"),
        user="alice",
    )
    assert csv.status == 200 and "narration" in csv.text


def test_import_endpoints_are_closed(server: Server) -> None:
    for path in ("/shiyan/api/imports", "/shiyan/api/extract?filename=/etc/passwd&importer=x"):
        resp = server.get(path, user="root")
        assert resp.status == 404, path
        assert "root:" not in resp.text
