"""The service under attack and load (issue 11), against the real app over HTTP on loopback.

Tests that lock out a name or an address, or remove the users file, run on servers of
their own; the others use the session server.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest

# isort: split
from serve_support import (
    Server,
    basic,
    compliance_path,
    make_orgs,
    start_server,
    stop_server,
    write_users,
)


def _q(text: str) -> str:
    return quote(text, safe="")


# -- right answers under concurrency ----------------------------------------------------------

QUERY = _q("SELECT count(*) AS n, sum(number) AS total")
FILTERS = [
    "",
    "&time=2024",
    "&time=2025",
    "&account=Income",
    "&account=Expenses",
    "&time=2025&account=Assets",
]


def test_concurrent_filtered_queries_answer_their_own_request(server: Server) -> None:
    """600 queries (SELECT and `.run`, 9 filter combinations), 16 client threads against 8
    server threads: zero wrong answers."""
    paths = [f"/shiyan/api/query?query_string={QUERY}{f}" for f in FILTERS]
    paths += [f"/shiyan/api/query?query_string={_q('.run income-total')}{f}" for f in FILTERS[:3]]
    expected = {}
    for path in paths:
        resp = server.get(path, user="root")
        assert resp.status == 200, resp.text
        expected[path] = json.loads(resp.body)["data"]
    assert len({json.dumps(v, sort_keys=True) for v in expected.values()}) == len(paths)

    def one(i: int) -> tuple[str, object]:
        path = paths[i % len(paths)]
        resp = server.get(path, user="root")
        return path, json.loads(resp.body)["data"] if resp.status == 200 else resp.status

    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(one, range(600)))
    wrong = [(p, a) for p, a in answers if a != expected[p]]
    assert len(answers) == 600
    assert not wrong, f"{len(wrong)} wrong answers, e.g. {wrong[:2]}"


# -- no 500s ------------------------------------------------------------------------------------

FORMER_500S = {
    "run-unclosed-quote": "/shiyan/api/query?query_string=" + _q('run "x'),
    "download-run-no-name": "/shiyan/download-query/query_result.csv?query_string=run",
    "nested-parens": "/shiyan/api/query?query_string="
    + _q("SELECT " + "(" * 2000 + "1" + ")" * 2000),
    "nested-parens-short": "/shiyan/api/query?query_string="
    + _q("SELECT " + "(" * 300 + "1" + ")" * 300),
    "account-filter-paren": "/shiyan/api/income_statement?account=" + _q("("),
    "account-filter-redos": "/shiyan/api/income_statement?account=" + _q("(a+)+$"),
    "account-filter-polynomial": "/shiyan/api/income_statement?account=" + _q(".*" * 8 + "§"),
    "filter-nested-quantifier": "/shiyan/api/income_statement?filter=" + _q("payee:'([^:]+:?)+§'"),
    "5000-terms": "/shiyan/api/query?query_string=" + _q("SELECT " + "+".join(["1"] * 5000)),
    "1000-terms": "/shiyan/api/query?query_string=" + _q("SELECT " + "+".join(["1"] * 1000)),
    "unknown-table": "/shiyan/api/query?query_string=" + _q("SELECT * FROM nosuchtable"),
    "unknown-column": "/shiyan/api/query?query_string=" + _q("SELECT nosuchcolumn"),
    "parse-error": "/shiyan/api/query?query_string=" + _q("SELECT FROM WHERE"),
    "unknown-named-query": "/shiyan/api/query?query_string=" + _q(".run nosuchquery"),
    "page-with-bad-filter": "/shiyan/income_statement/?account=" + _q("("),
    "long-filter": "/shiyan/api/income_statement?filter=" + _q("(" * 600),
    "unparsable-filter": "/shiyan/api/income_statement?filter=" + _q("((("),
    "unparsable-time": "/shiyan/api/income_statement?time=" + _q("no-such-date"),
}


def test_an_unparsable_filter_names_itself_in_chinese(server: Server) -> None:
    resp = server.get("/shiyan/api/income_statement?filter=" + _q("((("), user="root")
    assert resp.status == 400, (resp.status, resp.text[:300])
    assert "筛选条件 filter 无法解析" in resp.text and "Failed to parse" not in resp.text


@pytest.mark.parametrize("name", sorted(FORMER_500S))
def test_query_and_filter_mistakes_are_400_in_chinese(server: Server, name: str) -> None:
    start = time.monotonic()
    resp = server.get(FORMER_500S[name], user="root")
    assert resp.status == 400, (resp.status, resp.text[:300])
    assert time.monotonic() - start < 10
    text = resp.text
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text  # a Chinese message
    assert "Traceback" not in text


def test_regex_that_would_run_forever_is_stopped(server: Server) -> None:
    """A BQL `~` pattern with catastrophic backtracking stops at the deadline with a 400."""
    # Backreferences defeat the engine's shortcuts: ~1 s per long account name, never a match.
    pattern = r"^(.+)+(.+)+(.+)+(.+)+(.+)+(.+)+(.+)+\7\6\5\4\3\2\1$"
    query = f"SELECT count(*) WHERE account ~ '{pattern}'"
    start = time.monotonic()
    resp = server.get("/shiyan/api/query?query_string=" + _q(query), user="root")
    assert resp.status == 400 and "中止" in resp.text
    assert time.monotonic() - start < 30
    # The ledger's query shell is free again at once.
    ok = server.get(f"/shiyan/api/query?query_string={QUERY}", user="root")
    assert ok.status == 200


def _raw(server: Server, data: bytes, timeout: float = 20) -> bytes:
    with socket.create_connection((server.host, server.port), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


def test_undecodable_basic_header_is_401_without_traceback(server: Server) -> None:
    before = len(server.stderr)
    reply = _raw(
        server,
        b"GET / HTTP/1.1\r\nHost: x\r\nAuthorization: Basic \xff\r\nConnection: close\r\n\r\n",
    )
    assert reply.startswith(b"HTTP/1.1 401"), reply[:100]
    time.sleep(0.3)
    assert not any("Traceback" in line for line in server.stderr[before:])


def test_asterisk_target_is_4xx(server: Server) -> None:
    auth = basic("root", "root-password").encode()
    reply = _raw(
        server,
        b"GET * HTTP/1.1\r\nHost: x\r\nAuthorization: " + auth + b"\r\nConnection: close\r\n\r\n",
    )
    status = int(reply.split(b" ", 2)[1])
    assert 400 <= status < 500, reply[:100]
    assert "请求无效".encode() in reply


def test_no_tracebacks_in_the_server_log(server: Server) -> None:
    for path in FORMER_500S.values():
        server.get(path, user="root")
    time.sleep(0.3)
    assert not [line for line in server.stderr if "Traceback" in line]


# -- no server paths, relative redirects ------------------------------------------------------


def test_no_absolute_server_paths_in_pages_or_json(server: Server, orgs: dict[str, Path]) -> None:
    root = str(orgs["shiyan"].parent.parent)
    pages = [
        "/{}/extension/HzCompliance/",
        "/{}/income_statement/",
        "/{}/journal/",
        "/{}/api/journal",
        "/{}/api/ledger_data",
        "/{}/api/errors",
        "/{}/api/query?query_string=" + _q("SELECT filename LIMIT 3"),
    ]
    # `bad` names a file of shiyan's in a document entry: shown as `../shiyan/…`.
    for path in ["/", *(p.format(slug) for p in pages for slug in ("shiyan", "bad"))]:
        resp = server.get(path, user="root")
        assert resp.status == 200, path
        assert root not in resp.text and json.dumps(root)[1:-1] not in resp.text, path
    journal = json.loads(server.get("/shiyan/api/journal", user="root").body)["data"]
    names = {e["meta"]["filename"] for e in journal if "filename" in e.get("meta", {})}
    assert names and all(not n.startswith("/") for n in names), names
    assert "funds/ZH.beancount" in names
    bad_journal = server.get("/bad/api/journal", user="root").text
    assert "../shiyan/main.beancount" in bad_journal
    # Relative names still open the source (read-only) and only inside the folder.
    assert server.get("/shiyan/api/source?filename=funds/ZH.beancount", user="root").status == 200
    assert (
        server.get("/shiyan/api/source?filename=../bad/main.beancount", user="root").status == 404
    )


def test_redirects_are_relative_whatever_the_host_header(server: Server) -> None:
    for path in ["/shiyan/", "/shiyan/income_statement"]:
        resp = server.request(
            "GET", path, user="root", headers={"Host": "evil.example", "X-Forwarded-Host": "evil"}
        )
        assert resp.status in (301, 302, 307, 308), (path, resp.status)
        location = resp.headers["location"]
        assert location.startswith("/") and not location.startswith("//"), location
        assert "evil" not in location


# -- logging ------------------------------------------------------------------------------------


def test_query_strings_are_capped_in_the_log(server: Server) -> None:
    long_query = "SELECT 1 -- " + "x" * 20_000
    server.get("/shiyan/api/query?query_string=" + _q(long_query), user="root")
    lines = server.log_lines_with("xxx…（共 ")
    long_lines = [line for line in lines if "xxxxxxxx" in line]
    assert long_lines and all(len(line) < 3000 for line in long_lines)


def test_requests_refused_by_waitress_are_logged(server: Server) -> None:
    reply = _raw(server, b"GET / HTTP/1.1\r\nHost: x\r\nBroken header line\r\n\r\n")
    assert reply.split(b"\r\n", 1)[0].split(b" ")[1] == b"400", reply[:100]
    lines = server.log_lines_with('"refused"')
    assert any('"status": 400' in line and '"refused"' in line for line in lines)


# -- the compliance page cache is never stale ---------------------------------------------------


def test_compliance_page_follows_ledger_edits(tmp_path: Path) -> None:
    orgs = make_orgs(tmp_path / "ledgers")
    users = write_users(tmp_path / "users.toml")
    srv = start_server(
        [str(tmp_path / "ledgers"), "--users", str(users)], tmp_path / "access.log", tmp_path
    )
    try:
        first = srv.get(compliance_path("shiyan"), user="root")
        again = srv.get(compliance_path("shiyan"), user="root")
        assert first.status == again.status == 200 and first.body == again.body
        assert "HZ-A28" not in first.text
        main = orgs["shiyan"]
        with main.open("a", encoding="utf-8") as fh:
            fh.write(
                '\n2025-06-01 * "收到利息并直接支付办公费（坐支）"\n'
                "  Income:ZH:4601利息收入  -50.00 CNY\n"
                "  Expenses:ZH:5201管理费用:B办公费  50.00 CNY\n"
            )
        deadline = time.monotonic() + 30
        while True:
            changed = srv.get(compliance_path("shiyan"), user="root")
            if changed.body != first.body or time.monotonic() > deadline:
                break
            time.sleep(0.3)
        assert changed.status == 200 and changed.body != first.body
    finally:
        stop_server(srv)


# -- attacks that lock things out: servers of their own ---------------------------------------


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    make_orgs(tmp_path / "ledgers")
    users = write_users(tmp_path / "users.toml")
    srv = start_server(
        [str(tmp_path / "ledgers"), "--users", str(users), "--lock-after-user", "3"],
        tmp_path / "access.log",
        tmp_path,
    )
    try:
        yield srv, users
    finally:
        stop_server(srv)


def test_lockout_refuses_even_the_right_password_and_is_logged(
    own_server: tuple[Server, Path],
) -> None:
    srv, _ = own_server
    statuses = [srv.get("/", user="bob", password=f"guess-{i}").status for i in range(3)]
    assert statuses == [401, 401, 401]
    locked = srv.get("/", user="bob")  # the right password, during the lockout
    assert locked.status == 429 and "retry-after" in locked.headers
    assert "登录失败次数过多" in locked.text
    # Another user from the same address is not affected.
    assert srv.get("/", user="alice").status == 200
    assert srv.stderr_with("登录失败：用户 'bob'")
    assert srv.stderr_with("锁定")
    lines = srv.log_lines_with('"attempted": "bob"', 4)
    assert sum('"attempted": "bob"' in line for line in lines) >= 4


def test_failures_during_a_users_file_outage_do_not_lock_anyone_out(
    own_server: tuple[Server, Path],
) -> None:
    srv, users = own_server
    saved = users.read_bytes()
    users.write_text("not = [valid", encoding="utf-8")
    os.utime(users, ns=(time.time_ns(), time.time_ns() + 10_000_000))
    # More failures than --lock-after-user 3, all while nobody at all can log in.
    assert [srv.get("/", user="bob").status for _ in range(5)] == [401] * 5
    assert srv.stderr_with("不计入失败次数")
    users.write_bytes(saved)
    os.utime(users, ns=(time.time_ns(), time.time_ns() + 20_000_000))
    assert srv.get("/", user="bob").status == 200, "the repaired file lets bob straight in"


def test_attempted_names_are_sanitised_in_the_logs(own_server: tuple[Server, Path]) -> None:
    srv, _ = own_server
    srv.get("/", auth=basic("ev\u200bil\nname", "x"))
    assert srv.stderr_with("ev\\u200bil\\u000aname")
    lines = srv.log_lines_with("ev\\\\u200bil")
    assert any("ev\\\\u200bil\\\\u000aname" in line for line in lines)


def test_backoff_before_lockout(tmp_path: Path) -> None:
    make_orgs(tmp_path / "ledgers")
    users = write_users(tmp_path / "users.toml")
    srv = start_server(
        [str(tmp_path / "ledgers"), "--users", str(users)], tmp_path / "access.log", tmp_path
    )
    try:
        statuses = [srv.get("/", user="carol", password=f"guess-{i}").status for i in range(6)]
        # Three free failures, the fourth starts a wait; attempts during it are refused unchecked.
        assert statuses[:4] == [401, 401, 401, 401]
        assert 429 in statuses[4:]
        # A wait under a second is still announced as at least one second, never "0 秒".
        limited = srv.stderr_with("登录受限")
        assert limited and not any("，0 秒后再试" in line for line in limited), limited
    finally:
        stop_server(srv)


def test_wrong_password_flood_keeps_a_logged_in_user_fast(own_server: tuple[Server, Path]) -> None:
    """16 clients with made-up names (real argon2 cost: the dummy hash) from another address."""
    srv, _ = own_server
    assert srv.get("/", user="root").status == 200  # logged in: the header is now cached
    stop = threading.Event()
    flood_statuses: list[int] = []

    def flood(n: int) -> None:
        i = 0
        while not stop.is_set():
            i += 1
            try:
                resp = srv.get("/", auth=basic(f"ghost{n}-{i}", "nope"), source="127.0.0.2")
                flood_statuses.append(resp.status)
            except OSError:
                flood_statuses.append(0)

    threads = [threading.Thread(target=flood, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    try:
        time.sleep(1.0)
        timings = []
        for _ in range(20):
            start = time.perf_counter()
            assert srv.get("/", user="root").status == 200
            timings.append(time.perf_counter() - start)
            time.sleep(0.05)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
    timings.sort()
    assert timings[len(timings) // 2] < 0.5, timings
    assert flood_statuses and set(flood_statuses) <= {401, 429, 503}
    # Refused without argon2: throttled (429) or no free slot (503), depending on timing.
    assert {429, 503} & set(flood_statuses)
    assert srv.stderr_with("来自 127.0.0.2")


def _server_tmp_fds(pid: int) -> list[str]:
    out = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        # waitress spools bodies to anonymous temporary files (shown as deleted).
        if "(deleted)" in target:
            out.append(target)
    return out


def test_huge_body_is_refused_without_being_spooled(own_server: tuple[Server, Path]) -> None:
    srv, _ = own_server
    head = (
        b"POST /shiyan/api/source HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 314572800\r\n\r\n"
    )
    start = time.monotonic()
    with socket.create_connection((srv.host, srv.port), timeout=20) as sock:
        sock.sendall(head + b"x" * 65536)
        reply = sock.recv(4096)
        fds = _server_tmp_fds(srv.proc.pid)
    assert reply.startswith(b"HTTP/1.1 413"), reply[:100]
    assert time.monotonic() - start < 5
    assert not fds, fds
    lines = srv.log_lines_with('"status": 413')
    assert any('"status": 413' in line and "refused" in line for line in lines)


def test_slow_connections_do_not_block_legitimate_requests(own_server: tuple[Server, Path]) -> None:
    """110 clients that dribble a header and never finish (waitress's default cap was 100)."""
    srv, _ = own_server
    slow: list[socket.socket] = []
    try:
        for _ in range(110):
            sock = socket.create_connection((srv.host, srv.port), timeout=10)
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            slow.append(sock)
        time.sleep(0.5)
        start = time.monotonic()
        resp = srv.get("/", user="root")
        assert resp.status == 200
        assert time.monotonic() - start < 5
        # Idle connections are closed after the channel timeout, and that is logged.
        assert srv.stderr_with("连接空闲", timeout=30)
    finally:
        for sock in slow:
            sock.close()


def test_users_file_removed_means_401_then_back_without_restart(
    own_server: tuple[Server, Path],
) -> None:
    srv, users = own_server
    assert srv.get("/", user="alice").status == 200
    saved = users.read_bytes()
    users.unlink()
    assert srv.get("/", user="alice").status == 401  # even the cached login
    assert srv.get("/", user="newcomer", password="whatever-1").status == 401
    assert srv.stderr_with("用户文件不可用")
    users.write_text("[[users]]\nname = 1\n", encoding="utf-8")
    assert srv.get("/", user="alice").status == 401
    users.write_bytes(saved)
    assert srv.get("/", user="alice").status == 200


# -- ledgers that try to show what they should not ----------------------------------------------

BOOM = """__plugins__ = ["boom"]


def boom(entries, options):
    raise RuntimeError("boom: plugin failed")
"""


def test_plugin_failure_and_outside_include(tmp_path: Path) -> None:
    orgs = make_orgs(tmp_path / "ledgers")
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "hz_boom_plugin.py").write_text(BOOM, encoding="utf-8")
    shiyan = orgs["shiyan"]
    shiyan.write_text(
        'plugin "hz_boom_plugin"\n' + shiyan.read_text(encoding="utf-8"), encoding="utf-8"
    )
    secret = tmp_path / "secret.beancount"
    secret.write_text("top secret line 12345\n", encoding="utf-8")
    bad = orgs["bad"]
    with bad.open("a", encoding="utf-8") as fh:
        fh.write(f'\ninclude "{secret}"\n')
    users = write_users(tmp_path / "users.toml")
    srv = start_server(
        [str(tmp_path / "ledgers"), "--users", str(users)],
        tmp_path / "access.log",
        tmp_path,
        env={"PYTHONPATH": str(tmp_path / "plugins")},
    )
    try:
        for path in ["/shiyan/api/errors", compliance_path("shiyan"), "/shiyan/income_statement/"]:
            resp = srv.get(path, user="root")
            assert resp.status == 200
            assert "Traceback" not in resp.text and "site-packages" not in resp.text, path
        errors = srv.get("/shiyan/api/errors", user="root").text
        assert "RuntimeError: boom: plugin failed" in errors
        for path in [
            compliance_path("bad"),
            "/bad/api/errors",
            "/bad/journal/",
            "/bad/api/journal",
            "/",
        ]:
            resp = srv.get(path, user="root")
            assert resp.status == 200, path
            assert "top secret" not in resp.text, path
        page = srv.get(compliance_path("bad"), user="root").text
        assert "组织目录以外" in page
        assert srv.stderr_with("组织目录以外")
    finally:
        stop_server(srv)
