"""The suite runs from any clone on any machine: no test names a path of one machine."""

from __future__ import annotations

import re

from hztest import REPO

MACHINE_PATH = re.compile(r"""["'](/(?:work|home|Users|root|opt|usr|srv|mnt|tmp)/[^"']*)["']""")
# Paths that are data, not places: a query the read-only service must refuse to run.
ALLOWED = {".output /tmp/x"}


def test_no_test_names_an_absolute_machine_path() -> None:
    found = [
        f"{path.relative_to(REPO)}:{number}: {match.group(1)}"
        for path in sorted((REPO / "tests").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        for match in MACHINE_PATH.finditer(line)
        if not any(allowed in line for allowed in ALLOWED)
    ]
    assert not found, "\n".join(found)
