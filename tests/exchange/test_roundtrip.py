"""The main test of issue 14: every demo organisation goes out as a mapping, a 科目余额表 and
a 序时账 per year, comes back in through `hzledger import vouchers --write` into a new folder,
and `hzledger check` and `report funds`/`report balance` say the same of both."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from roundtrip import DEMO, figures, findings, transaction_years

from hztest import run_cli

ORGS = ["shiyan-sheng", "dongcheng", "xicheng"]


@pytest.mark.slow
@pytest.mark.parametrize("org", ORGS)
def test_demo_organisation_round_trips(org: str, tmp_path: Path) -> None:
    original = DEMO / org / "main.beancount"
    years = transaction_years(original)
    before = datetime.date(years[0] - 1, 12, 31)
    mapping = tmp_path / "map.toml"
    trial = tmp_path / f"余额表{before}.xlsx"
    done = run_cli("export", "mapping", original, "-o", mapping)
    assert done.returncode == 0, done.stderr
    done = run_cli("export", "trial-balance", original, "--as-of", before, "-o", trial)
    assert done.returncode == 0, done.stderr
    journals = []
    for year in years:
        journal = tmp_path / f"序时账{year}.xlsx"
        done = run_cli("export", "journal", original, "--year", year, "-o", journal)
        assert done.returncode == 0, done.stderr
        journals.append(journal)
    target = tmp_path / "imported"
    done = run_cli(
        "import",
        "vouchers",
        *journals,
        "--mapping",
        mapping,
        "--into",
        target,
        "--opening",
        trial,
        "--write",
        "-q",
    )
    assert done.returncode in (0, 1), done.stderr  # 1: xicheng's deliberate violations
    assert "Traceback" not in done.stderr
    imported = target / "main.beancount"
    assert imported.exists()
    # Laid out like `hzledger init`: CI, hook, README, documents/.
    for name in (".pre-commit-config.yaml", ".gitlab-ci.yml", "README.md", "documents/README.md"):
        assert (target / name).exists(), name
    assert {p.name for p in (target / "projects").iterdir()} == {
        p.name for p in (DEMO / org / "projects").iterdir()
    }

    same = findings(original)
    assert findings(imported) == same
    if org == "xicheng":
        assert sum(same.values()) == 10  # the nine deliberate violations (one reported twice)
    assert figures(imported, years) == figures(original, years)


@pytest.mark.slow
def test_migration_mid_history_from_a_trial_balance(tmp_path: Path) -> None:
    """Books moved over at the end of 2023: the 科目余额表 as of 2023-12-31 gives the opening
    balances (income and expenses of unclosed books included, through a clearing account that
    ends at zero), then the 2024 and 2025 journals; every figure of 2024 and 2025 is the same."""
    original = DEMO / "dongcheng" / "main.beancount"
    mapping = tmp_path / "map.toml"
    trial = tmp_path / "tb.xlsx"
    assert run_cli("export", "mapping", original, "-o", mapping).returncode == 0
    assert (
        run_cli(
            "export", "trial-balance", original, "--as-of", "2023-12-31", "-o", trial
        ).returncode
        == 0
    )
    journals = []
    for year in (2024, 2025):
        journal = tmp_path / f"j{year}.xlsx"
        assert run_cli("export", "journal", original, "--year", year, "-o", journal).returncode == 0
        journals.append(journal)
    target = tmp_path / "moved"
    done = run_cli(
        "import",
        "vouchers",
        *journals,
        "--mapping",
        mapping,
        "--into",
        target,
        "--opening",
        trial,
        "--write",
        "-q",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    text = (target / "projects" / "ZJ23.beancount").read_text(encoding="utf-8")
    assert "期初余额：收入（ZJ23" in text and "10200 GZ2301 {100.00 CNY, 2023-03-15}" in text
    assert figures(target / "main.beancount", [2024, 2025]) == figures(original, [2024, 2025])
    assert findings(target / "main.beancount") == findings(original)
