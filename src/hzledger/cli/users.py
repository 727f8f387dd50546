"""`hzledger user add|list|remove`: the supervisors' users file for `hzledger serve`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from argon2 import PasswordHasher
from pydantic import ValidationError

from hzledger.cli import main
from hzledger.cli.common import EXIT_FINDINGS, fail, fail_on, lang_option
from hzledger.serve.users import (
    User,
    UsersFile,
    UsersFileError,
    invisible,
    load_users,
    save_users,
    validation_text,
)

MIN_PASSWORD = 10
# Validates name and scopes before a password is asked for (argon2id, the cheapest parameters).
DUMMY_HASH = "$argon2id$v=19$m=8,t=1,p=1$c29tZXNhbHQ$JXeHeic88fQ90vy2YbDLQPAoJKhC4AQ4947JLKOQ1v8"
# zxcvbn's guessability score, 0–4: 3 is "safely unguessable" for online guessing
# (about 10^8 guesses), which the service's lockout makes the relevant attack.
MIN_SCORE = 3


def password_problem(password: str, name: str, scopes: tuple[str, ...]) -> tuple[str, str] | None:
    """Why `password` is refused for user `name`, or None (Chinese, English)."""
    import zxcvbn

    if len(password) < MIN_PASSWORD:
        return (
            f"口令太短：至少 {MIN_PASSWORD} 个字符",
            f"password too short: at least {MIN_PASSWORD} characters",
        )
    if password.strip().casefold() == name.casefold():
        return "口令不能与用户名相同", "the password may not equal the user name"
    if invisible(password):
        return "口令不能含控制字符或不可见字符", "the password may not hold control characters"
    result = zxcvbn.zxcvbn(password, user_inputs=[name, *scopes])
    if result["score"] < MIN_SCORE:
        hint = result["feedback"].get("warning") or ""
        return (
            f"口令太容易猜到（常见口令、键盘序列、重复或与用户名相近；强度 {result['score']}/4，"
            f"至少 {MIN_SCORE}）：请用更长、更少见的口令，如几个无关词语加数字",
            f"password too easy to guess (score {result['score']}/4, need {MIN_SCORE})"
            + (f": {hint}" if hint else ""),
        )
    return None


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(
        click.prompt(
            "口令 / password", hide_input=True, confirmation_prompt="再次输入口令 / repeat password"
        )
    )


def _warn_unmatched(scopes: tuple[str, ...], ledgers: tuple[str, ...], lang: str) -> None:
    from hzledger.serve.ledgers import LedgerArgError, declared_title, discover, scope_matches

    try:
        specs = discover(list(ledgers))
    except LedgerArgError as exc:
        fail(exc.zh, exc.en, lang)
    for scope in scopes:
        if scope == "*":
            continue
        if not any(
            scope_matches(scope, spec, tuple(t for t in [declared_title(spec)] if t))
            for spec in specs
        ):
            click.echo(
                f"警告：范围“{scope}”不匹配 {'、'.join(ledgers)} 中的任何账本（拼写错误？）"
                if lang == "zh"
                else f"warning: scope {scope!r} matches no ledger in {', '.join(ledgers)}",
                err=True,
            )


def _write(file: Path, users: UsersFile, lang: str) -> None:
    try:
        save_users(file, users)
    except (UsersFileError, OSError) as exc:
        if isinstance(exc, UsersFileError):
            zh, en = exc.zh, exc.en
        else:
            zh = en = exc.strerror or str(exc)
        fail(f"无法写入 {file}：{zh}", f"cannot write {file}: {en}", lang)


@main.group("user")
def user_group() -> None:
    """管理监管服务用户文件（users.toml）/ manage the users file of `hzledger serve`."""


@user_group.command("add")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("name")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    required=True,
    help="可查看的组织：目录名、路径、标题，或 * 表示全部（可重复）/ org folder, path, title or *",
)
@click.option(
    "--password-stdin",
    is_flag=True,
    help="从标准输入读取口令（一行）/ read the password from stdin",
)
@click.option(
    "--replace", is_flag=True, help="用户已存在时替换其口令与范围 / replace an existing user"
)
@click.option(
    "--ledgers",
    "ledgers",
    multiple=True,
    help="服务的账本（文件或目录，可重复）：范围不匹配其中任何账本时警告 / warn about scopes "
    "matching none of these ledgers",
)
@lang_option
def add(
    file: Path,
    name: str,
    scopes: tuple[str, ...],
    password_stdin: bool,
    replace: bool,
    ledgers: tuple[str, ...],
    lang: str,
) -> None:
    """添加用户：口令以 argon2 散列保存，文件原子写入，其他用户保留。

    口令至少 10 个字符，不能与用户名相同，并须通过 zxcvbn 常见口令与可猜测性检查（强度 ≥ 3/4）。
    """
    try:
        users = load_users(file, missing_ok=True)
    except UsersFileError as exc:
        fail_on(exc, lang)
    if users.get(name) is not None and not replace:
        fail(
            f"用户 {name} 已存在于 {file}（如需修改请加 --replace）",
            f"user {name} already exists in {file} (use --replace)",
            lang,
        )
    try:
        # Name and scopes first (cheap, no hash yet): invisible characters, ':' …
        User(name=name, password_hash=DUMMY_HASH, scopes=list(scopes))
    except ValidationError as exc:
        zh, en = validation_text(exc)
        fail(f"用户信息无效：{zh}", f"invalid user: {en}", lang)
    if ledgers:
        _warn_unmatched(scopes, ledgers, lang)
    password = _read_password(password_stdin)
    problem = password_problem(password, name, scopes)
    if problem is not None:
        fail(*problem, lang)
    user = User(name=name, password_hash=PasswordHasher().hash(password), scopes=list(scopes))
    _write(file, users.with_user(user), lang)
    click.echo(
        f"已保存用户 {name}（范围：{'、'.join(scopes)}）到 {file}"
        if lang == "zh"
        else f"saved user {name} (scopes: {', '.join(scopes)}) to {file}"
    )


@user_group.command("list")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@lang_option
def list_users(file: Path, lang: str) -> None:
    """列出用户及其查看范围（不显示口令散列）。"""
    try:
        users = load_users(file)
    except UsersFileError as exc:
        fail_on(exc, lang)
    for user in users.users:
        click.echo(f"{user.name}\t{', '.join(user.scopes)}")


@user_group.command("remove")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("name")
@lang_option
def remove(file: Path, name: str, lang: str) -> None:
    """删除用户。"""
    try:
        users = load_users(file)
    except UsersFileError as exc:
        fail_on(exc, lang)
    if users.get(name) is None:
        fail(f"{file} 中没有用户 {name}", f"no user {name} in {file}", lang, EXIT_FINDINGS)
    _write(file, users.without(name), lang)
    click.echo(f"已删除用户 {name}" if lang == "zh" else f"removed user {name}")
