"""The generator: exact size, determinism, clean by default, the violations it promises."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from beancount.core import data
from demo_support import tree

from hzledger.check import check_file
from hzledger.demo.generator import generate
from hzledger.demo.plan import OrgConfig, PlanError, build_plan, minimum_transactions


@pytest.mark.parametrize(
    ("transactions", "projects", "years"),
    [(600, 1, 3), (1_500, 3, 3), (2_400, 6, 2), (1_200, 2, 1)],
)
def test_writes_exactly_the_requested_transactions_and_checks_clean(
    tmp_path: Path, transactions: int, projects: int, years: int
) -> None:
    config = OrgConfig(transactions=transactions, projects=projects, years=years, seed=transactions)
    result = generate(config, tmp_path / "org")
    checked = check_file(tmp_path / "org" / "main.beancount")
    loaded = sum(1 for e in checked.entries if isinstance(e, data.Transaction))
    assert loaded == transactions == result.transactions
    assert checked.transactions == transactions
    assert [f"{f.rule}@{f.file}:{f.line}" for f in checked.findings] == []
    balances = [e for e in checked.entries if isinstance(e, data.Balance)]
    assert len(balances) >= 12 * years, "monthly bank balance assertions, all passing"
    assert len({i.line for i in result.instances}) == projects


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    config = OrgConfig(transactions=900, seed=42, violations=True)
    generate(config, tmp_path / "a", name="org")
    generate(config, tmp_path / "b", name="org")
    generate(OrgConfig(transactions=900, seed=43, violations=True), tmp_path / "c", name="org")
    first, second, other = tree(tmp_path / "a"), tree(tmp_path / "b"), tree(tmp_path / "c")
    assert first == second
    assert first.keys() == other.keys()
    assert first["projects/ZJ23.beancount"] != other["projects/ZJ23.beancount"]


def test_violations_produce_exactly_the_promised_rules_at_the_promised_lines(
    tmp_path: Path,
) -> None:
    result = generate(OrgConfig(transactions=1_800, seed=5, violations=True), tmp_path / "v")
    checked = check_file(tmp_path / "v" / "main.beancount")
    found = {
        (f.rule, Path(f.file or "").relative_to(tmp_path / "v").as_posix(), f.line)
        for f in checked.findings
    }
    assert {f.rule for f in checked.findings} == result.expected_rules
    assert result.expected_rules == {
        "HZ-A15",
        "HZ-A17",
        "HZ-A26",
        "HZ-A28",
        "HZ-A29",
        "HZ-A30",
        "HZ-A31",
        "HZ-A32",
    }
    for violation in result.violations:
        if not violation.line:  # the missing audit has no line of its own
            continue
        for rule in violation.rules:
            assert (rule, violation.file, violation.line) in found, violation
    assert "HZ-A32" in (tmp_path / "v" / "README.md").read_text(encoding="utf-8")


def test_every_document_path_in_the_ledger_exists(tmp_path: Path) -> None:
    generate(OrgConfig(transactions=700, seed=9), tmp_path / "d")
    checked = check_file(tmp_path / "d" / "main.beancount")
    paths = [d.document for d in checked.model.decisions.values()]
    paths += [a.report for a in checked.model.audits]
    paths += [f.actuarial for f in checked.model.projects.values()]
    assert paths and all(paths)
    for rel in paths:
        assert (tmp_path / "d" / str(rel)).is_file(), rel
    # Every large collection-account outflow is linked to a decision dated before it.
    linked = [e for e in checked.entries if isinstance(e, data.Transaction) and e.links]
    assert linked
    for txn in linked:
        (ident,) = txn.links
        assert checked.model.decisions[ident].date < txn.date


def test_too_few_transactions_is_a_clear_error() -> None:
    config = OrgConfig(transactions=10)
    minimum = minimum_transactions(config)
    with pytest.raises(PlanError) as caught:
        build_plan(config)
    assert f"至少需要 {minimum} 笔" in caught.value.zh
    assert str(minimum) in caught.value.en
    assert build_plan(OrgConfig(transactions=minimum)).skeleton < minimum


@pytest.mark.slow
def test_memory_does_not_grow_with_size(tmp_path: Path) -> None:
    """Streaming: ten times the transactions, nearly the same peak memory."""
    exe = Path(sys.executable).parent / "hzledger"
    peaks = []
    for n in (4_000, 40_000):
        proc = subprocess.Popen(
            [str(exe), "demo", "generate", str(tmp_path / str(n)), "-n", str(n)],
            stdout=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        peaks.append(usage.ru_maxrss / 1024)
    small, large = peaks
    size = sum(p.stat().st_size for p in (tmp_path / "40000").rglob("*.beancount")) / 2**20
    assert large - small < max(15.0, size / 2), (peaks, size)
