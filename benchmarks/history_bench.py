#!/usr/bin/env python
"""What does `hzledger history` cost?  (not a timed test: prints the figures for docs/history.md)

Builds a real git repository: a generated organisation (`hzledger demo generate`, 10k
transactions by default) committed, then COMMITS-1 further commits to its ledger files,
each a small real change (a `note` entry); every 40th commit opens a wealth-product account
(HZ-A28) and the commit 10 later removes it, so findings appear and are fixed. Then, in
fresh processes (the real CLI):

  cold         empty results cache: every commit is materialised and checked;
  warm         the same command again: every commit from the cache;
  one more     after one new commit: one check, the rest from the cache;
  bare check   one `hzledger check --no-cache` of the ledger, for scale.

    python benchmarks/history_bench.py                          # 10k transactions, 200 commits
    python benchmarks/history_bench.py --commits 20 --jobs 1    # quick
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
WEALTH = '\n2025-06-01 open Assets:ZH:1101短期投资:L理财{n} CNY\n  kind: "wealth-product"\n'


def git(repo: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_AUTHOR_NAME="赵敏",
        GIT_AUTHOR_EMAIL="zhaomin@example.org",
        GIT_COMMITTER_NAME="赵敏",
        GIT_COMMITTER_EMAIL="zhaomin@example.org",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
    )
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def build_repo(repo: Path, transactions: str, commits: int) -> float:
    started = time.perf_counter()
    org = repo / "org"
    subprocess.run(
        [BIN / "hzledger", "demo", "generate", org, "--transactions", transactions],
        check=True,
        capture_output=True,
    )
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "建账")
    target = org / "funds" / "ZH.beancount"
    base = target.read_text(encoding="utf-8")
    notes: list[str] = []
    wealth = ""
    for n in range(1, commits):
        notes.append(f'2025-12-31 note Assets:ZH:1002银行存款:J基本户 "第 {n} 次复核"\n')
        if n % 40 == 0:
            wealth = WEALTH.format(n=n)
        elif n % 40 == 10:
            wealth = ""
        target.write_text(base + "\n" + "".join(notes) + wealth, encoding="utf-8")
        git(repo, "commit", "-q", "-a", "-m", f"复核 {n}")
    return time.perf_counter() - started


def timed(args: list[str | Path], cache: Path) -> tuple[float, str]:
    env = {**os.environ, "HZLEDGER_CACHE_DIR": str(cache), "PYTHONIOENCODING": "utf-8"}
    env.pop("HZLEDGER_NO_CACHE", None)
    started = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"{args} failed ({done.returncode}): {done.stderr}")
    return seconds, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--transactions", default="10k")
    parser.add_argument("--commits", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="build the repository here and keep it")
    opts = parser.parse_args()

    work = opts.keep or Path(tempfile.mkdtemp(prefix="hz-history-bench-"))
    repo = work / "repo"
    try:
        built = build_repo(repo, opts.transactions, opts.commits)
        main_file = repo / "org" / "main.beancount"
        cache = work / "cache"
        history = [
            BIN / "hzledger",
            "history",
            main_file,
            "--format",
            "json",
            "--max-commits",
            str(opts.commits),
            "--jobs",
            str(opts.jobs),
        ]
        bare, _ = timed([BIN / "hzledger", "check", "--no-cache", main_file], cache)
        cold, out = timed(history, cache)
        doc = json.loads(out)
        warm, out_warm = timed(history, cache)
        assert all(c["cached"] for c in json.loads(out_warm)["commits"])
        target = repo / "org" / "funds" / "ZH.beancount"
        with target.open("a", encoding="utf-8") as fh:
            fh.write('2025-12-31 note Assets:ZH:1002银行存款:J基本户 "再一次复核"\n')
        git(repo, "commit", "-q", "-a", "-m", "再一次复核")
        one_more, _ = timed(history, cache)
    finally:
        if opts.keep is None:
            shutil.rmtree(work, ignore_errors=True)

    cpu = platform.processor() or platform.machine()
    print(f"machine: {cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(
        f"ledger: {opts.transactions} transactions; {len(doc['commits'])} commits "
        f"(repository built in {built:.1f} s); --jobs {opts.jobs}"
    )
    print(f"findings fixed in the window: {len(doc['fixed'])}; current: {len(doc['current'])}")
    print(f"one hzledger check --no-cache:        {bare:7.2f} s")
    print(
        f"history, cold (empty cache):          {cold:7.2f} s  "
        f"({cold / len(doc['commits']):.2f} s per commit)"
    )
    print(f"history, warm (all from cache):       {warm:7.2f} s")
    print(f"history, after one more commit:       {one_more:7.2f} s")


if __name__ == "__main__":
    main()
