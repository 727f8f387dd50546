"""A wheel built from the repository works in a clean virtualenv."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from hzledger import __version__

from hztest import BuiltWheel

REPO = Path(__file__).resolve().parent.parent


def test_every_package_is_listed_in_pyproject() -> None:
    listed = set(
        tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        "hzledger." + ".".join(p.parent.relative_to(REPO / "src" / "hzledger").parts)
        for p in (REPO / "src" / "hzledger").rglob("__init__.py")
    }
    found = {name.rstrip(".") for name in found} | {"hzledger.plugins"}
    # Data-only folders (templates) are listed too, so setuptools ships them without a warning.
    found |= {
        "hzledger." + ".".join(p.relative_to(REPO / "src" / "hzledger").parts)
        for p in (REPO / "src" / "hzledger").glob("*/templates")
    }
    assert found == listed


def test_building_prints_no_setuptools_deprecation(built_wheel: BuiltWheel) -> None:
    """`python -m build` (what `make dist` runs): no deprecated license table, no unlisted package."""
    log = built_wheel.log
    assert "deprecat" not in log.lower(), log
    assert "is absent from the `packages` configuration" not in log, log
    assert "SetuptoolsWarning" not in log and "BuildBackendWarning" not in log, log


def test_the_version_lives_in_one_place(built_wheel: BuiltWheel) -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert "version" not in project and project["dynamic"] == ["version"]
    assert built_wheel.path.name.startswith(f"hzledger-{__version__}-")
    assert f"## [{__version__}]" in (REPO / "CHANGELOG.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_wheel_in_a_clean_venv(
    tmp_path: Path, example_ledger: Path, built_wheel: BuiltWheel
) -> None:
    wheel = built_wheel.path
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", "--no-compile", str(wheel)],
        check=True,
        timeout=600,
    )
    # The plugin resolves by its public name, from the installed wheel, not the source tree.
    probe = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import hzledger.plugins.compliance as m; print(m.__file__)",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    assert "site-packages" in probe.stdout
    bean = subprocess.run(
        [str(venv / "bin" / "bean-check"), str(example_ledger)], capture_output=True, text=True
    )
    assert bean.returncode == 0, bean.stdout + bean.stderr
    check = subprocess.run(
        [str(venv / "bin" / "hzledger"), "check", str(example_ledger), "--format", "json"],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr
    assert '"errors": 0' in check.stdout
