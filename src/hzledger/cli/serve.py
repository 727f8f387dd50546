"""`hzledger serve`: the supervisors' read-only Fava service (articles 33–34)."""

from __future__ import annotations

import ipaddress
import logging
import secrets
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click
from argon2 import PasswordHasher

from hzledger.cli import main
from hzledger.cli.common import display_path, fail, fail_on, lang_option
from hzledger.messages import os_error_message
from hzledger.serve.users import User, UsersFileError, load_users, save_users

if TYPE_CHECKING:
    from hzledger.serve.app import ServedLedger

DEMO_USER = "demo"


def _demo_users_file(password: str, users_file: Path | None) -> Path:
    """Put user `demo` (every ledger, this password) into users_file, or a temporary file.

    Other users in the file are kept; `demo` gets a fresh password on every start.
    """
    if users_file is None:
        users_file = Path(tempfile.mkdtemp(prefix="hzledger-demo-")) / "users.toml"
    users_file.parent.mkdir(parents=True, exist_ok=True)
    user = User(name=DEMO_USER, password_hash=PasswordHasher().hash(password), scopes=["*"])
    save_users(users_file, load_users(users_file, missing_ok=True).with_user(user))
    return users_file


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@main.command("serve")
@click.argument("ledgers", nargs=-1, required=True)
@click.option(
    "--users",
    "users_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="用户文件（hzledger user add 生成）/ users file",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址 / listen address")
@click.option(
    "--port",
    default=5000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="端口；0 为任选空闲端口 / port, 0 picks a free one",
)
@click.option(
    "--threads",
    default=8,
    show_default=True,
    type=click.IntRange(1, 64),
    help="处理请求的线程数 / worker threads",
)
@click.option(
    "--access-log",
    type=click.Path(dir_okay=False, path_type=Path),
    help="访问日志（JSON 行）写入此文件；默认标准错误 / JSON-lines access log file (default stderr)",
)
@click.option(
    "--demo-user",
    is_flag=True,
    help=(
        f"演示用：用户 {DEMO_USER}（可看全部，每次启动随机口令并打印），写入 --users 文件（保留其他用户），"
        f"未给 --users 时用临时文件 / demo user with a fresh random password, printed"
    ),
)
@click.option(
    "--lock-after-user",
    default=10,
    show_default=True,
    type=click.IntRange(0, 10_000),
    help="同一用户名连续登录失败多少次后锁定 15 分钟（第 4 次起逐次加倍等待）；0 为关闭 / "
    "failures before a user name is locked for 15 min (backoff from the 4th); 0 turns it off",
)
@click.option(
    "--lock-after-address",
    default=50,
    show_default=True,
    type=click.IntRange(0, 10_000),
    help="同一客户端地址连续登录失败多少次后锁定 15 分钟（第 11 次起逐次加倍等待）；0 为关闭"
    "（反向代理后所有客户端同一地址时）/ the same per client address; 0 turns it off",
)
@click.option(
    "--timezone",
    "timezone",
    default="Asia/Shanghai",
    show_default=True,
    metavar="ZONE",
    help="页面上的时间按此时区显示（IANA 名称，如 Asia/Shanghai、UTC）/ the zone page times are shown in",
)
@lang_option
def serve(
    ledgers: tuple[str, ...],
    users_file: Path | None,
    host: str,
    port: int,
    threads: int,
    access_log: Path | None,
    demo_user: bool,
    lock_after_user: int,
    lock_after_address: int,
    timezone: str,
    lang: str,
) -> None:
    """以只读方式为监管人员提供账本浏览与合规检查页（Fava）。

    LEDGERS 为 main.beancount 文件或目录（目录表示其下每个 */main.beancount）。
    """
    from hzledger.serve.auth import Authenticator, UserStore
    from hzledger.serve.clock import UnknownZone, set_zone
    from hzledger.serve.ledgers import LedgerArgError, discover

    try:
        set_zone(timezone)
    except UnknownZone:
        fail(
            f"未知时区：{timezone}（请用 IANA 名称，如 Asia/Shanghai、UTC）",
            f"unknown time zone: {timezone} (use an IANA name such as Asia/Shanghai or UTC)",
            lang,
        )

    if users_file is None and not demo_user:
        fail(
            "需要 --users 用户文件（或演示用 --demo-user）",
            "--users is required (or --demo-user)",
            lang,
        )
    try:
        specs = discover(list(ledgers))
    except LedgerArgError as exc:
        fail_on(exc, lang)
    password = None
    if demo_user:
        password = secrets.token_urlsafe(12)
        try:
            users_file = _demo_users_file(password, users_file)
        except (UsersFileError, OSError) as exc:
            zh, en = (exc.zh, exc.en) if isinstance(exc, UsersFileError) else (str(exc), str(exc))
            fail(f"无法写入演示用户：{zh}", f"cannot write the demo user: {en}", lang)
    assert users_file is not None  # noqa: S101 (narrows the type; an invariant, not input checking)
    try:
        store = UserStore(users_file)
    except UsersFileError as exc:
        fail_on(exc, lang)
    if not store.users.users:
        fail(f"用户文件 {users_file} 中没有用户", f"no users in {users_file}", lang)

    def loaded(served: ServedLedger, seconds: float) -> None:
        comp = served.ledger.compliance
        view = comp.view if comp is not None else None
        counts = (
            f"错误 {view.errors}，警告 {view.warnings}"
            if view is not None
            else f"检查失败：{comp.failure if comp else '?'}"
        )
        click.echo(
            f"  /{served.slug}/  {served.ledger.options.get('title')}  "
            f"[{display_path(served.spec.path)}]  {counts}  （载入 {seconds:.1f} 秒）",
            err=True,
        )

    # Fava and waitress load only now: usage errors and other commands stay fast.
    from hzledger.serve.access_log import AccessLog
    from hzledger.serve.app import LedgerLoadError, ServeApp
    from hzledger.serve.scopes import scope_problems
    from hzledger.serve.server import make_server

    click.echo(f"正在载入 {len(specs)} 个账本…", err=True)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # waitress warns "Task queue depth is N" once per queued request: thousands of lines
    # under a load the service handles fine (make bench-serve).
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    try:
        log = AccessLog(access_log)
    except OSError as exc:
        why = os_error_message(exc)
        fail(
            f"无法打开访问日志 {access_log}：{why.zh}",
            f"cannot open the access log {access_log}: {why.en}",
            lang,
        )
    try:
        auth = Authenticator(
            store, user_lock_after=lock_after_user, address_lock_after=lock_after_address
        )
        app = ServeApp(specs, auth, log, on_loaded=loaded)
    except LedgerLoadError as exc:
        log.close()
        cause = f"{type(exc.cause).__name__}: {exc.cause}"
        fail(
            f"无法载入账本 {exc.spec.given}：{cause}",
            f"cannot load ledger {exc.spec.given}: {cause}",
            lang,
        )
    problems = scope_problems(store.users, [(s.spec, s.titles()) for s in app.ledgers.values()])
    for zh, en in problems.warnings:
        click.echo(f"警告：{zh}" if lang == "zh" else f"warning: {en}", err=True)
    if problems.fatal is not None:
        log.close()
        fail(*problems.fatal, lang)
    if not _is_loopback(host):
        click.echo(
            "注意：HTTP Basic 口令以明文传输；对外提供服务时请在前面配置 HTTPS 反向代理。",
            err=True,
        )
    try:
        server = make_server(app, log, host, port, threads)
    except (OSError, ValueError) as exc:
        log.close()
        why = os_error_message(exc)
        fail(
            f"无法监听 {host}:{port}：{why.zh}",
            f"cannot listen on {host}:{port}: {why.en}",
            lang,
        )
    bound = getattr(server, "effective_port", port)
    if password is not None:
        click.echo(f"演示用户：{DEMO_USER}  口令：{password}", err=True)
    click.echo(f"hzledger 监管服务（只读）：http://{host}:{bound}/", err=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        log.close()
