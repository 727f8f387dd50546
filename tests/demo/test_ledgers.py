"""The committed demo organisations under ledgers/: current, conformant, and as advertised."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from beancount.core import data
from beanquery import query
from demo_support import LEDGERS, committed_tree, tree
from fava.core.fava_options import parse_options

from hzledger.check import LedgerCheck, check_loaded
from hzledger.demo.presets import DEMO_ORGS

CLEAN = ("shiyan-sheng", "dongcheng")
DIRTY = "xicheng"


def test_committed_ledgers_are_exactly_what_the_generator_writes(
    tmp_path: Path, cli: Callable[..., CompletedProcess[str]]
) -> None:
    run = cli("demo", "ledgers", tmp_path / "ledgers")
    assert run.returncode == 0, run.stderr
    # Tracked files only: `bean-check` from the README's quick start leaves caches behind.
    assert tree(tmp_path / "ledgers") == committed_tree(LEDGERS), (
        "ledgers/ is stale: run `hzledger demo ledgers ledgers --force`"
    )


def test_layout_follows_the_spec() -> None:
    for name in DEMO_ORGS:
        org = LEDGERS / name
        for part in (
            "main.beancount",
            "funds/ZH.beancount",
            "decisions.beancount",
            "audits.beancount",
            "README.md",
        ):
            assert (org / part).is_file(), f"{name}/{part}"
        assert list((org / "projects").glob("*.beancount"))
        assert list((org / "documents" / "decisions").glob("*.md"))


@pytest.mark.parametrize("name", CLEAN)
def test_clean_organisations_have_no_findings(
    name: str, demo_checks: dict[str, LedgerCheck]
) -> None:
    checked = demo_checks[name]
    assert [f"{f.rule} {f.file}:{f.line} {f.message}" for f in checked.findings] == []
    # Still clean when checked today: the audits of the last year are recorded too.
    later = check_loaded(
        checked.path, checked.entries, [], checked.options, as_of=datetime.date(2026, 11, 27)
    )
    assert [f.rule for f in later.findings] == []


def test_the_supervisor_finds_exactly_what_the_readme_lists(
    demo_checks: dict[str, LedgerCheck],
) -> None:
    checked = demo_checks[DIRTY]
    readme = (LEDGERS / DIRTY / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"HZ-[A-Z0-9]+", readme))
    assert (
        {f.rule for f in checked.findings}
        == listed
        == {
            "HZ-A15",
            "HZ-A17",
            "HZ-A26",
            "HZ-A28",
            "HZ-A29",
            "HZ-A30",
            "HZ-A31",
            "HZ-A32",
        }
    )
    rows = re.findall(r"^\| `([^`:]+):(\d+)` \| ([^|]+) \|", readme, flags=re.MULTILINE)
    assert rows
    at = {
        (Path(f.file or "").relative_to(LEDGERS / DIRTY).as_posix(), f.line, f.rule)
        for f in checked.findings
    }
    for file, line, rules in rows:
        for rule in rules.strip().split("、"):
            assert (file, int(line), rule) in at, (file, line, rule)


def test_organisations_form_a_province_with_two_cities(
    demo_checks: dict[str, LedgerCheck],
) -> None:
    province = demo_checks["shiyan-sheng"].model.org
    assert province is not None and province.level == "province"
    for city in ("dongcheng", "xicheng"):
        model = demo_checks[city].model
        assert model.org is not None and model.org.level == "city"
        assert model.org.parent == province.name
        terms = {
            p.end.year - p.start.year + 1 for p in model.projects.values() if p.start and p.end
        }
        assert {1, 3} <= terms, "one-year and three-year projects"
        assert len({code[:2] for code in model.projects}) >= 3
        assert demo_checks[city].transactions >= 3_000


def test_stored_queries_run_under_beanquery(demo_checks: dict[str, LedgerCheck]) -> None:
    stored = {
        name: [(e.name, e.query_string) for e in checked.entries if isinstance(e, data.Query)]
        for name, checked in demo_checks.items()
    }
    queries = stored["shiyan-sheng"]
    assert len(queries) >= 5
    assert all(other == queries for other in stored.values()), "one set of queries everywhere"
    # Run them on the smallest organisation: each returns rows.
    checked = demo_checks["shiyan-sheng"]
    for name, bql in queries:
        _types, rows = query.run_query(checked.entries, checked.options, bql)
        assert rows, f"{name} returned nothing"


@pytest.mark.parametrize("name", list(DEMO_ORGS))
def test_fava_options_are_valid_and_chinese(name: str, demo_checks: dict[str, LedgerCheck]) -> None:
    customs = [
        e
        for e in demo_checks[name].entries
        if isinstance(e, data.Custom) and e.type == "fava-option"
    ]
    options, errors = parse_options(customs)  # type: ignore[arg-type]
    assert errors == []
    assert options.language == "zh"


def test_scale_is_that_of_a_real_city(demo_checks: dict[str, LedgerCheck]) -> None:
    for city in ("dongcheng", "xicheng"):
        members = claims = 0
        for entry in demo_checks[city].entries:
            if isinstance(entry, data.Transaction) and entry.date.year == 2024:
                members += int(entry.meta.get("members", 0))
                claims += int(entry.meta.get("claims", 0))
        assert 300_000 < members < 800_000, members
        assert 3_000 < claims < 20_000, claims


def test_fava_opens_a_demo_ledger_without_errors() -> None:
    from fava.core import FavaLedger

    ledger = FavaLedger(str((LEDGERS / "shiyan-sheng" / "main.beancount").resolve()))
    assert [str(e.message) for e in ledger.errors] == []
    assert ledger.fava_options.language == "zh"
    assert ledger.budgets, "yearly admin budgets reach Fava"
