"""The overhead benchmark runs end to end (at a tiny size: `make bench` does the real one)."""

from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "check_overhead.py"


@pytest.mark.slow
def test_benchmark_prints_a_table_with_ratios(tmp_path: Path) -> None:
    out = tmp_path / "bench.md"
    run = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--sizes",
            "700",
            "--repeats",
            "1",
            "--out",
            str(out),
            "--workdir",
            str(tmp_path / "work"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    report = out.read_text(encoding="utf-8")
    assert report.strip() == run.stdout.strip()
    row = next(line for line in report.splitlines() if line.startswith("| 700 |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert len(cells) == 14
    a_s, b_s, ratio = Decimal(cells[1]), Decimal(cells[2]), Decimal(cells[3])
    assert a_s > 0 and b_s > 0
    # One round: the ratio is b/a of the unrounded times. The table prints seconds to 0.01 and
    # the ratio to 0.001, so the printed ratio must lie in the interval the printed seconds
    # allow, widened by its own rounding: exact, whatever the machine's speed.
    half_s, half_r = Decimal("0.005"), Decimal("0.0005")
    low = (b_s - half_s) / (a_s + half_s) - half_r
    high = (b_s + half_s) / (a_s - half_s) + half_r
    assert low <= ratio <= high, (a_s, b_s, ratio)
    assert cells[3] == f"{ratio:.3f}" and cells[1] == f"{a_s:.2f}", "printed as documented"
    assert re.search(r"机器：\d+ CPU", report)
    assert not list((tmp_path / "work").iterdir()), "generated ledgers removed unless --keep"


def test_benchmark_rejects_bad_sizes(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--sizes", "lots"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert "bad --sizes" in run.stderr
