"""`hzledger serve` on the command line: clear failures, and the demo user of `make run`."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from hzledger.serve.users import User, load_users, save_users

# isort: split
from serve_support import CLEAN_TITLE, FAST_HASHER, HZLEDGER, make_orgs, start_server, stop_server


def run(*args: str | os.PathLike[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(HZLEDGER), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def test_usage_errors_are_clear(tmp_path: Path) -> None:
    orgs = make_orgs(tmp_path / "ledgers")
    users = tmp_path / "users.toml"
    users.write_text(
        '[[users]]\nname = "a"\npassword_hash = "nope"\nscopes = ["*"]\n', encoding="utf-8"
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    cases = [
        (["serve", orgs["shiyan"]], "需要 --users"),
        (["serve", tmp_path / "missing.beancount", "--users", users], "找不到账本"),
        (["serve", empty, "--users", users], "没有 */main.beancount"),
        (["serve", orgs["shiyan"], "--users", tmp_path / "nope.toml"], "找不到用户文件"),
        (["serve", orgs["shiyan"], "--users", users], f"{users}：用户文件格式错误"),
        (["serve", orgs["shiyan"], "--users", users, "--demo-user"], f"{users}：用户文件格式错误"),
    ]
    for args, message in cases:
        res = run(*args)
        assert res.returncode == 2, (args, res.stderr)
        assert message in res.stderr, (args, res.stderr)
        assert "Traceback" not in res.stderr
    en = run("serve", orgs["shiyan"], "--lang", "en")
    assert en.returncode == 2 and "--users is required" in en.stderr


def test_demo_user_prints_credentials_that_work(tmp_path: Path) -> None:
    orgs = make_orgs(tmp_path / "ledgers")
    server = start_server(
        [str(orgs["shiyan"].parent.parent), "--demo-user"], tmp_path / "access.log", tmp_path
    )
    try:
        line = next(line for line in server.stderr if line.startswith("演示用户："))
        name, password = line.split("：", 1)[1].split("  口令：")
        page = server.get("/", user=name.strip(), password=password.strip())
        assert page.status == 200
        assert CLEAN_TITLE in page.text and 'data-slug="bad"' in page.text
        assert server.get("/", user=name.strip(), password="guess").status == 401
    finally:
        stop_server(server)


def test_demo_user_joins_an_existing_users_file(tmp_path: Path) -> None:
    """`make run`: `--users run/users.toml --demo-user` creates the file, keeps other users."""
    orgs = make_orgs(tmp_path / "ledgers")
    users = tmp_path / "run" / "users.toml"
    first = start_server(
        [str(orgs["bad"]), "--users", str(users), "--demo-user"], tmp_path / "a.log", tmp_path
    )
    stop_server(first)
    assert [u.name for u in load_users(users).users] == ["demo"]
    save_users(
        users,
        load_users(users).with_user(
            User(name="kept", password_hash=FAST_HASHER.hash("kept-pass"), scopes=["bad"])
        ),
    )
    second = start_server(
        [str(orgs["bad"]), "--users", str(users), "--demo-user"], tmp_path / "b.log", tmp_path
    )
    try:
        line = next(line for line in second.stderr if line.startswith("演示用户："))
        password = line.split("  口令：")[1].strip()
        assert second.get("/", user="demo", password=password).status == 200
        assert second.get("/", user="kept", password="kept-pass").status == 200
    finally:
        stop_server(second)
    assert sorted(u.name for u in load_users(users).users) == ["demo", "kept"]
