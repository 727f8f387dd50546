"""A real headless chromium (Debian's, nothing downloaded) drives the supervisors' service."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from types import ModuleType

import pytest

# isort: split
from serve_support import BAD_TITLE, USERS, Server

sync_api: ModuleType | None
try:
    from playwright import sync_api
except ImportError:  # the shared `browser` fixture skips locally, fails under CI
    sync_api = None

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

pytestmark = pytest.mark.browser


def _save(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path


def test_supervisor_opens_compliance_page(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
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


def test_wrong_password_gets_no_page(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
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
