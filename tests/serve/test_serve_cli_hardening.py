"""CLI paths of issue 11: one-line errors and exit 2, stronger `user add`, scope checks at start."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from hzledger.serve.users import User, UsersFile, load_users, save_users

# isort: split
from serve_support import FAST_HASHER, HZLEDGER, make_orgs, write_users


def run(
    *args: object, stdin: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(HZLEDGER), *map(str, args)],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=timeout,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def one_line_error(res: subprocess.CompletedProcess[str]) -> str:
    assert res.returncode == 2, (res.returncode, res.stderr)
    assert "Traceback" not in res.stderr
    errors = [line for line in res.stderr.splitlines() if line.startswith("hzledger:")]
    assert len(errors) == 1, res.stderr
    return errors[0]


@pytest.fixture(scope="module")
def orgs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_orgs(tmp_path_factory.mktemp("cli-hardening") / "ledgers")


def test_access_log_in_a_missing_folder(orgs: dict[str, Path], tmp_path: Path) -> None:
    users = write_users(tmp_path / "users.toml")
    res = run(
        "serve", orgs["shiyan"], "--users", users, "--access-log", tmp_path / "nodir" / "a.jsonl"
    )
    line = one_line_error(res)
    assert "访问日志" in line and "没有该文件或目录" in line and "No such file" not in line
    english = run(
        "serve", orgs["shiyan"], "--users", users, "--access-log", tmp_path / "nodir" / "a.jsonl",
        "--lang", "en",
    )  # fmt: skip
    assert "No such file or directory" in english.stderr


def test_unresolvable_host(orgs: dict[str, Path], tmp_path: Path) -> None:
    users = write_users(tmp_path / "users.toml")
    res = run(
        "serve", orgs["shiyan"], "--users", users, "--host", "no.such.host.invalid", "--port", "0"
    )
    line = one_line_error(res)
    assert "无法监听" in line and "无法解析或使用该主机地址" in line and "Invalid" not in line


def test_port_in_use_is_said_in_chinese(orgs: dict[str, Path], tmp_path: Path) -> None:
    users = write_users(tmp_path / "users.toml")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        res = run("serve", orgs["shiyan"], "--users", users, "--port", port)
        line = one_line_error(res)
        assert "端口已被占用" in line and "Address already in use" not in line
        english = run("serve", orgs["shiyan"], "--users", users, "--port", port, "--lang", "en")
        assert "Address already in use" in english.stderr


def test_pydantic_errors_are_short_chinese_lines(orgs: dict[str, Path], tmp_path: Path) -> None:
    empty = run("user", "add", tmp_path / "u.toml", "", "--scope", "*", "--password-stdin",
                stdin="plum-orchard-41\n")  # fmt: skip
    line = one_line_error(empty)
    assert "name：不能为空" in line and "String should" not in line
    users = tmp_path / "typo.toml"
    users.write_text(
        '[[users]]\nname = "a"\npassword_hash = "$argon2id$x"\nscopes = ["*"]\nscope = ["x"]\n',
        encoding="utf-8",
    )
    for args in (("user", "list", users), ("serve", orgs["shiyan"], "--users", users)):
        line = one_line_error(run(*args))
        assert "users[0].scope：不认识的键" in line and "Extra inputs" not in line
        assert "errors.pydantic.dev" not in line
    english = run("user", "list", users, "--lang", "en")
    assert "users[0].scope: is not a known key" in english.stderr


def test_check_refuses_non_regular_files() -> None:
    res = run("check", "/dev/zero", timeout=30)
    assert "不是普通文件" in one_line_error(res)


@pytest.fixture
def readonly_users() -> Iterator[Path]:
    """A users file in a folder the command may not write to (as `nobody` when we are root)."""
    folder = Path(tempfile.mkdtemp(prefix="hz-ro-"))
    path = folder / "users.toml"
    user = User(name="a", password_hash=FAST_HASHER.hash("x-long-pass"), scopes=["*"])
    save_users(path, UsersFile(users=[user, user.model_copy(update={"name": "b"})]))
    path.chmod(0o644)
    folder.chmod(0o555)
    try:
        yield path
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


def test_user_remove_in_an_unwritable_folder(readonly_users: Path) -> None:
    cmd = [str(HZLEDGER), "user", "remove", str(readonly_users), "a"]
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("root without setpriv: permissions cannot be tested")
        cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *cmd]
    res = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert "无法写入" in one_line_error(res)
    assert [u.name for u in load_users(readonly_users).users] == ["a", "b"]


@pytest.mark.parametrize(
    ("name", "password", "fragment"),
    [
        ("alice", "12345678", "口令太短"),
        ("alice", "password", "口令太短"),
        ("alice", " " * 12, "太容易猜到"),
        ("alice", "password1234", "太容易猜到"),
        ("alice", "qwertyuiop", "太容易猜到"),
        ("sheng-jiandu-2025", "sheng-jiandu-2025", "用户名相同"),
    ],
)
def test_user_add_refuses_weak_passwords(
    tmp_path: Path, name: str, password: str, fragment: str
) -> None:
    path = tmp_path / "users.toml"
    res = run("user", "add", path, name, "--scope", "*", "--password-stdin", stdin=password + "\n")
    assert fragment in one_line_error(res)
    assert not path.exists()


@pytest.mark.parametrize(
    ("name", "scope"),
    [
        ("zero\u200bwidth", "*"),
        ("rtl\u202ename", "*"),
        ("alice", "shi\nyan"),
        ("alice", "shi\u200byan"),
    ],
)
def test_user_add_refuses_invisible_characters(tmp_path: Path, name: str, scope: str) -> None:
    path = tmp_path / "users.toml"
    res = run(
        "user", "add", path, name, "--scope", scope, "--password-stdin", stdin="plum-orchard-41\n"
    )
    line = one_line_error(res)
    assert "用户信息无效" in line and "pydantic" not in line and "http" not in line
    assert not path.exists()


def test_user_add_warns_about_scopes_matching_no_ledger(
    orgs: dict[str, Path], tmp_path: Path
) -> None:
    base = orgs["shiyan"].parent.parent
    res = run(
        "user",
        "add",
        tmp_path / "u.toml",
        "shi",
        "--scope",
        "shiyan",
        "--scope",
        "shiyna",
        "--scope",
        "示例市职工互助保障会",
        "--ledgers",
        base,
        "--password-stdin",
        stdin="plum-orchard-41\n",
    )
    assert res.returncode == 0, res.stderr
    warnings = [line for line in res.stderr.splitlines() if "不匹配" in line]
    assert len(warnings) == 1 and "shiyna" in warnings[0]


def _serve_until_ready_or_exit(
    args: list[object], timeout: float = 90
) -> subprocess.CompletedProcess[str] | str:
    """Exit status of a `serve` that refuses to start, or its stderr once it listens."""
    proc = subprocess.Popen(
        [str(HZLEDGER), "serve", *map(str, args), "--port", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert proc.stderr is not None
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if "http://" in line:
            proc.terminate()
            proc.wait(timeout=15)
            return "".join(lines)
    proc.wait(timeout=timeout)
    return subprocess.CompletedProcess(proc.args, proc.returncode, "", "".join(lines))


def test_serve_refuses_an_unusable_hash(orgs: dict[str, Path], tmp_path: Path) -> None:
    users = tmp_path / "users.toml"
    users.write_text(
        '[[users]]\nname = "a"\npassword_hash = "$argon2id$garbage"\nscopes = ["*"]\n',
        encoding="utf-8",
    )
    res = _serve_until_ready_or_exit([orgs["shiyan"], "--users", users])
    assert isinstance(res, subprocess.CompletedProcess)
    assert "散列无法使用" in one_line_error(res)


def test_serve_warns_about_scopes_matching_no_ledger(orgs: dict[str, Path], tmp_path: Path) -> None:
    users = write_users(tmp_path / "users.toml")  # carol's scope names no served org
    res = _serve_until_ready_or_exit([orgs["shiyan"].parent.parent, "--users", users])
    assert isinstance(res, str)
    assert "carol" in res and "某个不存在的组织" in res and "不匹配" in res


def test_serve_refuses_two_ledgers_sharing_a_title_a_scope_names(tmp_path: Path) -> None:
    orgs = make_orgs(tmp_path / "ledgers")
    # `bad` now claims shiyan's title: bob (scoped by bad's title) is fine, but a scope by
    # the shared title would open both.
    bad = orgs["bad"]
    shiyan_title = "示例市职工互助保障会"
    bad.write_text(
        bad.read_text(encoding="utf-8").replace("违规市职工互助保障会", shiyan_title),
        encoding="utf-8",
    )
    users = tmp_path / "users.toml"
    save_users(
        users,
        UsersFile(
            users=[User(name="t", password_hash=FAST_HASHER.hash("x"), scopes=[shiyan_title])]
        ),
    )
    res = _serve_until_ready_or_exit([tmp_path / "ledgers", "--users", users])
    assert isinstance(res, subprocess.CompletedProcess)
    assert "标题相同" in one_line_error(res)
