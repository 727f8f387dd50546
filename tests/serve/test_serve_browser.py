"""A real headless chromium (Debian's, nothing downloaded) drives the supervisors' service."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from types import ModuleType

import pytest

# isort: split
from serve_support import BAD_TITLE, LONG_QUERY, USERS, Server

sync_api: ModuleType | None
try:
    from playwright import sync_api
except ImportError:  # the shared `browser` fixture skips locally, fails under CI
    sync_api = None

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

pytestmark = pytest.mark.browser


def _save(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path


def test_supervisor_opens_compliance_page(browser, server: Server) -> None:
    context = browser.new_context(
        http_credentials={"username": "bob", "password": USERS["bob"][0]},
        locale="zh-CN",
        viewport={"width": 1400, "height": 1600},
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    base = f"http://{server.host}:{server.port}"

    assert sync_api is not None
    expect = sync_api.expect
    page.goto(base + "/")
    expect(page.locator("#hz-ledgers tbody tr")).to_have_count(1)
    page.get_by_role("link", name="合规检查").click()

    page.wait_for_url("**/bad/extension/HzCompliance/")
    expect(page.locator("#hz-verdict")).to_contain_text("不合规")
    expect(page.locator("#hz-findings")).to_contain_text("HZ-A28")
    assert page.locator("#hz-findings tbody tr").count() >= 3
    funds = page.locator("#hz-funds")
    for code in ("ZH", "ZY25", "YW25"):
        expect(funds).to_contain_text(code)
    expect(funds).to_contain_text("给付率")
    # Fava's own chrome around it: the sidebar lists the page, in Chinese.
    expect(page.locator("aside").get_by_text("合规检查")).to_be_visible()
    expect(page).to_have_title(re.compile(BAD_TITLE))
    shot = _save(page, "compliance-bad.png")
    assert shot.stat().st_size > 10_000

    # Filtering by rule through Fava's client-side router keeps only that rule.
    page.locator("#hz-rule-counts").get_by_role("link", name="HZ-A29").click()
    page.wait_for_url("**rule=HZ-A29**")
    first_cells = page.locator("#hz-findings tbody tr td:first-child")
    expect(page.locator("#hz-shown")).to_contain_text("显示 1 /")
    expect(first_cells).to_have_text(["HZ-A29"])
    _save(page, "compliance-bad-filtered.png")
    assert not errors, errors
    context.close()


def test_wrong_password_gets_no_page(browser, server: Server) -> None:
    context = browser.new_context(http_credentials={"username": "bob", "password": "nope-nope"})
    page = context.new_page()
    response = page.goto(f"http://{server.host}:{server.port}/bad/extension/HzCompliance/")
    assert response is not None and response.status == 401
    assert BAD_TITLE not in page.content()
    context.close()


def test_artifacts_are_ignored_by_git() -> None:
    ignore = Path(__file__).resolve().parent / ".gitignore"
    assert "artifacts/" in ignore.read_text(encoding="utf-8").split()
    assert shutil.which("git") is not None


FAVA_PAGES = (
    "extension/HzCompliance/",
    "income_statement/",
    "balance_sheet/",
    "journal/",
    "errors/",
    "documents/",
    "options/",
    "help/",
)


def test_no_editing_control_on_any_page(browser, server: Server) -> None:
    context = browser.new_context(
        http_credentials={"username": "bob", "password": USERS["bob"][0]},
        locale="zh-CN",
        viewport={"width": 1400, "height": 1000},
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    base = f"http://{server.host}:{server.port}/bad/"
    assert sync_api is not None
    expect = sync_api.expect
    for name in FAVA_PAGES:
        page.goto(base + name)
        expect(page.locator("aside")).to_contain_text("合规检查")
        aside = page.locator("aside")
        for label in ("编辑器", "导入", "Editor", "Import"):
            expect(aside.get_by_text(label, exact=True)).to_have_count(0)
        expect(page.locator('a[href="#add-transaction"]')).to_have_count(0)
        expect(page.get_by_role("button", name="保存")).to_have_count(0)
        expect(page.locator('input[type="file"]')).to_have_count(0)
    # A long query name is shown whole (Fava 1.30 cut it to its tail, "转）…").
    expect(page.locator("aside .submenu")).to_contain_text(LONG_QUERY)
    expect(page.locator("aside").get_by_text("转）…")).to_have_count(0)
    # Not even when asked for by URL: no add-entry dialog opens.
    page.goto(base + "income_statement/#add-transaction")
    page.wait_for_timeout(300)
    expect(page.locator(".overlay form")).to_have_count(0)
    _save(page, "readonly-income-statement.png")
    assert not errors, errors
    context.close()


def test_finding_link_lands_on_its_line(browser, server: Server, orgs: dict[str, Path]) -> None:
    context = browser.new_context(
        http_credentials={"username": "bob", "password": USERS["bob"][0]},
        locale="zh-CN",
        viewport={"width": 1400, "height": 1000},
    )
    page = context.new_page()
    assert sync_api is not None
    expect = sync_api.expect
    base = f"http://{server.host}:{server.port}"
    page.goto(base + "/bad/extension/HzCompliance/")
    link = page.locator("#hz-findings a.hz-src").first
    location = link.inner_text()
    file, line = location.rsplit(":", 1)
    wanted = (orgs["bad"].parent / file).read_text(encoding="utf-8").splitlines()[int(line) - 1]
    link.click()
    # Fava's client-side router: the URL changes without a page load.
    expect(page).to_have_url(re.compile(rf"/bad/editor/\?file_path=.*line={line}"))
    active = page.locator(".cm-activeLine")
    expect(active).to_have_count(1)
    expect(active).to_have_text(re.compile(re.escape(wanted.strip())))
    # Read-only: typing changes nothing, there is no save button.
    before = page.locator(".cm-content").inner_text()
    page.locator(".cm-content").click()
    page.keyboard.type("XYZ")
    assert page.locator(".cm-content").inner_text() == before
    expect(page.get_by_role("button", name="保存")).to_have_count(0)
    expect(page).to_have_title(re.compile("源文件（只读）"))
    _save(page, "source-view-line.png")
    context.close()


def test_overview_worse_first_filter_and_download(browser, server: Server) -> None:
    context = browser.new_context(
        http_credentials={"username": "root", "password": USERS["root"][0]},
        locale="zh-CN",
        viewport={"width": 1500, "height": 900},
        accept_downloads=True,
    )
    page = context.new_page()
    assert sync_api is not None
    expect = sync_api.expect
    base = f"http://{server.host}:{server.port}"
    page.goto(base + "/")
    rows = page.locator("#hz-ledgers tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(BAD_TITLE)
    expect(rows.nth(0).locator(".verdict")).to_have_text("不合规")
    expect(rows.nth(1).locator(".verdict")).to_have_text("合规")
    _save(page, "overview.png")
    page.locator('select[name="parent"]').select_option("示例省总工会")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**parent=**")
    expect(rows).to_have_count(2)
    with page.expect_download() as info:
        page.locator("#hz-xlsx").click()
    download = info.value
    target = ARTIFACTS / "overview.xlsx"
    ARTIFACTS.mkdir(exist_ok=True)
    download.save_as(str(target))
    assert target.read_bytes()[:2] == b"PK"
    for label in ("编辑器", "导入"):
        expect(page.get_by_text(label, exact=True)).to_have_count(0)
    context.close()


def test_report_page_year_selector_and_download(browser, server: Server) -> None:
    context = browser.new_context(
        http_credentials={"username": "bob", "password": USERS["bob"][0]},
        locale="zh-CN",
        viewport={"width": 1400, "height": 1200},
        accept_downloads=True,
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    assert sync_api is not None
    expect = sync_api.expect
    base = f"http://{server.host}:{server.port}"
    page.goto(base + "/bad/extension/HzCompliance/")
    page.locator("aside").get_by_text("报表", exact=True).click()
    expect(page).to_have_url(re.compile(r"/bad/extension/HzReports/"))
    page.locator("#hz-report-kinds").get_by_text("偿付能力").click()
    expect(page).to_have_url(re.compile(r"kind=solvency"))
    year = page.locator('#hz-report-year select[name="year"]')
    expect(year).to_have_value("2025")
    options = year.locator("option").all_inner_texts()
    assert "2025" in options
    if "2024" in options:
        year.select_option("2024")
        expect(page).to_have_url(re.compile(r"year=2024"))
        year = page.locator('#hz-report-year select[name="year"]')
        expect(year).to_have_value("2024")
        year.select_option("2025")
        expect(page).to_have_url(re.compile(r"year=2025"))
    frame = page.frame_locator("#hz-report-frame")
    expect(frame.locator("body")).to_contain_text("偿付能力")
    with page.expect_download() as info:
        page.locator("#hz-report-downloads").get_by_text("Excel（xlsx）").click()
    target = ARTIFACTS / "report-solvency-2025.xlsx"
    ARTIFACTS.mkdir(exist_ok=True)
    info.value.save_as(str(target))
    assert info.value.suggested_filename == "solvency-2025.xlsx"
    assert target.read_bytes()[:2] == b"PK"
    _save(page, "report-solvency.png")
    assert not errors, errors
    context.close()
