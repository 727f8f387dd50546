"""The repository's own `.pre-commit-config.yaml` works offline with the project's tools."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(cwd / ".pre-commit-home")}
    return subprocess.run(
        [str(PRE_COMMIT), *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=300
    )


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A git repository holding this config, a pyproject and the project's .venv tools."""
    if not (REPO / ".venv" / "bin" / "ruff").exists():
        pytest.skip("needs `make install` (.venv with ruff)")
    work = tmp_path / "repo"
    work.mkdir()
    shutil.copy(REPO / ".pre-commit-config.yaml", work)
    shutil.copy(REPO / "pyproject.toml", work)
    (work / ".venv").symlink_to(REPO / ".venv")
    subprocess.run(["git", "init", "-q"], cwd=work, check=True)
    return work


def test_config_is_valid() -> None:
    assert run("validate-config", ".pre-commit-config.yaml", cwd=REPO).returncode == 0


def test_ruff_hooks_pass_clean_code_and_stop_bad_code(clone: Path) -> None:
    good = clone / "good.py"
    good.write_text('"""Fine."""\n\nVALUE = 1\n', encoding="utf-8")
    bad = clone / "bad.py"
    bad.write_text("import os\nx=1\n", encoding="utf-8")
    subprocess.run(["git", "add", "good.py", "bad.py"], cwd=clone, check=True)
    passed = run("run", "ruff-check", "--files", "good.py", cwd=clone)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    failed = run("run", "ruff-check", "--files", "bad.py", cwd=clone)
    assert failed.returncode == 1 and "F401" in failed.stdout
    unformatted = run("run", "ruff-format", "--files", "bad.py", cwd=clone)
    assert unformatted.returncode == 1
