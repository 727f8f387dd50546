#!/usr/bin/env python
"""What do hzledger's checks cost on top of Beancount?  (`make bench`)

For each size it generates a clean organisation with `hzledger demo generate`, then
runs, alternating, in fresh processes:

  (a) `bean-check --no-cache` on a copy of main.beancount with the hz plugin line removed;
  (b) `hzledger check --no-cache` on main.beancount (Beancount + plugin + rules, nothing reused);
  then, with an empty results cache, `hzledger check` twice: the first fills the cache,
  the second is the warm path on the unchanged ledger.

Wall time and peak memory (ru_maxrss of the child, from wait4) are taken per process;
medians are reported with the ratios b/a. The rules' own cost is also measured
in-process (the engine over already-loaded entries), to show it grows linearly.

    python benchmarks/check_overhead.py                      # 10k, 50k, 200k; 3 repeats
    python benchmarks/check_overhead.py --sizes 10k --repeats 1   # quick
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BIN = Path(sys.executable).parent
TIME_TARGET = 1.10
MEMORY_TARGET = 1.15
PLUGIN_LINE = 'plugin "hzledger.plugins.compliance"'

# Runs in a child so that its memory and imports do not touch the parent's numbers.
ENGINE_PROBE = """
import sys, time
from hzledger.check import load
from hzledger.engine import run_rules
entries, errors, options = load(sys.argv[1])
best = float("inf")
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    run_rules(entries, options)
    best = min(best, time.perf_counter() - start)
print(best)
"""


@dataclass
class Run:
    """One timed run of a child process."""

    seconds: float  # wall clock
    cpu: float  # user + system CPU of the child: steadier than wall time on a busy machine
    peak_mb: float


@dataclass
class SizeResult:
    """The runs measured at one ledger size."""

    size: int
    generate_s: float
    bare: list[Run] = field(default_factory=list)
    cold: list[Run] = field(default_factory=list)
    first: list[Run] = field(default_factory=list)
    second: list[Run] = field(default_factory=list)
    engine_s: float = 0.0

    @staticmethod
    def median(runs: list[Run], attr: str) -> float:
        return statistics.median(getattr(run, attr) for run in runs)

    @staticmethod
    def spread(top: list[Run], bottom: list[Run], attr: str) -> str:
        """The per-round ratios' range, to show how much one machine's noise moves them."""
        ratios = [getattr(t, attr) / getattr(b, attr) for t, b in zip(top, bottom, strict=True)]
        return f"{min(ratios):.2f}–{max(ratios):.2f}" if len(ratios) > 1 else "—"

    @staticmethod
    def paired(top: list[Run], bottom: list[Run], attr: str) -> float:
        """Median of the per-round ratios: runs of one round share the machine's load."""
        return statistics.median(
            getattr(t, attr) / getattr(b, attr) for t, b in zip(top, bottom, strict=True)
        )


def measure(cmd: list[str], expect: int = 0, env: dict[str, str] | None = None) -> Run:
    """Run a command; its wall time, CPU time and own peak RSS (not the parent's)."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != expect:
            err.seek(0)
            stderr = err.read().decode("utf-8", "replace")
            raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}:\n{stderr}")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds=seconds, cpu=cpu, peak_mb=usage.ru_maxrss / 1024)


def parse_size(text: str) -> int:
    text = text.strip().lower().replace("_", "")
    factor = 1_000_000 if text.endswith("m") else 1_000 if text.endswith("k") else 1
    return int(float(text.rstrip("km")) * factor)


def bench_size(size: int, args: argparse.Namespace, workdir: Path) -> SizeResult:
    org = workdir / f"org-{size}"
    if org.exists():
        shutil.rmtree(org)
    start = time.perf_counter()
    subprocess.run(
        [
            str(BIN / "hzledger"),
            "demo",
            "generate",
            str(org),
            "--transactions",
            str(size),
            "--projects",
            str(args.projects),
            "--seed",
            str(args.seed),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    result = SizeResult(size=size, generate_s=time.perf_counter() - start)
    main = org / "main.beancount"
    bare = org / "main-bare.beancount"  # beside main, so its includes resolve the same way
    text = main.read_text(encoding="utf-8")
    assert PLUGIN_LINE in text
    bare.write_text(text.replace(PLUGIN_LINE, f"; {PLUGIN_LINE}"), encoding="utf-8")

    bean_check = [str(BIN / "bean-check"), "--no-cache", str(bare)]
    hz_cold = [str(BIN / "hzledger"), "check", "--no-cache", str(main)]
    hz_cached = [str(BIN / "hzledger"), "check", str(main)]
    cache = workdir / "hz-cache"  # the results cache, private to this run
    env = {**os.environ, "HZLEDGER_CACHE_DIR": str(cache)}
    measure(bean_check)  # one untimed round warms the page cache for both
    for _ in range(args.repeats):
        result.bare.append(measure(bean_check))
        result.cold.append(measure(hz_cold, env=env))
        shutil.rmtree(cache, ignore_errors=True)
        result.first.append(measure(hz_cached, env=env))  # fills the results cache
        result.second.append(measure(hz_cached, env=env))  # unchanged ledger: the warm path
        a, b, c1, c2 = result.bare[-1], result.cold[-1], result.first[-1], result.second[-1]
        print(
            f"  {size:>9,}: a {a.seconds:6.2f}s/{a.cpu:6.2f} CPU  b {b.seconds:6.2f}s/{b.cpu:6.2f} CPU"
            f"  1st {c1.seconds:6.2f}s  2nd {c2.seconds:6.2f}s",
            file=sys.stderr,
            flush=True,
        )
    probe = subprocess.run(
        [sys.executable, "-c", ENGINE_PROBE, str(main), str(max(1, args.repeats))],
        check=True,
        capture_output=True,
        text=True,
    )
    result.engine_s = float(probe.stdout.strip())
    if not args.keep:
        shutil.rmtree(org)
        shutil.rmtree(cache, ignore_errors=True)
    return result


def machine() -> str:
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory = f"{mem_kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration):
        memory = "RAM unknown"
    from importlib.metadata import version

    return (
        f"{os.cpu_count()} CPU ({model}), {memory}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, beancount {version('beancount')}, "
        f"hzledger {version('hzledger')}"
    )


def _ratios(r: SizeResult) -> dict[str, float]:
    m = SizeResult.median
    return {
        "a_s": m(r.bare, "seconds"),
        "b_s": m(r.cold, "seconds"),
        "a_cpu": m(r.bare, "cpu"),
        "b_cpu": m(r.cold, "cpu"),
        "a_mb": m(r.bare, "peak_mb"),
        "b_mb": m(r.cold, "peak_mb"),
        "c1_s": m(r.first, "seconds"),
        "c2_s": m(r.second, "seconds"),
        "time_ratio": SizeResult.paired(r.cold, r.bare, "seconds"),
        "cpu_ratio": SizeResult.paired(r.cold, r.bare, "cpu"),
        "mem_ratio": SizeResult.paired(r.cold, r.bare, "peak_mb"),
        "warm_ratio": SizeResult.paired(r.second, r.first, "seconds"),
    }


def table(results: list[SizeResult]) -> str:
    rows = [
        "| 交易笔数 | (a) bean-check 秒 | (b) hzledger check 秒 | 时间比 b/a | CPU 比 b/a "
        "| 各轮时间比 | (a) 峰值内存 MB | (b) 峰值内存 MB | 内存比 b/a | 首次 check 秒 | 第二次 check 秒 "
        "| 第二次/首次 | 规则引擎 秒 | 引擎 µs/笔 |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        x = _ratios(r)
        rows.append(
            f"| {r.size:,} | {x['a_s']:.2f} | {x['b_s']:.2f} | {x['time_ratio']:.3f} "
            f"| {x['cpu_ratio']:.3f} | {SizeResult.spread(r.cold, r.bare, 'seconds')} "
            f"| {x['a_mb']:.0f} | {x['b_mb']:.0f} "
            f"| {x['mem_ratio']:.3f} | {x['c1_s']:.2f} | {x['c2_s']:.2f} "
            f"| {x['warm_ratio']:.3f} | {r.engine_s:.2f} | {r.engine_s / r.size * 1e6:.1f} |"
        )
    return "\n".join(rows)


def _ok(value: float, target: float) -> str:
    return f"{value:.3f}（目标 ≤ {target}，{'达标' if value <= target else '未达标'}）"


def verdict(results: list[SizeResult]) -> list[str]:
    top = max(results, key=lambda r: r.size)
    x = _ratios(top)
    lines = [
        f"- {top.size:,} 笔：时间比 {_ok(x['time_ratio'], TIME_TARGET)}；"
        f"CPU 时间比 {_ok(x['cpu_ratio'], TIME_TARGET)}；"
        f"内存比 {_ok(x['mem_ratio'], MEMORY_TARGET)}"
    ]
    if len(results) > 1:
        low = min(results, key=lambda r: r.size)
        growth = (top.engine_s / top.size) / (low.engine_s / low.size)
        lines.append(
            f"- 规则引擎每笔耗时 {low.size:,} → {top.size:,} 笔：×{growth:.2f}（≈1 即线性增长）"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="10k,50k,200k",
        help="comma-separated transaction counts (10k, 50k, 200k, 1m ...)",
    )
    parser.add_argument("--repeats", type=int, default=3, help="alternating rounds per size")
    parser.add_argument("--projects", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, help="where to generate (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the generated ledgers")
    parser.add_argument("--out", type=Path, help="also write the Markdown report here")
    args = parser.parse_args()
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    try:
        sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"bad --sizes {args.sizes!r}")
    # A killed run still removes its generated ledgers (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="hzledger-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        for size in sizes:
            print(f"generating and checking {size:,} transactions ...", file=sys.stderr, flush=True)
            results.append(bench_size(size, args, workdir))
    finally:
        if args.workdir is None and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    report = "\n".join(
        [
            "## hzledger check 相对 Beancount 的开销",
            "",
            f"机器：{machine()}",
            f"每个规模 {args.repeats} 轮交替运行；秒数和内存取中位数，比值取各轮比值的中位数；(a) `bean-check --no-cache`（去掉 hz 插件行），"
            "(b) `hzledger check --no-cache`；首次/第二次 check 为清空结果缓存后连续两次 `hzledger check`"
            "（第二次即未改动账本的热路径）。",
            "",
            table(results),
            "",
            *verdict(results),
            "",
        ]
    )
    print(report)
    if args.out:
        args.out.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
