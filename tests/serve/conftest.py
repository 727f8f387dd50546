"""Session fixtures for `hzledger serve`: the organisations, the users file, a running server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

# isort: split
from serve_support import Server, make_orgs, start_server, stop_server, write_users


@pytest.fixture(scope="session")
def orgs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_orgs(tmp_path_factory.mktemp("serve") / "ledgers")


@pytest.fixture(scope="session")
def users_file(orgs: dict[str, Path]) -> Path:
    return write_users(orgs["shiyan"].parent.parent.parent / "users.toml")


@pytest.fixture(scope="session")
def server(orgs: dict[str, Path], users_file: Path) -> Iterator[Server]:
    base = orgs["shiyan"].parent.parent
    srv = start_server(
        # Lockouts are tested on servers of their own (test_serve_attacks): here the many
        # deliberate 401s of the other tests must not lock out the next test's login.
        [
            str(base),
            "--users",
            str(users_file),
            "--lock-after-user",
            "0",
            "--lock-after-address",
            "0",
        ],
        base.parent / "access.log",
        base.parent,
    )
    yield srv
    stop_server(srv)
