"""Authentication: header parsing, argon2 verification, caching, and live reload of users."""

from __future__ import annotations

import os
import time
from pathlib import Path

from argon2 import PasswordHasher

from hzledger.serve.auth import Authenticator, UserStore, parse_basic
from hzledger.serve.users import User, UsersFile, save_users

# isort: split
from serve_support import FAST_HASHER, basic


def _store(path: Path, hasher: PasswordHasher = FAST_HASHER, **users: str) -> UserStore:
    hashed = [User(name=n, password_hash=hasher.hash(p), scopes=["*"]) for n, p in users.items()]
    save_users(path, UsersFile(users=hashed))
    return UserStore(path)


def test_parse_basic() -> None:
    assert parse_basic(basic("张三", "pa:ss")) == ("张三", "pa:ss")
    assert parse_basic(None) is None
    assert parse_basic("Basic") is None
    assert parse_basic("Digest abc") is None
    assert parse_basic("Basic ****") is None
    assert parse_basic("basic " + basic("a", "b").split()[1]) == ("a", "b")


def test_authenticate(tmp_path: Path) -> None:
    auth = Authenticator(_store(tmp_path / "u.toml", alice="right-one"), hasher=FAST_HASHER)
    user = auth.authenticate(basic("alice", "right-one")).user
    assert user is not None and user.name == "alice"
    assert auth.authenticate(basic("alice", "wrong-one")).user is None
    assert auth.authenticate(basic("mallory", "right-one")).user is None
    # Cached success still answers correctly, and a wrong password is not cached as right.
    assert auth.authenticate(basic("alice", "right-one")).user is not None
    assert auth.authenticate(basic("alice", "wrong-one")).user is None


def test_users_file_change_takes_effect(tmp_path: Path) -> None:
    path = tmp_path / "u.toml"
    store = _store(path, alice="first-pass")
    auth = Authenticator(store, hasher=FAST_HASHER)
    assert auth.authenticate(basic("alice", "first-pass")).user is not None
    time.sleep(0.01)
    _store(path, alice="second-pass", bob="bob-pass")
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10_000_000))
    # The cached header for the old password no longer opens the door.
    assert auth.authenticate(basic("alice", "first-pass")).user is None
    assert auth.authenticate(basic("alice", "second-pass")).user is not None
    assert auth.authenticate(basic("bob", "bob-pass")).user is not None
    # A broken edit fails closed: nobody until the file is valid again, even a cached login.
    path.write_text("not = [valid", encoding="utf-8")
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 20_000_000))
    assert auth.authenticate(basic("bob", "bob-pass")).user is None
    assert auth.authenticate(basic("alice", "second-pass")).user is None
    _store(path, alice="second-pass", bob="bob-pass")
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 30_000_000))
    assert auth.authenticate(basic("bob", "bob-pass")).user is not None
    # Removed altogether: nobody either.
    path.unlink()
    assert auth.authenticate(basic("bob", "bob-pass")).user is None


def test_unknown_user_costs_a_verification(tmp_path: Path) -> None:
    """Unknown names are checked against a dummy hash of the same argon2 cost as a real user's,
    so timing does not tell which names exist (asserted on the work done, not on a stopwatch)."""
    from argon2 import extract_parameters
    from argon2.low_level import Type

    auth = Authenticator(_store(tmp_path / "u.toml", PasswordHasher(), alice="right-one"))
    verified: list[str] = []
    real_verify = auth._verify

    def spy(password_hash: str, password: str) -> bool:
        verified.append(password_hash)
        return real_verify(password_hash, password)

    auth._verify = spy  # type: ignore[method-assign]
    assert auth.authenticate(basic("alice", "wrong-0")).user is None
    assert auth.authenticate(basic("ghost0", "whatever")).user is None
    assert len(verified) == 2  # one full argon2 verification each
    real, dummy = (extract_parameters(h) for h in verified)
    assert dummy == real and dummy.type is Type.ID
