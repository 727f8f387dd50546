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
