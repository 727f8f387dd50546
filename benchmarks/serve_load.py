"""`make bench-serve`: the supervisors' service under 200 concurrent keep-alive clients.

Starts `hzledger serve` on loopback with the largest demo organisation, logs one user in
(real argon2 parameters), then has 200 clients, each on its own keep-alive connection,
share 2,000 authenticated GETs of one URL — the compliance page, then a Fava report API.
Prints p50/p95/max latency, errors, throughput and the server's resident memory.
A benchmark, not a test: numbers depend on the machine (see docs/serve.md for ours).
"""

from __future__ import annotations

import argparse
import base64
import http.client
import math
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from argon2 import PasswordHasher

from hzledger.serve.ledgers import discover
from hzledger.serve.users import User, UsersFile, save_users

REPO = Path(__file__).resolve().parents[1]
HZLEDGER = Path(sys.executable).parent / "hzledger"
PASSWORD = "bench-password-2025"


def largest_org() -> Path:
    mains = sorted((REPO / "ledgers").glob("*/main.beancount"))

    def size(main: Path) -> int:
        return sum(p.stat().st_size for p in main.parent.rglob("*.beancount"))

    return max(mains, key=size)


def rss_mib(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of the server, MiB."""
    text = Path(f"/proc/{pid}/status").read_text()
    cur = int(re.search(r"VmRSS:\s+(\d+)", text).group(1))  # type: ignore[union-attr]
    peak = int(re.search(r"VmHWM:\s+(\d+)", text).group(1))  # type: ignore[union-attr]
    return cur / 1024, peak / 1024


def start(main: Path, users: Path, log: Path, threads: int) -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen(
        [
            str(HZLEDGER),
            "serve",
            str(main),
            *("--users", str(users), "--port", "0", "--threads", str(threads)),
            *("--access-log", str(log)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    for line in proc.stderr:
        if "http://" in line:
            port = int(line.rsplit(":", 1)[1].strip().rstrip("/"))
            threading.Thread(target=proc.stderr.read, daemon=True).start()  # keep the pipe drained
            return proc, port
    raise SystemExit("server did not start")


def run_load(port: int, path: str, clients: int, total: int, auth: str) -> dict[str, float]:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(total))
    barrier = threading.Barrier(clients)

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        barrier.wait()
        while True:
            with lock:
                if next(counter, None) is None:
                    break
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Authorization": auth})
                resp = conn.getresponse()
                resp.read()
                ok = resp.status == 200
                detail = str(resp.status)
                if resp.getheader("connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            except OSError as exc:
                ok, detail = False, repr(exc)
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors.append(detail)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    wall = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - wall
    ordered = sorted(latencies)
    return {
        "n": len(ordered),
        "errors": len(errors),
        "p50": statistics.median(ordered),
        "p95": ordered[math.ceil(0.95 * len(ordered)) - 1],
        "max": ordered[-1],
        "rps": len(ordered) / wall,
        "wall": wall,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=8, help="server threads (serve's default)")
    args = parser.parse_args()
    main_file = largest_org()
    slug = discover([str(main_file)])[0].slug
    with tempfile.TemporaryDirectory(prefix="hz-bench-serve-") as tmp:
        users = Path(tmp) / "users.toml"
        user = User(name="bench", password_hash=PasswordHasher().hash(PASSWORD), scopes=["*"])
        save_users(users, UsersFile(users=[user]))
        proc, port = start(main_file, users, Path(tmp) / "access.jsonl", args.threads)
        auth = "Basic " + base64.b64encode(f"bench:{PASSWORD}".encode()).decode()
        try:
            print(
                f"hzledger serve {main_file.relative_to(REPO)} (/{slug}/), {args.threads} threads; "
                f"{args.clients} keep-alive clients, {args.requests} GETs per URL"
            )
            for label, path in [
                ("合规检查页", f"/{slug}/extension/HzCompliance/"),
                ("api/income_statement", f"/{slug}/api/income_statement?time=2025"),
                ("api/balance_sheet", f"/{slug}/api/balance_sheet"),
            ]:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                conn.request("GET", path, headers={"Authorization": auth})
                warm = conn.getresponse()
                size = len(warm.read())
                conn.close()
                r = run_load(port, path, args.clients, args.requests, auth)
                cur, peak = rss_mib(proc.pid)
                print(
                    f"{label:<22} {size // 1024:>5} KiB  p50 {r['p50'] * 1000:6.0f} ms  "
                    f"p95 {r['p95'] * 1000:6.0f} ms  max {r['max'] * 1000:6.0f} ms  "
                    f"{r['rps']:5.1f} req/s  errors {r['errors']}/{r['n']}  "
                    f"server RSS {cur:.0f} MiB (peak {peak:.0f})"
                )
        finally:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
