"""Bounded loopback load: 200 concurrent authenticated GETs of the largest ledger's compliance page."""

from __future__ import annotations

import math
import statistics
import subprocess
import threading
import time
from pathlib import Path

import pytest

from hzledger.serve.ledgers import discover

# isort: split
from serve_support import (
    HZLEDGER,
    Server,
    compliance_path,
    start_server,
    stop_server,
    write_users,
)

REPO = Path(__file__).resolve().parents[2]
CONCURRENCY = 200
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def _largest_ledger(tmp_path: Path) -> Path:
    """The biggest demo ledger in the repository, or a generated one when there is none."""
    candidates = sorted((REPO / "ledgers").glob("*/main.beancount"))

    def size(main: Path) -> int:
        return sum(p.stat().st_size for p in main.parent.rglob("*.beancount"))

    if candidates:
        return max(candidates, key=size)
    out = tmp_path / "generated"
    res = subprocess.run(
        [str(HZLEDGER), "demo", "generate", str(out), "-n", "5000", "--violations"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if res.returncode != 0:
        pytest.skip(f"no demo ledgers and `hzledger demo generate` failed: {res.stderr[-500:]}")
    return out / "main.beancount"


@pytest.mark.slow
def test_200_concurrent_compliance_gets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main = _largest_ledger(tmp_path)
    users = write_users(tmp_path / "users.toml")
    server: Server = start_server(
        [str(main), "--users", str(users), "--threads", "8"], tmp_path / "access.log", tmp_path
    )
    try:
        slug = discover([str(main)])[0].slug
        path = compliance_path(slug)
        warm = server.get(path, user="root")
        assert warm.status == 200 and 'id="hz-findings"' in warm.text

        barrier = threading.Barrier(CONCURRENCY)
        latencies: list[float] = []
        failures: list[str] = []
        lock = threading.Lock()

        def one() -> None:
            barrier.wait()
            start = time.perf_counter()
            try:
                resp = server.get(path, user="root")
                ok = resp.status == 200 and resp.body.rstrip().endswith(b"</html>")
                detail = f"status {resp.status}"
            except OSError as exc:
                ok, detail = False, repr(exc)
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                if not ok:
                    failures.append(detail)

        threads = [threading.Thread(target=one) for _ in range(CONCURRENCY)]
        wall = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        wall = time.perf_counter() - wall

        assert not failures, failures[:5]
        assert len(latencies) == CONCURRENCY
        ordered = sorted(latencies)
        p95 = ordered[math.ceil(0.95 * len(ordered)) - 1]
        summary = (
            f"load: {CONCURRENCY} concurrent GET {path} ({main.parent.name}, "
            f"{len(warm.body) // 1024} KiB): p50 {statistics.median(ordered) * 1000:.0f} ms, "
            f"p95 {p95 * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms, "
            f"{CONCURRENCY / wall:.1f} req/s over {wall:.1f} s"
        )
        with capsys.disabled():
            print("\n" + summary)
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "load.txt").write_text(summary + "\n", encoding="utf-8")
        needle = f'"path": "{path}"'
        logged = [line for line in server.log_lines_with(needle, CONCURRENCY + 1) if needle in line]
        assert len(logged) == CONCURRENCY + 1
    finally:
        stop_server(server)
