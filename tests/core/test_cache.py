"""The results cache: a second check of an unchanged ledger is served from it, and
anything that decides the results — any included file, a new file a glob include
picks up, the documents folder, the as-of date, hzledger's own code — makes it miss."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from hzledger import cache

from hztest import HEADER, Ledger

TERM = """
2024-03-01 * "转存定期"
  Assets:ZY24:1002银行存款:D定期存款  200000.00 CNY
  Assets:ZY24:1002银行存款:Z支出户
"""


def entries_in(folder: Path) -> set[str]:
    return {p.name for p in folder.glob("*.json")}


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("HZLEDGER_CACHE_DIR", str(folder))
    return folder


def errors(cli, ledger: Ledger, *extra: str) -> int:
    doc = json.loads(cli("check", ledger.main, "--format", "json", *extra).stdout)
    return doc["ledgers"][0]["errors"]


def test_second_check_is_a_hit_and_changes_miss(cli, ledger: Ledger, cache_dir: Path) -> None:
    ledger.write(
        'include "policy.beancount"\ninclude "projects/*.beancount"\n' + TERM,
        **{
            "policy.beancount": '2024-01-01 custom "hz-policy" "large-amount" 500000 CNY\n',
            "projects/empty.beancount": "",
        },
    )
    assert errors(cli, ledger) == 0
    [stored] = entries_in(cache_dir)
    # A hit: poison the stored entry and see it come back, proving it was read.
    poisoned = json.loads((cache_dir / stored).read_text())
    poisoned["title"] = "来自缓存"
    (cache_dir / stored).write_text(json.dumps(poisoned))
    assert (
        json.loads(cli("check", ledger.main, "--format", "json").stdout)["ledgers"][0]["title"]
        == "来自缓存"
    )
    assert "来自缓存" not in cli("check", ledger.main, "--no-cache").stdout

    # An included file changes.
    (ledger.root / "policy.beancount").write_text(
        '2024-01-01 custom "hz-policy" "large-amount" 100000 CNY\n', encoding="utf-8"
    )
    assert errors(cli, ledger) == 1
    # A new file the glob include picks up.
    (ledger.root / "projects" / "bad.beancount").write_text(
        '2024-01-01 open Assets:ZY24:1101理财 CNY\n  kind: "wealth-product"\n', encoding="utf-8"
    )
    assert errors(cli, ledger) == 2
    # Another as-of date is another result.
    doc = json.loads(cli("check", ledger.main, "--format", "json", "--as-of", "2026-01-01").stdout)
    assert doc["ledgers"][0]["warnings"] == 2
    assert len(entries_in(cache_dir)) == 4


def test_documents_folder_is_part_of_the_key(ledger: Ledger, cache_dir: Path) -> None:
    ledger.write('option "documents" "documents"\n')
    (ledger.root / "documents").mkdir()
    before = cache.ResultCache(ledger.main, None).key
    (ledger.root / "documents" / "Assets").mkdir()
    (ledger.root / "documents" / "Assets" / "2024-01-01.对账单.pdf").write_bytes(b"%PDF")
    assert cache.ResultCache(ledger.main, None).key != before


def test_code_change_is_part_of_the_key(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    ledger.write("")
    before = cache.ResultCache(ledger.main, None).key
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "another hzledger")
    assert cache.ResultCache(ledger.main, None).key != before


def test_foreign_plugins_are_never_cached(ledger: Ledger, cli, cache_dir: Path) -> None:
    ledger.write("", header=HEADER + 'plugin "beancount.plugins.auto_accounts"\n')
    assert cache.ResultCache(ledger.main, None).key is not None
    ledger.write("", header=HEADER + 'plugin "my_company.plugins.magic"\n')
    assert cache.ResultCache(ledger.main, None).key is None
    cli("check", ledger.main)
    assert entries_in(cache_dir) == set()


def test_unwritable_cache_only_slows_down(ledger: Ledger, cli, tmp_path: Path) -> None:
    ledger.write(TERM)
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("")
    env_cli = cli
    os.environ["HZLEDGER_CACHE_DIR"], saved = str(blocker / "sub"), os.environ["HZLEDGER_CACHE_DIR"]
    try:
        result = env_cli("check", ledger.main)
    finally:
        os.environ["HZLEDGER_CACHE_DIR"] = saved
    assert result.returncode == 0 and "Traceback" not in result.stderr
