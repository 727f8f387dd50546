"""The supervisors' overview over 20 generated organisations (issue 13): cold and warm.

Generates `--orgs` ledgers with the demo generator, loads them into the service
in-process (as `hzledger serve` does), then times GET / for an all-scope user:
the first request (cold: each row built from its load's figures, git looked up at
load) and `--repeat` warm ones (rows cached per ledger load). Target: warm ≤ 0.3 s.
A benchmark, not a test: numbers depend on the machine (ours are in docs/serve.md).
"""

from __future__ import annotations

import argparse
import base64
import statistics
import tempfile
import time
from pathlib import Path

from argon2 import PasswordHasher
from werkzeug.test import Client

from hzledger.demo.generator import OrgConfig, generate
from hzledger.serve.access_log import AccessLog
from hzledger.serve.app import ServeApp
from hzledger.serve.auth import Authenticator, UserStore
from hzledger.serve.ledgers import discover
from hzledger.serve.users import User, UsersFile, save_users

PASSWORD = "bench-password-2025"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orgs", type=int, default=20)
    parser.add_argument("--transactions", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        start = time.perf_counter()
        for i in range(args.orgs):
            generate(
                OrgConfig(
                    title=f"第{i}号市职工互助保障会", transactions=args.transactions, seed=i + 1
                ),
                work / "ledgers" / f"org{i:02d}",
            )
        print(
            f"generated {args.orgs} ledgers of {args.transactions:,} transactions: "
            f"{time.perf_counter() - start:.1f} s"
        )
        hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        users = work / "users.toml"
        save_users(
            users,
            UsersFile(users=[User(name="root", password_hash=hasher.hash(PASSWORD), scopes=["*"])]),
        )
        start = time.perf_counter()
        app = ServeApp(
            discover([str(work / "ledgers")]),
            Authenticator(UserStore(users)),
            AccessLog(work / "access.log"),
        )
        print(
            f"loaded {len(app.ledgers)} ledgers (figures computed at load): {time.perf_counter() - start:.1f} s"
        )
        client = Client(app)

        auth = {"Authorization": "Basic " + base64.b64encode(f"root:{PASSWORD}".encode()).decode()}
        start = time.perf_counter()
        resp = client.get("/", headers=auth, buffered=True)
        cold = time.perf_counter() - start
        assert resp.status_code == 200, resp.status_code
        rows = resp.get_data(as_text=True).count("<tr data-slug=")
        warm = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            client.get("/", headers=auth, buffered=True)
            warm.append(time.perf_counter() - start)
        start = time.perf_counter()
        xlsx = client.get("/?format=xlsx", headers=auth, buffered=True)
        xlsx_s = time.perf_counter() - start
        print(f"overview rows: {rows}")
        print(f"cold (first request after load): {cold * 1000:.0f} ms")
        print(
            f"warm: median {statistics.median(warm) * 1000:.0f} ms, "
            f"max {max(warm) * 1000:.0f} ms over {args.repeat} requests (target ≤ 300 ms)"
        )
        print(f"xlsx download: {xlsx_s * 1000:.0f} ms, {len(xlsx.get_data()):,} bytes")


if __name__ == "__main__":
    main()
