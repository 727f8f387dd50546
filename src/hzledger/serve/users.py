"""The supervisors' users file: TOML, validated by pydantic, written atomically.

```toml
[[users]]
name = "sheng-jiandu"
password_hash = "$argon2id$v=19$m=65536,t=3,p=4$..."
scopes = ["*"]
```

A scope is an organisation's folder name, its path, its title, or `*` (every ledger).
"""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
import unicodedata
from pathlib import Path
from typing import Annotated

from argon2 import extract_parameters
from argon2.exceptions import InvalidHashError
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from hzledger.messages import validation_message

# Names travel in HTTP Basic credentials (no ':') and in access-log lines.
NAME_RE = re.compile(r"[^\s:\x00-\x1f\x7f]{1,64}")

HEADER = (
    "# hzledger 监管服务用户（hzledger serve --users）。\n"
    '# 由 `hzledger user add` 维护：口令只存 argon2 散列；scopes 为组织目录名、路径、标题或 "*"。\n'
)


# Hashes a verification can afford: a planted `m=4194304` would cost 4 GiB per login.
MAX_MEMORY_KIB = 1024 * 1024
MAX_TIME_COST = 20


def invisible(text: str) -> str | None:
    """The first control or invisible character in `text` (zero-width space, bidi marks…)."""
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"):
            return f"U+{ord(ch):04X}"
    return None


class UsersFileError(Exception):
    """A users file that cannot be read; `zh`/`en` carry the user-facing message."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en

    def text(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


class User(BaseModel):
    """One supervisor: name, argon2 hash and the ledgers in scope."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[str, Field(min_length=1, max_length=64)]
    password_hash: str
    scopes: Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)]

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not NAME_RE.fullmatch(value) or invisible(value):
            raise ValueError(
                "用户名不能含空白、冒号、控制字符或不可见字符 / "
                "no spaces, ':', control or invisible characters"
            )
        return value

    @field_validator("password_hash")
    @classmethod
    def _hash(cls, value: str) -> str:
        if not value.startswith("$argon2"):
            raise ValueError("应为 argon2 散列（$argon2id$…）/ must be an argon2 hash")
        try:
            params = extract_parameters(value)
        except (InvalidHashError, ValueError):
            raise ValueError("argon2 散列无法使用（格式损坏）/ unusable argon2 hash") from None
        if params.memory_cost > MAX_MEMORY_KIB or params.time_cost > MAX_TIME_COST:
            raise ValueError(
                f"argon2 参数过大（内存上限 {MAX_MEMORY_KIB} KiB，轮数上限 {MAX_TIME_COST}）/ "
                "argon2 parameters too costly"
            )
        return value

    @field_validator("scopes")
    @classmethod
    def _scopes(cls, value: list[str]) -> list[str]:
        for scope in value:
            bad = invisible(scope)
            if bad or scope != scope.strip():
                raise ValueError(
                    f"范围 {scope!r} 含控制字符、不可见字符（{bad}）或首尾空白 / "
                    "scope has control, invisible characters or surrounding spaces"
                )
        return value

    def sees_all(self) -> bool:
        return "*" in self.scopes


class UsersFile(BaseModel):
    """The users file (`users.toml`) as validated on every reload."""

    model_config = ConfigDict(extra="forbid")

    users: list[User] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> UsersFile:
        seen: set[str] = set()
        for user in self.users:
            if user.name in seen:
                raise ValueError(f"用户名重复 / duplicate user name: {user.name}")
            seen.add(user.name)
        return self

    def get(self, name: str) -> User | None:
        return next((u for u in self.users if u.name == name), None)

    def with_user(self, user: User) -> UsersFile:
        """This file with `user` added, or replacing the user of the same name in place."""
        users = list(self.users)
        for i, old in enumerate(users):
            if old.name == user.name:
                users[i] = user
                break
        else:
            users.append(user)
        return UsersFile(users=users)

    def without(self, name: str) -> UsersFile:
        return UsersFile(users=[u for u in self.users if u.name != name])


def validation_text(exc: ValidationError) -> tuple[str, str]:
    """Pydantic's errors as one line each language: where, and what is wrong (no URL)."""
    msg = validation_message(exc)
    return msg.zh, msg.en


def parse_users(text: str, path: Path | str) -> UsersFile:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsersFileError(
            f"{path}：TOML 语法错误：{exc}", f"{path}: TOML syntax error: {exc}"
        ) from None
    try:
        return UsersFile.model_validate(raw)
    except ValidationError as exc:
        zh, en = validation_text(exc)
        raise UsersFileError(
            f"{path}：用户文件格式错误：{zh}", f"{path}: invalid users file: {en}"
        ) from None


def load_users(path: Path | str, *, missing_ok: bool = False) -> UsersFile:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if missing_ok:
            return UsersFile()
        raise UsersFileError(f"找不到用户文件：{path}", f"users file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsersFileError(
            f"无法读取用户文件 {path}：{exc}", f"cannot read {path}: {exc}"
        ) from None
    return parse_users(text, path)


def toml_string(value: str) -> str:
    """A TOML basic string; every control character escaped (TOML forbids them raw)."""
    out = ['"']
    for ch in value:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def dump_users(users: UsersFile) -> str:
    blocks = [HEADER]
    for user in users.users:
        scopes = ", ".join(toml_string(s) for s in user.scopes)
        blocks.append(
            "\n[[users]]\n"
            f"name = {toml_string(user.name)}\n"
            f"password_hash = {toml_string(user.password_hash)}\n"
            f"scopes = [{scopes}]\n"
        )
    return "".join(blocks)


def save_users(path: Path | str, users: UsersFile) -> None:
    """Write the file atomically: a temporary file beside it, then `os.replace`.

    The text is parsed back before it replaces anything, so a writer bug can never
    leave a file the server would refuse.
    """
    path = Path(path)
    text = dump_users(users)
    if parse_users(text, path) != users:
        raise UsersFileError(
            f"内部错误：{path} 的写出内容无法读回", f"internal error: {path} would not read back"
        )
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        # The file holds password hashes: owner-only, like a shadow file.
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
