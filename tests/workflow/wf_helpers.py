"""Helpers for the workflow tests: the real console scripts, real git, scaffolded organisations."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from hzledger.scaffold.init import InitOptions, init_org
from hzledger.scaffold.project import ProjectSpec

BIN = Path(sys.executable).parent
HZLEDGER = BIN / "hzledger"
PRE_COMMIT = BIN / "pre-commit"
TITLE = "示例市职工互助保障会"


def clean_env(home: Path | None = None) -> dict[str, str]:
    """The environment with hzledger's bin first on PATH and no inherited git state.

    GIT_* variables leak in when the tests themselves run from a git hook; they would point our
    commands at the outer repository.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONIOENCODING"] = "utf-8"
    env["HZLEDGER_LANG"] = "zh"
    env.update(
        GIT_AUTHOR_NAME="赵敏",
        GIT_AUTHOR_EMAIL="zhaomin@example.org",
        GIT_COMMITTER_NAME="赵敏",
        GIT_COMMITTER_EMAIL="zhaomin@example.org",
        GIT_CONFIG_NOSYSTEM="1",
    )
    if home is not None:
        env["PRE_COMMIT_HOME"] = str(home / "pre-commit-cache")
        env["GIT_CONFIG_GLOBAL"] = str(home / "gitconfig")
    return env


def run(
    *args: str | os.PathLike[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env or clean_env(),
        timeout=120,
        check=False,
    )


def hz(*args: str | os.PathLike[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The real `hzledger` console script."""
    return run(HZLEDGER, *args, cwd=cwd)


def check_json(main: Path) -> dict[str, Any]:
    result = hz("check", main, "--format", "json")
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def scaffold(directory: Path, **overrides: Any) -> Path:
    """An organisation written by the library (the CLI has its own tests)."""
    opts = InitOptions(
        title=overrides.pop("title", TITLE),
        date=overrides.pop("date", datetime.date(2026, 1, 1)),
        parent=overrides.pop("parent", "示例省总工会"),
        **overrides,
    )
    init_org(directory, opts)
    return directory / "main.beancount"


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under `directory` (outside .git) with its bytes, to prove nothing changed."""
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(directory).parts
    }


def spec(code: str = "ZY27", **overrides: Any) -> ProjectSpec:
    values: dict[str, object] = {
        "code": code,
        "name": "在职职工住院医疗互助保障计划（2027）",
        "start": datetime.date(2027, 1, 1),
        "end": datetime.date(2027, 12, 31),
        "filing": "示工资备〔2026〕21号",
        "filed": datetime.date(2026, 11, 20),
    }
    values.update(overrides)
    return ProjectSpec(**values)  # type: ignore[arg-type]
