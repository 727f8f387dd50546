"""A wheel built from the repository works in a clean virtualenv."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

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


@pytest.mark.slow
def test_wheel_in_a_clean_venv(tmp_path: Path, example_ledger: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(REPO)],
        check=True,
        timeout=300,
    )
    [wheel] = dist.glob("hzledger-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", str(wheel)], check=True, timeout=600
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
