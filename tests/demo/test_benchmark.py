"""The overhead benchmark runs end to end (at a tiny size: `make bench` does the real one)."""

from __future__ import annotations

import re
import subprocess
import sys
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
    a_s, b_s, ratio = float(cells[1]), float(cells[2]), float(cells[3])
    assert a_s > 0 and b_s > 0
    assert ratio == pytest.approx(b_s / a_s, rel=0.02)  # table rounds seconds to 0.01
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
