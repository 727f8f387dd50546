"""The WSGI app in-process (werkzeug's client): non-ASCII slugs, HEAD, headers, log."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from werkzeug.test import Client

from hzledger.serve.access_log import AccessLog
from hzledger.serve.app import LedgerLoadError, ServeApp
from hzledger.serve.auth import Authenticator, UserStore
from hzledger.serve.ledgers import discover

# isort: split
from serve_support import CLEAN_TITLE, USERS, basic, compliance_path, make_orgs, write_users


def test_chinese_folder_name_is_a_working_slug(tmp_path: Path) -> None:
    orgs = make_orgs(tmp_path / "ledgers")
    chinese = orgs["shiyan"].parent.with_name("示例市")
    orgs["shiyan"].parent.rename(chinese)
    users = write_users(tmp_path / "users.toml")
    log_path = tmp_path / "access.log"
    log = AccessLog(log_path)
    app = ServeApp(discover([str(tmp_path / "ledgers")]), Authenticator(UserStore(users)), log)
    client = Client(app)  # requests are `buffered` so the app iterable is closed, as servers do
    auth = {"Authorization": basic("root", USERS["root"][0])}

    landing = client.get("/", headers=auth, buffered=True)
    assert landing.status_code == 200
    assert 'href="/示例市/extension/HzCompliance/"' in landing.get_data(as_text=True)
    page = client.get(compliance_path("示例市"), headers=auth, buffered=True)
    assert page.status_code == 200 and CLEAN_TITLE in page.get_data(as_text=True)
    # Fava's own links keep the slug.
    fava = client.get("/示例市/income_statement/", headers=auth, buffered=True).get_data(
        as_text=True
    )
    assert "/示例市/" in fava or "%E7%A4%BA" in fava
    # alice's scope named the old folder: the renamed one is no longer hers.
    alice = {"Authorization": basic("alice", USERS["alice"][0])}
    assert client.get(compliance_path("示例市"), headers=alice, buffered=True).status_code == 404

    head = client.head(compliance_path("示例市"), headers=auth, buffered=True)
    assert head.status_code == 200 and head.get_data() == b""
    for name in ("X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"):
        assert head.headers.get(name)
    log.close()
    records = [json.loads(line) for line in log_path.read_text(encoding="utf-8").splitlines()]
    assert any(
        r["ledger"] == "示例市" and r["path"] == compliance_path("示例市") for r in records
    ), records


def test_unloadable_ledger_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import hzledger.serve.app as app_module

    def broken(slug: str, path: Path) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    make_orgs(tmp_path / "ledgers")
    monkeypatch.setattr(app_module, "make_fava_app", broken)
    users = write_users(tmp_path / "users.toml")
    specs = discover([str(tmp_path / "ledgers")])
    with pytest.raises(LedgerLoadError) as info:
        ServeApp(specs, Authenticator(UserStore(users)), AccessLog(tmp_path / "log"))
    assert info.value.spec == specs[0]
    assert "Permission denied" in str(info.value)
