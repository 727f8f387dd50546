"""The 整改跟踪 page over HTTP from the real `hzledger serve`, and in a real chromium.

One organisation lives in a real git repository whose history has a violation committed
(commit A) and fixed (commit B) and another committed later (C); a second organisation is
not in git at all.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from hzledger.serve.history_page import NOT_IN_GIT

# isort: split
from serve_support import USERS, Server, start_server, stop_server, write_users

from gitfixture import SITTING, WEALTH, Fixture, commit, make_history_repo

from hztest import SPEC_EXAMPLE

sync_api: ModuleType | None
try:
    from playwright import sync_api
except ImportError:  # the shared `browser` fixture skips locally, fails under CI
    sync_api = None

PAGE = "/xicheng/extension/HzHistory/"
PLAIN_PAGE = "/plain/extension/HzHistory/"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


@dataclass
class Site:
    server: Server
    fixture: Fixture


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    base = tmp_path_factory.mktemp("history-serve")
    fixture = make_history_repo(base / "repo")
    plain = base / "others" / "plain"
    shutil.copytree(SPEC_EXAMPLE, plain)
    users = write_users(base / "users.toml")
    server = start_server(
        [str(fixture.repo), str(base / "others"), "--users", str(users)],
        base / "access.log",
        base,
    )
    yield Site(server, fixture)
    stop_server(server)


def test_history_page_shows_introducing_and_fixing_commits(site: Site) -> None:
    shas = site.fixture.commits
    resp = site.server.get(PAGE, user="root")
    assert resp.status == 200
    page = resp.text
    assert "整改跟踪（第三十六条）" in page
    current = page[page.index('id="hz-history-current"') : page.index('id="hz-history-fixed"')]
    fixed = page[page.index('id="hz-history-fixed"') : page.index('id="hz-history-commits"')]
    assert "HZ-A29" in current and shas["C"][:7] in current and "孙丽" in current
    assert "HZ-A28" not in current
    assert fixed.count("HZ-A28") == 2
    assert shas["A"][:7] in fixed and "钱伟" in fixed
    assert shas["B"][:7] in fixed and "整改：撤销理财产品" in fixed
    assert "funds/ZH.beancount:" in fixed  # organisation-relative, never a server path
    ours = page[page.index('id="hz-history"') :]
    ours = ours[: ours.index("</table>", ours.index('id="hz-history-commits"'))]
    assert str(site.fixture.repo) not in ours
    # Fava's own page JSON (ledger data, options, errors) as well: no server path anywhere.
    assert str(site.fixture.repo) not in page
    assert str(site.fixture.repo.parent) not in page
    # The chart: inline SVG with both series, one point per commit, nothing fetched.
    chart = page[page.index('<svg xmlns="http://www.w3.org/2000/svg" id="hz-history-chart"') :]
    chart = chart[: chart.index("</svg>")]
    assert chart.count('<circle class="hz-errors"') == 5
    assert chart.count('<circle class="hz-warnings"') == 5
    assert "<script" not in chart and "href" not in chart


def test_not_in_git_says_so(site: Site) -> None:
    resp = site.server.get(PLAIN_PAGE, user="root")
    assert resp.status == 200
    assert "此账本不在 git 仓库中" in resp.text
    assert 'id="hz-history-current"' not in resp.text


def test_compliance_page_shows_the_same_chart(site: Site) -> None:
    """Errors and warnings over time on 合规检查: the 整改跟踪 chart, one computation."""
    page = site.server.get("/xicheng/extension/HzCompliance/", user="root").text
    assert '<img id="hz-trend"' in page
    assert 'src="/xicheng/extension/HzHistory/chart"' in page
    chart = site.server.get("/xicheng/extension/HzHistory/chart", user="root")
    assert chart.status == 200
    assert chart.headers["content-type"].startswith("image/svg+xml")
    history = site.server.get(PAGE, user="root").text
    start = history.index('<svg xmlns="http://www.w3.org/2000/svg" id="hz-history-chart"')
    inline = history[start : history.index("</svg>", start) + len("</svg>")]
    assert chart.text == inline
    assert chart.text.count('<circle class="hz-errors"') >= 5
    # Not in git: the image says so.
    plain = site.server.get("/plain/extension/HzHistory/chart", user="root")
    assert plain.status == 200 and "此账本不在 git 仓库中" in plain.text
    assert site.server.get("/xicheng/extension/HzHistory/chart", user="carol").status == 404


def test_out_of_scope_is_not_found(site: Site) -> None:
    assert site.server.get(PAGE, user="carol").status == 404
    assert site.server.get(PAGE, user="alice").status == 404
    assert site.server.get(PAGE).status == 401


def test_a_new_commit_is_shown_at_once(site: Site) -> None:
    """Cached per load and HEAD: a new commit (here, fixing C) is never served stale."""
    before = site.server.get(PAGE, user="root").text
    assert "本期已整改（2 项）" in before
    fx = site.fixture
    zh = fx.main.parent / "funds" / "ZH.beancount"
    zh.write_text(zh.read_text(encoding="utf-8").replace(SITTING, ""), encoding="utf-8")
    fixing = commit(fx.repo, "整改：坐支改为分别入账", "赵敏", "2026-04-01T09:00:00+08:00")
    after = site.server.get(PAGE, user="root").text
    assert "本期已整改（3 项）" in after and "现有问题的来历（0 项）" in after
    assert fixing[:7] in after
    fx.commits["D"] = fixing


@pytest.mark.browser
def test_supervisor_follows_up_in_the_browser(browser, site: Site) -> None:
    assert sync_api is not None
    expect = sync_api.expect
    context = browser.new_context(
        http_credentials={"username": "root", "password": USERS["root"][0]},
        locale="zh-CN",
        viewport={"width": 1400, "height": 1400},
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    base = f"http://{site.server.host}:{site.server.port}"
    # From the landing page of the organisation (合规检查) through Fava's sidebar.
    page.goto(base + "/xicheng/")
    page.locator("aside").get_by_text("整改跟踪").click()
    page.wait_for_url("**/xicheng/extension/HzHistory/")
    shas = site.fixture.commits
    fixed = page.locator("#hz-history-fixed")
    expect(fixed).to_contain_text(shas["A"][:7])
    expect(fixed).to_contain_text(shas["B"][:7])
    expect(fixed).to_contain_text("钱伟")
    expect(page.locator("#hz-history-chart")).to_be_visible()
    box = page.locator("#hz-history-chart").bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 100
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "history-xicheng.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000

    page.goto(base + PLAIN_PAGE)
    expect(page.locator("#hz-history-note")).to_contain_text("不在 git 仓库中")
    page.screenshot(path=str(ARTIFACTS / "history-not-in-git.png"), full_page=True)
    assert not errors, errors
    context.close()


def test_declared_history_page_is_not_doubled(tmp_path: Path) -> None:
    from hzledger.serve.fava_app import make_fava_app

    fixture = make_history_repo(tmp_path / "repo")
    with fixture.main.open("a", encoding="utf-8") as fh:
        fh.write('\n2024-01-01 custom "fava-extension" "hzledger.serve.history_page"\n')
    app, ledger = make_fava_app("xicheng", fixture.main)
    names = [d.name for d in ledger.extensions.extension_details]
    assert names.count("HzHistory") == 1 and "HzCompliance" in names
    assert not ledger.extensions.errors
    page = app.test_client().get(PAGE).get_data(as_text=True)
    assert "本期已整改（2 项）" in page


def test_computed_once_per_load_and_head(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import hzledger.serve.history_page as history_page
    from hzledger.serve.fava_app import make_fava_app

    calls: list[Path] = []
    from hzledger.history import build_history as real

    def counting(path, *args, **kw):
        calls.append(Path(path))
        return real(path, *args, **kw)

    monkeypatch.setattr(history_page, "build_history", counting)
    fixture = make_history_repo(tmp_path / "repo")
    app, _ledger = make_fava_app("xicheng", fixture.main)
    assert calls == []  # not at load: only when the page is asked for
    client = app.test_client()
    for _ in range(3):
        assert client.get(PAGE).status_code == 200
    assert len(calls) == 1
    # Any new commit moves HEAD: the next request computes again, later ones reuse it.
    (fixture.repo / "README.md").write_text("账本仓库（更新）\n", encoding="utf-8")
    commit(fixture.repo, "更新说明", "赵敏", "2026-04-02T09:00:00+08:00")
    assert "本期已整改（2 项）" in client.get(PAGE).get_data(as_text=True)
    client.get(PAGE)
    assert len(calls) == 2


def test_dates_in_the_servers_zone(tmp_path: Path) -> None:
    """QA: chart and window dates were UTC beside a commit list in Asia/Shanghai."""
    fx = make_history_repo(tmp_path / "repo")
    readme = fx.main.parent / "documents" / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\n清晨补记。\n", encoding="utf-8")
    # Committed on a machine in UTC at 22:30: 06:30 the next day in Shanghai.
    early = commit(fx.repo, "清晨补记说明", "赵敏", "2026-04-01T22:30:00+00:00")
    users = write_users(tmp_path / "users.toml")
    server = start_server(
        [str(fx.repo), "--users", str(users), "--timezone", "Asia/Shanghai"],
        tmp_path / "access.log",
        tmp_path,
    )
    try:
        page = server.get(PAGE, user="root").text
        image = server.get("/xicheng/extension/HzHistory/chart", user="root").text
    finally:
        stop_server(server)
    window = page[page.index('id="hz-history-window"') :]
    window = window[: window.index("</p>")]
    assert "2026-01-05 至 2026-04-02（Asia/Shanghai）" in window
    commits = page[page.index('id="hz-history-commits"') :]
    assert f"{early[:7]}</code></td><td>2026-04-02 06:30（Asia/Shanghai" in commits
    for chart in (page[page.index('id="hz-history-chart"') :], image):
        chart = chart[: chart.index("</svg>")]
        assert ">2026-04-02</text>" in chart
        assert f"{early[:7]} 2026-04-02 赵敏" in chart
        assert "2026-04-01" not in chart


def test_locations_link_to_the_source_and_note_is_whole(site: Site) -> None:
    """QA: locations were plain text here but links on 合规检查; the chart note was cut off."""
    page = site.server.get(PAGE, user="root").text
    fixed = page[page.index('id="hz-history-fixed"') : page.index('id="hz-history-commits"')]
    links = re.findall(
        r'<a class="hz-src" href="([^"]+)"><code>(funds/ZH\.beancount:\d+)</code>', fixed
    )
    assert links, fixed[:2000]
    for href, location in links:
        line = location.rsplit(":", 1)[1]
        assert href.startswith("/xicheng/editor/?") and f"line={line}" in href
        assert "file_path=funds" in href.replace("%2F", "/")
    assert site.server.get(links[0][0], user="root").status == 200
    # The not-in-git note: every character, over as many lines as it needs.
    image = site.server.get("/plain/extension/HzHistory/chart", user="root").text
    shown = "".join(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", image))
    assert shown == NOT_IN_GIT and "…" not in image


@pytest.mark.browser
def test_wide_tables_fit_1400px(browser, tmp_path: Path) -> None:
    """QA: at 1400 px long commit subjects pushed the tables off the page; overview squeezed."""
    assert sync_api is not None
    fx = make_history_repo(tmp_path / "repo")
    zh = fx.main.parent / "funds" / "ZH.beancount"
    zh.write_text(zh.read_text(encoding="utf-8") + WEALTH, encoding="utf-8")
    commit(
        fx.repo,
        "再次" + "购买理财产品并补记相关凭证与说明" * 12,
        "钱伟",
        "2026-04-02T10:00:00+08:00",
    )
    users = write_users(tmp_path / "users.toml")
    server = start_server([str(fx.repo), "--users", str(users)], tmp_path / "a.log", tmp_path)
    context = browser.new_context(
        http_credentials={"username": "root", "password": USERS["root"][0]},
        locale="zh-CN",
        viewport={"width": 1400, "height": 1000},
    )
    try:
        page = context.new_page()
        base = f"http://{server.host}:{server.port}"
        page.goto(base + PAGE)
        sync_api.expect(page.locator("#hz-history-commits")).to_contain_text("再次购买")
        for table in ("#hz-history-current", "#hz-history-fixed", "#hz-history-commits"):
            box = page.locator(table).bounding_box()
            assert box is not None and box["x"] + box["width"] <= 1400, (table, box)
        page.screenshot(path=str(tmp_path / "history-1400.png"), full_page=True)
        page.goto(base + "/")
        cell = page.locator("#hz-ledgers td.org").first.bounding_box()
        table = page.locator("#hz-ledgers").bounding_box()
        assert cell is not None and table is not None
        assert cell["width"] > 100 and table["width"] > 1200, (cell, table)
    finally:
        context.close()
        stop_server(server)
