"""`hzledger history` on a real git repository: the real CLI in a subprocess, real git."""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

# isort: split
from gitfixture import Fixture, git, make_history_repo

from hztest import SPEC_EXAMPLE

HZLEDGER = Path(sys.executable).parent / "hzledger"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def hz(
    *args: str | Path, cache: Path, env_extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(PYTHONIOENCODING="utf-8", HZLEDGER_CACHE_DIR=str(cache), **(env_extra or {}))
    env.pop("HZLEDGER_LANG", None)
    return subprocess.run(
        [str(HZLEDGER), *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
    )


@pytest.fixture(scope="module")
def fixture(tmp_path_factory: pytest.TempPathFactory) -> Fixture:
    return make_history_repo(tmp_path_factory.mktemp("history") / "repo")


def history_json(fx: Fixture, cache: Path, *extra: str) -> dict[str, Any]:
    result = hz("history", fx.main, "--format", "json", *extra, cache=cache)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_json_introduced_by_a_fixed_by_b(fixture: Fixture, tmp_path: Path) -> None:
    doc = history_json(fixture, tmp_path / "cache")
    shas = fixture.commits
    # The organisation's five commits, oldest first; the README-only commit is not one of them.
    assert [c["commit"]["sha"] for c in doc["commits"]] == [shas[k] for k in "0AUBC"]
    assert [(c["errors"], c["warnings"]) for c in doc["commits"]] == [
        (0, 0),
        (2, 0),
        (2, 0),
        (0, 0),
        (1, 0),
    ]
    assert doc["folder"] == "xicheng" and doc["truncated"] is False
    assert doc["latest"] == shas["C"]  # HEAD itself only touched the top README

    fixed = doc["fixed"]
    assert sorted(f["finding"]["rule"] for f in fixed) == ["HZ-A28", "HZ-A28"]
    for item in fixed:
        assert item["introduced"]["sha"] == shas["A"]
        assert item["introduced"]["author"] == "钱伟"
        assert item["fixed"]["sha"] == shas["B"]
        assert item["fixed"]["author"] == "赵敏"
        assert item["fixed"]["subject"] == "整改：撤销理财产品"
        assert item["days_open"] == 28  # 2026-02-02 .. 2026-03-02
        assert item["finding"]["file"] == "funds/ZH.beancount"  # relative to the org folder
        assert "理财产品" in item["finding"]["message"]

    [current] = doc["current"]
    assert current["finding"]["rule"] == "HZ-A29"
    assert current["introduced"]["sha"] == shas["C"]
    assert current["introduced"]["author"] == "孙丽"
    assert current["introduced"]["date"].startswith("2026-03-20T16:00:00")
    today = datetime.date.fromisoformat(doc["computed_on"])
    assert current["days_standing"] == (today - datetime.date(2026, 3, 20)).days
    assert current["finding"]["file"] == "funds/ZH.beancount"
    # Nothing of the temporary checkout leaks into paths, keys or messages.
    assert "hzledger-history-" not in json.dumps(doc)


def test_same_findings_as_check_at_head(fixture: Fixture, tmp_path: Path) -> None:
    checked = hz("check", fixture.main, "--format", "json", cache=tmp_path)
    assert checked.returncode == 1
    report = json.loads(checked.stdout)
    expected = sorted((f["rule"], f["line"], f["message"]) for f in report["findings"])
    doc = history_json(fixture, tmp_path)
    got = sorted(
        (c["finding"]["rule"], c["finding"]["line"], c["finding"]["message"])
        for c in doc["current"]
    )
    assert got == expected and expected


def test_text_is_readable_in_chinese_and_english(fixture: Fixture, tmp_path: Path) -> None:
    result = hz("history", fixture.main, cache=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    short = {k: v[:7] for k, v in fixture.commits.items()}
    assert "整改跟踪" in out
    assert "现有问题 1 项" in out and "本期已整改 2 项" in out
    assert f"由 {short['C']} 2026-03-20 孙丽「收到利息直接支付办公费」 引入" in out
    assert f"由 {short['B']} 2026-03-02 赵敏「整改：撤销理财产品」 整改，历时 28 天" in out
    assert "违反第二十九条" in out
    assert out.count("错误    2") == 2
    english = hz("history", fixture.main, "--lang", "en", cache=tmp_path)
    assert english.returncode == 0, english.stderr
    assert "Fixed in this window: 2" in english.stdout
    assert f"fixed by {short['B']}" in english.stdout
    assert "Article 29 violated" in english.stdout


def test_second_run_comes_from_the_cache(fixture: Fixture, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cold = history_json(fixture, cache)
    assert not any(c["cached"] for c in cold["commits"])
    warm = history_json(fixture, cache)
    assert all(c["cached"] for c in warm["commits"])
    for key in ("current", "fixed"):
        assert warm[key] == cold[key]
    uncached = history_json(fixture, cache, "--no-cache")
    assert not any(c["cached"] for c in uncached["commits"])
    assert uncached["fixed"] == cold["fixed"]


def test_max_commits_bounds_the_window(fixture: Fixture, tmp_path: Path) -> None:
    doc = history_json(fixture, tmp_path, "--max-commits", "3")
    shas = fixture.commits
    assert [c["commit"]["sha"] for c in doc["commits"]] == [shas[k] for k in "UBC"]
    assert doc["truncated"] is True
    # The violation was already there in the oldest commit shown: introduced at or before it.
    for item in doc["fixed"]:
        assert item["introduced"] is None
        assert item["since_at_least"]["sha"] == shas["U"]
        assert item["fixed"]["sha"] == shas["B"]
    text = hz("history", fixture.main, "--max-commits", "3", cache=tmp_path).stdout
    assert "更早的提交未计入" in text and "历时至少 20 天" in text


def test_since_bounds_the_window(fixture: Fixture, tmp_path: Path) -> None:
    doc = history_json(fixture, tmp_path, "--since", "2026-03-01")
    shas = fixture.commits
    assert [c["commit"]["sha"] for c in doc["commits"]] == [shas["B"], shas["C"]]
    assert doc["truncated"] is True
    assert doc["fixed"] == []  # B fixed A's findings, but A is before the window
    [current] = doc["current"]
    assert current["introduced"] is None or current["introduced"]["sha"] == shas["C"]
    everything = history_json(fixture, tmp_path, "--since", "2025-01-01")
    assert everything["truncated"] is False and len(everything["commits"]) == 5
    future = history_json(fixture, tmp_path, "--since", "2030-01-01")
    assert future["commits"] == [] and future["current"] == [] and future["fixed"] == []


def test_ledger_at_the_repository_root(tmp_path: Path) -> None:
    repo = tmp_path / "org"
    shutil.copytree(SPEC_EXAMPLE, repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "建账", date="2026-01-05T09:00:00+08:00")
    doc = history_json(Fixture(repo, repo / "main.beancount", {}), tmp_path / "c")
    assert doc["folder"] == "" and len(doc["commits"]) == 1
    assert doc["commits"][0]["errors"] == 0


def test_not_in_git_is_a_clear_message(tmp_path: Path) -> None:
    org = tmp_path / "org"
    shutil.copytree(SPEC_EXAMPLE, org)
    # However the machine is laid out, git must not find a repository above tmp_path.
    ceiling = {"GIT_CEILING_DIRECTORIES": str(tmp_path)}
    result = hz("history", org / "main.beancount", cache=tmp_path, env_extra=ceiling)
    english = hz(
        "history", org / "main.beancount", "--lang", "en", cache=tmp_path, env_extra=ceiling
    )
    assert result.returncode == 2
    assert "不在 git 仓库中" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert english.returncode == 2
    assert "is not in a git repository" in english.stderr
    assert len(english.stderr.strip().splitlines()) == 1


def test_bad_arguments_are_one_line(tmp_path: Path) -> None:
    missing = hz("history", tmp_path / "nope.beancount", cache=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr.strip() == f"hzledger: 账本文件 {tmp_path / 'nope.beancount'} 不存在"
    folder = hz("history", tmp_path, "--lang", "en", cache=tmp_path)
    assert folder.returncode == 2 and "is a directory" in folder.stderr
    bad_date = hz("history", tmp_path, "--since", "yesterday", cache=tmp_path)
    assert bad_date.returncode == 2 and "Traceback" not in bad_date.stderr


def test_a_revert_is_checked_once_and_matched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Commit R restores exactly the tree of commit 0: its check is reused, not repeated."""
    from gitfixture import WEALTH, commit
    from hzledger.history import build_history

    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    org = repo / "org"
    shutil.copytree(SPEC_EXAMPLE, org)
    zh = org / "funds" / "ZH.beancount"
    clean = zh.read_text(encoding="utf-8")
    first = commit(repo, "建账", "赵敏", "2026-01-05T09:00:00+08:00")
    zh.write_text(clean + WEALTH, encoding="utf-8")
    bad = commit(repo, "购买理财产品", "钱伟", "2026-02-02T10:00:00+08:00")
    zh.write_text(clean, encoding="utf-8")
    revert = commit(repo, "Revert 购买理财产品", "赵敏", "2026-02-03T10:00:00+08:00")
    monkeypatch.setenv("HZLEDGER_CACHE_DIR", str(tmp_path / "cache"))
    history = build_history(org / "main.beancount", today=datetime.date(2026, 3, 1))
    assert [(p.commit.sha, p.cached) for p in history.commits] == [
        (first, False),
        (bad, False),
        (revert, True),
    ]
    assert [p.errors for p in history.commits] == [0, 2, 0]
    assert {(f.introduced.sha if f.introduced else None, f.fixed.sha) for f in history.fixed} == {
        (bad, revert)
    }
    assert history.current == []


def test_commits_before_the_ledger_existed(tmp_path: Path) -> None:
    """The folder committed before its main.beancount: 'absent', and the first ledger's
    findings are introduced by the commit that added it."""
    from gitfixture import WEALTH, commit

    repo = tmp_path / "repo"
    org = repo / "org"
    org.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    (org / "README.md").write_text("筹建中\n", encoding="utf-8")
    empty = commit(repo, "筹建", "赵敏", "2026-01-02T09:00:00+08:00")
    shutil.copytree(SPEC_EXAMPLE, org, dirs_exist_ok=True)
    zh = org / "funds" / "ZH.beancount"
    zh.write_text(zh.read_text(encoding="utf-8") + WEALTH, encoding="utf-8")
    made = commit(repo, "建账", "钱伟", "2026-01-05T09:00:00+08:00")
    doc = history_json(Fixture(repo, org / "main.beancount", {}), tmp_path / "c")
    assert [(c["commit"]["sha"], c["status"]) for c in doc["commits"]] == [
        (empty, "absent"),
        (made, "checked"),
    ]
    assert {c["introduced"]["sha"] for c in doc["current"]} == {made}
    text = hz("history", org / "main.beancount", cache=tmp_path / "c").stdout
    assert "尚无账本" in text
