"""`hzledger user add|list|remove`: the supervisors' users file for `hzledger serve`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from argon2 import PasswordHasher

from hzledger.cli import main
from hzledger.cli.common import EXIT_FINDINGS, fail, fail_on, lang_option
from hzledger.serve.users import User, UsersFileError, load_users, save_users

MIN_PASSWORD = 8


def _read_password(password_stdin: bool, lang: str) -> str:
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(
            "口令 / password", hide_input=True, confirmation_prompt="再次输入口令 / repeat password"
        )
    if len(password) < MIN_PASSWORD:
        fail(
            f"口令太短：至少 {MIN_PASSWORD} 个字符",
            f"password too short: at least {MIN_PASSWORD} characters",
            lang,
        )
    return password


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
@lang_option
def add(
    file: Path, name: str, scopes: tuple[str, ...], password_stdin: bool, replace: bool, lang: str
) -> None:
    """添加用户：口令以 argon2 散列保存，文件原子写入，其他用户保留。"""
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
    password = _read_password(password_stdin, lang)
    try:
        user = User(name=name, password_hash=PasswordHasher().hash(password), scopes=list(scopes))
    except ValueError as exc:
        fail(f"用户信息无效：{exc}", f"invalid user: {exc}", lang)
    try:
        save_users(file, users.with_user(user))
    except (UsersFileError, OSError) as exc:
        zh, en = (exc.zh, exc.en) if isinstance(exc, UsersFileError) else (str(exc), str(exc))
        fail(f"无法写入 {file}：{zh}", f"cannot write {file}: {en}", lang)
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
    save_users(file, users.without(name))
    click.echo(f"已删除用户 {name}" if lang == "zh" else f"removed user {name}")
