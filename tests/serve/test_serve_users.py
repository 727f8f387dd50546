"""The users file and `hzledger user`: validation, atomic writes, the real CLI."""

from __future__ import annotations

import os
import stat
import subprocess
import tomllib
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from hypothesis import given, settings
from hypothesis import strategies as st

from hzledger.serve.users import (
    NAME_RE,
    User,
    UsersFile,
    UsersFileError,
    dump_users,
    invisible,
    load_users,
    parse_users,
    save_users,
)

# isort: split
from serve_support import FAST_HASHER, HZLEDGER

HASH = FAST_HASHER.hash("x" * 10)


def run(*args: str | os.PathLike[str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    # A new session has no controlling terminal, so the password prompt reads stdin.
    return subprocess.run(
        [str(HZLEDGER), *map(str, args)],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        start_new_session=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def test_parse_valid_file(tmp_path: Path) -> None:
    text = f'[[users]]\nname = "张三"\npassword_hash = "{HASH}"\nscopes = ["shiyan", "*"]\n'
    users = parse_users(text, tmp_path / "u.toml")
    assert users.users[0].name == "张三" and users.users[0].sees_all()


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (
            f'[[users]]\nname = "a"\npassword_hash = "{HASH}"\nscopes = ["*"]\nadmin = true\n',
            "users[0].admin",
        ),
        (f'[[users]]\nname = "a"\npassword_hash = "{HASH}"\nscopes = []\n', "users[0].scopes"),
        ('[[users]]\nname = "a"\npassword_hash = "plaintext"\nscopes = ["*"]\n', "argon2"),
        (f'[[users]]\nname = "a b"\npassword_hash = "{HASH}"\nscopes = ["*"]\n', "users[0].name"),
        (
            f'[[users]]\nname = "a"\npassword_hash = "{HASH}"\nscopes = ["*"]\n' * 2,
            "用户名重复",
        ),
        ('[[users]\nname = "a"\n', "TOML 语法错误"),
        ("[settings]\nx = 1\n", "settings"),
    ],
)
def test_invalid_files_name_file_and_place(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "users.toml"
    with pytest.raises(UsersFileError) as info:
        parse_users(text, path)
    assert str(path) in info.value.zh and fragment in info.value.zh
    assert str(path) in info.value.en


@settings(max_examples=60, deadline=None)
@given(
    names=st.lists(
        st.from_regex(NAME_RE, fullmatch=True).filter(lambda n: invisible(n) is None),
        min_size=1,
        max_size=4,
        unique=True,
    ),
    scope=st.text(min_size=1, max_size=30).filter(
        lambda s: invisible(s) is None and s == s.strip()
    ),
)
def test_dump_reads_back(names: list[str], scope: str) -> None:
    users = UsersFile(users=[User(name=n, password_hash=HASH, scopes=[scope, "*"]) for n in names])
    text = dump_users(users)
    assert UsersFile.model_validate(tomllib.loads(text)) == users


def test_save_is_atomic_and_private(tmp_path: Path) -> None:
    path = tmp_path / "users.toml"
    save_users(path, UsersFile(users=[User(name="a", password_hash=HASH, scopes=["*"])]))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["users.toml"]  # no temp file left
    assert load_users(path).get("a") is not None


def test_user_add_keeps_others_and_hashes(tmp_path: Path) -> None:
    path = tmp_path / "users.toml"
    first = run(
        "user", "add", path, "sheng", "--scope", "*", "--password-stdin", stdin="sheng-secret-1\n"
    )
    assert first.returncode == 0, first.stderr
    assert "已保存用户 sheng" in first.stdout
    second = run(
        "user",
        "add",
        path,
        "shi",
        "--scope",
        "shiyan",
        "--scope",
        "示例市职工互助保障会",
        "--password-stdin",
        stdin="shi-secret-22\n",
    )
    assert second.returncode == 0, second.stderr
    users = load_users(path)
    assert [u.name for u in users.users] == ["sheng", "shi"]
    assert users.users[1].scopes == ["shiyan", "示例市职工互助保障会"]
    hasher = PasswordHasher()
    assert hasher.verify(users.users[0].password_hash, "sheng-secret-1")
    assert hasher.verify(users.users[1].password_hash, "shi-secret-22")
    assert "secret" not in path.read_text(encoding="utf-8")
    listed = run("user", "list", path)
    assert listed.returncode == 0 and "shi\tshiyan, 示例市职工互助保障会" in listed.stdout


def test_user_add_refuses_duplicate_unless_replace(tmp_path: Path) -> None:
    path = tmp_path / "users.toml"
    assert (
        run(
            "user", "add", path, "a", "--scope", "*", "--password-stdin", stdin="plum-orchard-41\n"
        ).returncode
        == 0
    )
    before = path.read_bytes()
    dup = run(
        "user", "add", path, "a", "--scope", "x", "--password-stdin", stdin="quiet-lantern-58\n"
    )
    assert dup.returncode == 2
    assert "已存在" in dup.stderr and "Traceback" not in dup.stderr
    assert path.read_bytes() == before
    dup_en = run(
        "user",
        "add",
        path,
        "a",
        "--scope",
        "x",
        "--password-stdin",
        "--lang",
        "en",
        stdin="quiet-lantern-58\n",
    )
    assert "already exists" in dup_en.stderr
    replaced = run(
        "user",
        "add",
        path,
        "a",
        "--scope",
        "x",
        "--password-stdin",
        "--replace",
        stdin="quiet-lantern-58\n",
    )
    assert replaced.returncode == 0
    user = load_users(path).get("a")
    assert user is not None and user.scopes == ["x"]
    assert PasswordHasher().verify(user.password_hash, "quiet-lantern-58")


def test_user_add_prompts_twice(tmp_path: Path) -> None:
    path = tmp_path / "users.toml"
    ok = run("user", "add", path, "p", "--scope", "*", stdin="prompted-pass\nprompted-pass\n")
    assert ok.returncode == 0, ok.stderr
    user = load_users(path).get("p")
    assert user is not None and PasswordHasher().verify(user.password_hash, "prompted-pass")
    mismatch = run(
        "user", "add", tmp_path / "other.toml", "p", "--scope", "*", stdin="aaaaaaaaa\nbbbbbbbbb\n"
    )
    assert mismatch.returncode != 0
    assert not (tmp_path / "other.toml").exists()


def test_user_cli_errors_are_clear(tmp_path: Path) -> None:
    short = run(
        "user", "add", tmp_path / "u.toml", "a", "--scope", "*", "--password-stdin", stdin="short\n"
    )
    assert short.returncode == 2 and "口令太短" in short.stderr
    bad_name = run(
        "user",
        "add",
        tmp_path / "u.toml",
        "a:b",
        "--scope",
        "*",
        "--password-stdin",
        stdin="long-enough-77x\n",
    )
    assert bad_name.returncode == 2 and "用户信息无效" in bad_name.stderr
    broken = tmp_path / "broken.toml"
    broken.write_text("[[users]]\nname = 1\n", encoding="utf-8")
    res = run(
        "user", "add", broken, "a", "--scope", "*", "--password-stdin", stdin="long-enough-77x\n"
    )
    assert res.returncode == 2 and str(broken) in res.stderr and "Traceback" not in res.stderr
    missing = run("user", "remove", tmp_path / "u.toml", "ghost")
    assert missing.returncode != 0 and "Traceback" not in missing.stderr
    for result in (short, bad_name, res, missing):
        assert "Traceback" not in result.stderr


def test_user_remove_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "users.toml"
    for name in ("a", "b"):
        res = run(
            "user", "add", path, name, "--scope", "*", "--password-stdin", stdin="long-enough-77x\n"
        )
        assert res.returncode == 0, res.stderr
    removed = run("user", "remove", path, "a")
    assert removed.returncode == 0 and "已删除用户 a" in removed.stdout
    assert [u.name for u in load_users(path).users] == ["b"]
