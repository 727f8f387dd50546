"""HTTP Basic authentication against the users file.

Argon2 is deliberately slow (~0.1 s), so a verified credential is remembered under
an HMAC of the header with a per-process key: the browser resends the same header
on every request, and only the first one pays. Failures are never cached, and an
unknown user is verified against a dummy hash so that timing does not tell which
names exist. The users file is re-read when it changes, so `hzledger user add`
takes effect without a restart; a broken edit keeps the last good file.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import os
import secrets
import threading
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from hzledger.serve.users import User, UsersFile, UsersFileError, load_users

log = logging.getLogger(__name__)

CACHE_MAX = 4096


def parse_basic(header: str | None) -> tuple[str, str] | None:
    """(name, password) from an `Authorization: Basic …` header, or None."""
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "basic" or not token:
        return None
    try:
        decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
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

    def _stat(self) -> tuple[int, int] | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    @property
    def users(self) -> UsersFile:
        stamp = self._stat()
        if stamp != self._stamp and stamp is not None:
            with self._lock:
                if stamp != self._stamp:
                    try:
                        self._users = load_users(self.path)
                    except UsersFileError as exc:
                        log.error("用户文件有误，继续使用上一版本：%s", exc.zh)
                    self._stamp = stamp
        return self._users


class Authenticator:
    def __init__(self, store: UserStore, hasher: PasswordHasher | None = None) -> None:
        self.store = store
        self.hasher = hasher or PasswordHasher()
        self._dummy = self.hasher.hash(secrets.token_urlsafe(16))
        self._key = secrets.token_bytes(32)
        self._cache: dict[bytes, tuple[str, str]] = {}

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def authenticate(self, header: str | None) -> User | None:
        creds = parse_basic(header)
        if creds is None:
            return None
        name, password = creds
        users = self.store.users
        user = users.get(name)
        digest = hmac.new(self._key, (header or "").encode("utf-8"), hashlib.sha256).digest()
        cached = self._cache.get(digest)
        if cached is not None and user is not None and cached == (user.name, user.password_hash):
            return user
        if user is None:
            self._verify(self._dummy, password)
            return None
        if not self._verify(user.password_hash, password):
            return None
        if len(self._cache) >= CACHE_MAX:
            self._cache.clear()
        self._cache[digest] = (user.name, user.password_hash)
        return user
