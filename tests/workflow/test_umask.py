"""Scaffolded files, baselines and demo ledgers get the permissions the user's umask asks for.

Atomic writes go through mkstemp/mkdtemp (0600/0700); a ledger a colleague or CI cannot read
is a broken ledger. Each case runs the real CLI under a real umask in a subprocess.
"""

from __future__ import annotations

import stat
import subprocess
from pathlib import Path

import pytest
from wf_helpers import HZLEDGER, TITLE, clean_env


def _under_umask(mask: int, *args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = " ".join(f"'{a}'" for a in (HZLEDGER, *args))
    return subprocess.run(
        ["sh", "-c", f"umask {mask:03o} && exec {command}"],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=clean_env(),
        timeout=120,
        check=False,
    )


def _modes(root: Path) -> dict[str, int]:
    return {
        str(p.relative_to(root)): stat.S_IMODE(p.stat().st_mode)
        for p in [root, *root.rglob("*")]
        if ".git" not in p.relative_to(root).parts
    }


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o002])
def test_init_new_project_and_baseline_honour_the_umask(tmp_path: Path, mask: int) -> None:
    made = _under_umask(mask, "init", "org", "--title", TITLE, "--date", "2026-01-01",
                        "--no-git", cwd=tmp_path)  # fmt: skip
    assert made.returncode == 0, made.stderr
    project = _under_umask(
        mask, "new-project", "org", "ZY27", "--name", "住院医疗互助保障计划（2027）",
        "--start", "2027-01-01", "--end", "2027-12-31", "--filing", "示工资备〔2026〕21号",
        "--filed", "2026-11-20", cwd=tmp_path,
    )  # fmt: skip
    assert project.returncode == 0, project.stderr
    baseline = _under_umask(mask, "baseline", "org/baseline.json", "org/main.beancount",
                            cwd=tmp_path)  # fmt: skip
    assert baseline.returncode == 0, baseline.stderr
    modes = _modes(tmp_path / "org")
    for name in ("main.beancount", "funds/ZH.beancount", "projects/ZY27.beancount",
                 ".github/workflows/hzledger.yml", "baseline.json"):  # fmt: skip
        assert modes[name] == 0o666 & ~mask, (name, oct(modes[name]))
    for name in (".", "funds", "projects", ".github/workflows", "documents"):
        assert modes[name] == 0o777 & ~mask, (name, oct(modes[name]))
    assert all(m & ~(0o777 & ~mask) == 0 for m in modes.values()), "nothing looser than the umask"


def test_an_edited_ledger_keeps_its_own_mode(tmp_path: Path) -> None:
    made = _under_umask(0o022, "init", "org", "--title", TITLE, "--date", "2026-01-01",
                        "--no-git", cwd=tmp_path)  # fmt: skip
    assert made.returncode == 0, made.stderr
    main = tmp_path / "org" / "main.beancount"
    main.chmod(0o640)
    project = _under_umask(
        0o022, "new-project", "org", "ZY27", "--name", "住院医疗互助保障计划（2027）",
        "--start", "2027-01-01", "--end", "2027-12-31", "--filing", "示工资备〔2026〕21号",
        "--filed", "2026-11-20", cwd=tmp_path,
    )  # fmt: skip
    assert project.returncode == 0, project.stderr
    assert "projects/ZY27.beancount" in main.read_text(encoding="utf-8")
    assert stat.S_IMODE(main.stat().st_mode) == 0o640


@pytest.mark.parametrize("mask", [0o022, 0o027])
def test_demo_ledgers_honour_the_umask(tmp_path: Path, mask: int) -> None:
    made = _under_umask(mask, "demo", "generate", "out/org", "--transactions", "400",
                        cwd=tmp_path)  # fmt: skip
    assert made.returncode == 0, made.stderr
    modes = _modes(tmp_path / "out" / "org")
    assert modes["."] == 0o777 & ~mask
    assert modes["main.beancount"] == 0o666 & ~mask
