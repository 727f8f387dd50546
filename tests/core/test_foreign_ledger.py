"""A public Beancount ledger never written for hzledger: clear findings, not a crash."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path


def test_bean_example_ledger(tmp_path: Path, cli) -> None:
    path = tmp_path / "example.beancount"
    subprocess.run(
        [str(Path(sys.executable).parent / "bean-example"), "--seed", "7", "-o", str(path)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    result = cli("check", path, "--format", "json")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    doc = json.loads(result.stdout)
    rules = Counter(f["rule"] for f in doc["findings"])
    # Only "this isn't an organisation's ledger" findings: no cascade of per-transaction noise.
    assert set(rules) == {"HZ-FUND", "HZ-KIND"}, rules
    assert doc["ledgers"][0]["transactions"] > 500
    opens = path.read_text(encoding="utf-8").count(" open ")
    assert rules["HZ-FUND"] <= opens
    assert all(f["file"] and f["line"] for f in doc["findings"])
