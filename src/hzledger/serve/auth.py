"""HTTP Basic authentication against the users file, bounded against floods and guessing.

Argon2 is deliberately slow (~0.1 s, 64 MiB), so:

- a verified credential is remembered under an HMAC of the header with a per-process key:
  the browser resends the same header on every request and only the first one pays. A
  wrong password is a different header, so it can never hit the cache; failures are never
  cached. A cached login also survives a lockout of its name (an attacker cannot lock
  out a supervisor who is already working), but a fresh login during one is refused;
- at most one argon2 check per core runs at a time; a request that finds every slot
  taken is answered 503 at once instead of holding a server thread;
- failures are counted per user name and per client address: after a few, each further
  attempt must wait (doubling), and after `LOCK_AFTER` the name or address is locked for
  `LOCK_SECONDS` — answered 429 without checking the password, even a correct one;
- an unknown user is verified against a dummy hash, so timing does not tell which names
  exist, and is throttled like a real one.

The users file is re-read when it changes, so `hzledger user add` takes effect without a
restart. A missing or broken file fails closed: every request is refused (401) and the
error is logged until a valid file is back.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import math
import os
import secrets
import threading
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from hzledger.serve.users import User, UsersFile, UsersFileError, load_users

log = logging.getLogger(__name__)

CACHE_MAX = 4096
# Failures allowed before backoff, before lockout; how long a lockout lasts; the longest
# backoff; how long a failure is remembered.
USER_FREE, USER_LOCK_AFTER = 3, 10
ADDRESS_FREE, ADDRESS_LOCK_AFTER = 10, 50
LOCK_SECONDS = 900
MAX_BACKOFF = 60
FAILURE_MEMORY = 900
THROTTLE_KEYS = 10_000
NAME_LOG_MAX = 64
REPEAT_LOG_SECONDS = 10


def sanitise(name: str) -> str:
    """A user-supplied name fit for a log line: invisible and control characters escaped."""
    out = []
    for ch in name[:NAME_LOG_MAX]:
        if unicodedata.category(ch)[0] in "CZ" and ch != " ":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out) + ("…" if len(name) > NAME_LOG_MAX else "")


def parse_basic(header: str | None) -> tuple[str, str] | None:
    """(name, password) from an `Authorization: Basic …` header, or None."""
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "basic" or not token:
        return None
    try:
        decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):  # ValueError: non-ASCII in the header, bad UTF-8
        return None
    name, sep, password = decoded.partition(":")
    if not sep:
        return None
    return name, password


class UserStore:
    """The users file, re-read when its modification time changes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._stamp = self._stat()
        self._users = load_users(path)
        self._available = True

    def _stat(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    @property
    def users(self) -> UsersFile:
        stamp = self._stat()
        if stamp != self._stamp:
            with self._lock:
                if stamp != self._stamp:
                    self._users = self._reload(stamp is None)
                    self._stamp = stamp
        return self._users

    @property
    def available(self) -> bool:
        """False while the file is missing or broken: logins then fail through no one's fault."""
        return self._available

    def _reload(self, missing: bool) -> UsersFile:
        """The file as it is now; nobody at all when it is missing or broken (fail closed)."""
        try:
            if missing:
                raise UsersFileError(f"找不到用户文件：{self.path}", "")
            users = load_users(self.path)
        except UsersFileError as exc:
            log.error("用户文件不可用，在恢复前拒绝所有登录（401）：%s", exc.zh)
            self._available = False
            return UsersFile()
        self._available = True
        log.warning("已重新读取用户文件 %s：%d 个用户", self.path, len(users.users))
        return users


class Throttle:
    """Failures per key (a user name or a client address): backoff, then a lockout."""

    def __init__(self, free: int, lock_after: int) -> None:
        self.lock_after = lock_after
        # Backoff starts before the lockout, never after it.
        self.free = min(free, max(lock_after - 1, 0))
        self._lock = threading.Lock()
        # key -> (failures, last failure, not allowed before)
        self._state: dict[str, tuple[int, float, float]] = {}

    def wait(self, key: str, now: float) -> float:
        """Seconds until `key` may try again (0: now)."""
        if self.lock_after <= 0:
            return 0.0
        with self._lock:
            state = self._state.get(key)
        return max(0.0, state[2] - now) if state is not None else 0.0

    def failed(self, key: str, now: float) -> tuple[int, bool]:
        """Count a failure: (failures so far, whether this one locked the key)."""
        if self.lock_after <= 0:  # switched off
            return 0, False
        with self._lock:
            count, last, _ = self._state.get(key, (0, now, now))
            if now - last > FAILURE_MEMORY:
                count = 0
            count += 1
            if count >= self.lock_after:
                until = now + LOCK_SECONDS
            elif count > self.free:
                until = now + min(2.0 ** (count - self.free - 1), MAX_BACKOFF)
            else:
                until = now
            if len(self._state) >= THROTTLE_KEYS:
                self._prune(now)
            self._state[key] = (count, now, until)
            return count, count == self.lock_after

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._state.pop(key, None)

    def _prune(self, now: float) -> None:
        stale = [
            k
            for k, (_, last, until) in self._state.items()
            if until <= now and now - last > FAILURE_MEMORY
        ]
        for key in stale:
            del self._state[key]
        if len(self._state) >= THROTTLE_KEYS:
            # Under a flood of distinct keys, keep the locked ones.
            for key in [k for k, (_, _, until) in self._state.items() if until <= now]:
                del self._state[key]


class OncePer:
    """Whether an event is the first of its kind within `seconds`: refusals during a flood
    are logged once per address and period, not once per request.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._lock = threading.Lock()
        self._last: dict[tuple[str, str], float] = {}

    def first(self, key: tuple[str, str], now: float) -> bool:
        with self._lock:
            last = self._last.get(key)
            if last is not None and now - last < self.seconds:
                return False
            if len(self._last) >= THROTTLE_KEYS:
                self._last.clear()
            self._last[key] = now
            return True


@dataclass(frozen=True)
class AuthResult:
    """Who is logged in, or why not: 401 wrong/missing, 429 backoff or lockout, 503 busy."""

    user: User | None
    status: int
    attempted: str | None = None  # the name tried, sanitised, for the access log
    retry_after: int | None = None


class Authenticator:
    """Basic-auth checking with bounded argon2 work, backoff and lockout per user and address."""

    def __init__(
        self,
        store: UserStore,
        hasher: PasswordHasher | None = None,
        slots: int | None = None,
        *,
        user_lock_after: int = USER_LOCK_AFTER,
        address_lock_after: int = ADDRESS_LOCK_AFTER,
    ) -> None:
        self.store = store
        self.hasher = hasher or PasswordHasher()
        self._dummy = self.hasher.hash(secrets.token_urlsafe(16))
        self._key = secrets.token_bytes(32)
        self._cache: dict[bytes, tuple[str, str]] = {}
        self._cache_lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(slots or os.cpu_count() or 2)
        self._quiet = OncePer(REPEAT_LOG_SECONDS)
        self.by_user = Throttle(USER_FREE, user_lock_after)
        self.by_address = Throttle(ADDRESS_FREE, address_lock_after)

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def authenticate(self, header: str | None, remote: str | None = None) -> AuthResult:
        creds = parse_basic(header)
        if creds is None:
            return AuthResult(None, 401)
        name, password = creds
        shown = sanitise(name)
        address = remote or "?"
        user = self.store.users.get(name)
        outage = not self.store.available
        digest = hmac.new(self._key, (header or "").encode("utf-8"), hashlib.sha256).digest()
        with self._cache_lock:
            cached = self._cache.get(digest)
        if cached is not None and user is not None and cached == (user.name, user.password_hash):
            return AuthResult(user, 200)
        now = time.monotonic()
        wait = max(self.by_user.wait(name, now), self.by_address.wait(address, now))
        if wait > 0:
            # Round up: "0 秒后再试" would be wrong while any wait remains.
            wait = max(math.ceil(wait), 1)
            if self._quiet.first(("limited", address), now):
                log.warning(
                    "登录受限（失败次数过多，%d 秒后再试）：用户 '%s'，来自 %s（%d 秒内同类不再记录）",
                    wait,
                    shown,
                    address,
                    REPEAT_LOG_SECONDS,
                )
            return AuthResult(None, 429, shown, int(wait))
        # No waiting for a slot: a request queued behind argon2 would hold a server thread
        # that a logged-in supervisor needs.
        if not self._slots.acquire(blocking=False):
            if self._quiet.first(("busy", address), now):
                log.warning(
                    "口令校验繁忙，拒绝登录：用户 '%s'，来自 %s（%d 秒内同类不再记录）",
                    shown,
                    address,
                    REPEAT_LOG_SECONDS,
                )
            return AuthResult(None, 503, shown, 1)
        try:
            ok = self._verify(user.password_hash if user else self._dummy, password) and (
                user is not None
            )
        finally:
            self._slots.release()
        if not ok:
            if outage:
                # Nobody can log in while the users file is gone: those failures say nothing
                # about this user or address, so they must not lock them out after the repair.
                log.warning(
                    "登录失败（用户文件不可用，不计入失败次数）：用户 '%s'，来自 %s", shown, address
                )
            else:
                self._failed(name, shown, address)
            return AuthResult(None, 401, shown)
        self.by_user.succeeded(name)
        self.by_address.succeeded(address)
        with self._cache_lock:
            if len(self._cache) >= CACHE_MAX:
                self._cache.clear()
            self._cache[digest] = (user.name, user.password_hash)  # type: ignore[union-attr]
        return AuthResult(user, 200, shown)

    def _failed(self, name: str, shown: str, address: str) -> None:
        now = time.monotonic()
        count, locked = self.by_user.failed(name, now)
        addr_count, addr_locked = self.by_address.failed(address, now)
        times = f"（该用户第 {count} 次失败）" if count else ""
        log.warning("登录失败：用户 '%s'，来自 %s%s", shown, address, times)
        if locked:
            log.error(
                "用户 '%s' 连续失败 %d 次，锁定 %d 秒（来自 %s）",
                shown,
                count,
                LOCK_SECONDS,
                address,
            )
        if addr_locked:
            log.error("地址 %s 连续失败 %d 次，锁定 %d 秒", address, addr_count, LOCK_SECONDS)
