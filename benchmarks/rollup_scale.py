"""Roll-up at national scale (not a timed test): prints how long `hzledger rollup` takes.

    python benchmarks/rollup_scale.py [--submissions 1000] [--ledgers 20] [--transactions 10k] [-j N]

1. `--submissions` generated submissions (31 provinces, the rest cities under them, each
   with its own figures and digest) rolled up through the real CLI: what a national union
   does with the provinces' and cities' JSON, no ledger at all.
2. `--ledgers` generated ledgers of `--transactions` each (the demo generator) rolled up
   through the real CLI: every ledger loaded, checked and reported in worker processes.

Generated data goes to a temporary folder (or `--keep DIR`). Times are wall-clock seconds
of the whole command, interpreter start-up included.
"""

from __future__ import annotations

import argparse
import datetime
import random
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from hzledger import __version__
from hzledger.demo.generator import OrgConfig, generate
from hzledger.reports.common import Period
from hzledger.reports.submission import (
    CheckSummary,
    FundsSummary,
    SolvencySummary,
    StatisticsSummary,
    Submission,
)

HZLEDGER = Path(sys.executable).parent / "hzledger"
PROVINCES = 31


def count(text: str) -> int:
    text = text.lower()
    if text.endswith("k"):
        return int(float(text[:-1]) * 1000)
    return int(text)


def fake_submission(i: int, rng: random.Random) -> Submission:
    province = i < PROVINCES
    name = f"第{i}号{'省' if province else '市'}职工互助保障会"
    parent = "全国总工会" if province else f"第{i % PROVINCES}号省职工互助保障会"
    dues = Decimal(rng.randrange(1_000_000, 50_000_000)) / 100 * 100
    benefits = (dues * Decimal(rng.uniform(0.5, 0.9))).quantize(Decimal("0.01"))
    admin = (dues * Decimal(rng.uniform(0.03, 0.1))).quantize(Decimal("0.01"))
    net = (dues * Decimal(rng.uniform(0.8, 1.6))).quantize(Decimal("0.01"))
    obligations = (dues * Decimal(rng.uniform(0.5, 1.0))).quantize(Decimal("0.01"))
    ratio = (net / obligations).quantize(Decimal("0.0001"))
    return Submission(
        hzledger=__version__,
        organisation=name,
        level="province" if province else "city",
        parent=parent,
        year=2025,
        period=Period.year(2025),
        source=f"generated/{i}",
        digest=f"{i:064x}",
        check=CheckSummary(errors=0, warnings=0, transactions=10_000, rules={}),
        statistics=StatisticsSummary(
            projects=7,
            members=rng.randrange(10_000, 500_000),
            claims=rng.randrange(100, 10_000),
            dues=dues,
            benefits=benefits,
            admin=admin,
            expenses=benefits + admin,
            payout_ratio=(benefits / dues).quantize(Decimal("0.0001")),
            admin_ratio=(admin / (benefits + admin)).quantize(Decimal("0.0001")),
        ),
        funds=FundsSummary(
            opening=dues, income=dues, expenses=benefits + admin, closing=net, cross_fund=Decimal(0)
        ),
        solvency=SolvencySummary(
            as_of=datetime.date(2025, 12, 31),
            projects=7,
            projects_below=int(ratio < 1),
            worst_ratio=ratio,
            worst_project="ZY25",
            projects_unestimated=0,
            net_available=net,
            unearned_reserve=obligations / 2,
            claims_booked=Decimal(0),
            claims_estimated=obligations / 2,
            obligations=obligations,
        ),
    )


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    result = subprocess.run([str(HZLEDGER), *args], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"hzledger {' '.join(args[:3])}… failed:\n{result.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--ledgers", type=int, default=20)
    parser.add_argument("--transactions", default="10k")
    parser.add_argument("-j", "--jobs", type=int, default=None)
    parser.add_argument("--keep", type=Path, help="write generated data here and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="hz-rollup-"))
    work.mkdir(parents=True, exist_ok=True)
    jobs = ["-j", str(args.jobs)] if args.jobs else []

    rng = random.Random(1)
    subs = work / "submissions"
    subs.mkdir(exist_ok=True)
    files = []
    for i in range(args.submissions):
        path = subs / f"{i:04d}.json"
        path.write_text(fake_submission(i, rng).model_dump_json(), encoding="utf-8")
        files.append(str(path))
    seconds = timed(
        ["rollup", *files, "--year", "2025", "--format", "json", "-o", str(work / "national.json")]
    )
    print(f"rollup of {args.submissions:,} submissions: {seconds:.2f} s")

    n = count(args.transactions)
    start = time.perf_counter()
    ledgers = []
    for i in range(args.ledgers):
        out = work / "ledgers" / f"org{i:02d}"
        generate(OrgConfig(title=f"第{i}号市职工互助保障会", transactions=n, seed=i + 1), out)
        ledgers.append(str(out / "main.beancount"))
    print(
        f"generated {args.ledgers} ledgers of {n:,} transactions: {time.perf_counter() - start:.1f} s"
    )
    seconds = timed(
        [
            "rollup",
            *ledgers,
            "--year",
            "2025",
            "--format",
            "json",
            "-o",
            str(work / "rollup.json"),
            *jobs,
        ]
    )
    print(f"rollup of {args.ledgers} ledgers × {n:,} transactions: {seconds:.2f} s")
    print(f"data in {work}")


if __name__ == "__main__":
    main()
