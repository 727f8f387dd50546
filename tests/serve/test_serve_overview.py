"""The overview: worst first, the reports' figures, filters, xlsx, scope, once per load."""

from __future__ import annotations

import datetime
import io
import json
import os
import re
import shutil
import subprocess
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from beancount import loader
from openpyxl import load_workbook
from werkzeug.test import Client

import hzledger.serve.app as app_module
from hzledger.figures.numbers import percent
from hzledger.reports.common import last_complete_year
from hzledger.serve.access_log import AccessLog
from hzledger.serve.app import ServeApp
from hzledger.serve.auth import Authenticator, UserStore
from hzledger.serve.ledgers import discover
from hzledger.serve.overview import HEADERS

# isort: split
from serve_support import (
    BAD_TITLE,
    CLEAN_TITLE,
    HZLEDGER,
    USERS,
    Server,
    basic,
    make_orgs,
    start_server,
    stop_server,
    write_users,
)


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr data-slug="([^"]+)">', html)


def test_two_organisations_worse_first_with_their_figures(server: Server) -> None:
    html = server.get("/", user="root").text
    assert _rows(html) == ["bad", "shiyan"]
    bad_row = html[html.index('data-slug="bad"') : html.index('data-slug="shiyan"')]
    assert "不合规" in bad_row and "HZ-A28" in bad_row
    assert "管理费用占比" in html and "上年审计" in html
    shiyan_row = html[html.index('data-slug="shiyan"') :]
    assert ">合规<" in shiyan_row
    # Not in git here: the last change is the files' time, in the server's zone.
    assert "（文件修改时间）" in html and "Asia/Shanghai" in html


def test_filters_by_level_and_parent(server: Server) -> None:
    html = server.get("/?parent=" + quote("示例省总工会"), user="root").text
    assert _rows(html) == ["bad", "shiyan"]
    assert _rows(server.get("/?parent=" + quote("别的省总工会"), user="root").text) == []
    assert _rows(server.get("/?level=" + quote("省级"), user="root").text) == []


def test_xlsx_is_the_table(server: Server) -> None:
    resp = server.get("/?format=xlsx", user="root")
    assert resp.status == 200
    sheet = load_workbook(io.BytesIO(resp.body)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == HEADERS
    assert [r[0] for r in rows[1:]] == [BAD_TITLE, CLEAN_TITLE]
    assert rows[1][3] == "不合规" and rows[1][4] > 0
    assert rows[2][4] == 0


def test_scope_out_of_scope_names_never_shown(server: Server) -> None:
    html = server.get("/", user="alice").text
    assert _rows(html) == ["shiyan"]
    assert BAD_TITLE not in html and "违规" not in html
    book = server.get("/?format=xlsx", user="alice").body
    sheet = load_workbook(io.BytesIO(book)).active
    assert sheet is not None
    assert [r[0] for r in sheet.iter_rows(values_only=True)][1:] == [CLEAN_TITLE]
    # A parent filter cannot reveal anything either.
    carol = server.get("/?format=xlsx&parent=" + quote("示例省总工会"), user="carol").body
    sheet = load_workbook(io.BytesIO(carol)).active
    assert sheet is not None and len(list(sheet.iter_rows())) == 1
    assert server.get("/?format=xlsx").status == 401


def test_rows_built_once_per_load_and_git_last_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    orgs = make_orgs(tmp_path / "ledgers")
    folder = orgs["shiyan"].parent
    env = {
        "GIT_AUTHOR_NAME": "会计张三",
        "GIT_AUTHOR_EMAIL": "z@example.org",
        "GIT_COMMITTER_NAME": "会计张三",
        "GIT_COMMITTER_EMAIL": "z@example.org",
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
    }
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "账本"]):
        subprocess.run(["git", *args], cwd=folder, env=env, check=True)
    sha = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=folder, capture_output=True, text=True
    ).stdout.strip()
    calls: list[str] = []
    from hzledger.serve.overview import build_row as real

    def counting(slug, *args):
        calls.append(slug)
        return real(slug, *args)

    monkeypatch.setattr(app_module, "build_row", counting)
    users = write_users(tmp_path / "users.toml")
    app = ServeApp(
        discover([str(tmp_path / "ledgers")]),
        Authenticator(UserStore(users)),
        AccessLog(tmp_path / "a.log"),
    )
    client = Client(app)
    auth = {"Authorization": basic("root", USERS["root"][0])}
    for _ in range(3):
        html = client.get("/", headers=auth, buffered=True).get_data(as_text=True)
    assert sorted(calls) == ["bad", "shiyan"]
    assert f"{sha} 会计张三" in html
    # A change reloads that ledger: its row is rebuilt once, the other is not.
    main = orgs["bad"]
    with main.open("a", encoding="utf-8") as fh:
        fh.write("\n")
    future = time.time_ns() + 5_000_000_000
    os.utime(main, ns=(future, future))
    # Fava's file watcher notices in the background; poll like a browser would.
    deadline = time.monotonic() + 20
    while len(calls) < 3 and time.monotonic() < deadline:
        time.sleep(0.2)
        client.get("/", headers=auth, buffered=True)
    client.get("/", headers=auth, buffered=True)
    assert sorted(calls) == ["bad", "bad", "shiyan"]


def test_solvency_is_last_complete_year_like_the_report(tmp_path: Path) -> None:
    """QA: the running year has no obligations yet; the overview shows the last full year."""

    demo = Path(__file__).resolve().parents[2] / "ledgers" / "dongcheng"
    if not demo.exists():
        pytest.skip("no demo ledgers in this checkout")
    base = tmp_path / "ledgers"
    shutil.copytree(demo, base / "dongcheng", ignore=shutil.ignore_patterns("*.picklecache"))
    main = base / "dongcheng" / "main.beancount"
    year = last_complete_year(loader.load_file(str(main))[0])
    assert year is not None and year < datetime.date.today().year
    report = subprocess.run(
        [str(HZLEDGER), "report", "solvency", str(main), "--year", str(year), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    total = json.loads(report.stdout)["total"]
    assert total["worst_ratio"] is not None
    users = write_users(tmp_path / "users.toml")
    srv = start_server([str(base), "--users", str(users)], tmp_path / "a.log", tmp_path)
    try:
        html = srv.get("/", user="root").text
    finally:
        stop_server(srv)
    row = html[html.index('data-slug="dongcheng"') :]
    worst = row[row.index('class="num hz-worst">') :]
    assert worst.split(">", 1)[1].startswith(percent(Decimal(total["worst_ratio"])) + "<br>")
    assert total["worst_project"] in worst.split("</td>", 1)[0]
    assert f"{year}-12-31" in worst.split("</td>", 1)[0]
    assert f'<span class="note hz-year">{year} 年度</span>' in row
    assert "上一完整年度末" in html and "截至 " in row.split("</tr>", 1)[0]
