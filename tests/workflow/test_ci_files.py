"""The CI and pre-commit files `hzledger init` writes are valid and run the right commands."""

from __future__ import annotations

import importlib.util
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml
from wf_helpers import BIN, PRE_COMMIT, run, scaffold

from hzledger import __version__


def _steps_running(workflow: dict[str, Any]) -> list[str]:
    return [
        step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step
    ]


def test_github_workflow_is_valid_yaml_running_check_github(tmp_path: Path) -> None:
    scaffold(tmp_path)
    path = tmp_path / ".github" / "workflows" / "hzledger.yml"
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    # PyYAML reads the bare key `on` as True (YAML 1.1); GitHub reads it as "on".
    triggers = workflow.get("on", workflow.get(True))
    assert set(triggers) == {"push", "pull_request"}
    (job,) = workflow["jobs"].values()
    uses = [step["uses"].split("@")[0] for step in job["steps"] if "uses" in step]
    assert uses == ["actions/checkout", "actions/setup-python"]
    commands = [shlex.split(line) for line in _steps_running(workflow)]
    assert ["hzledger", "check", "main.beancount", "--format", "github"] in commands
    install = next(c for c in commands if "install" in c)
    assert f"hzledger=={__version__}" in install, "CI pins the version that scaffolded the repo"
    # The ledger the workflow names is the one init wrote.
    assert (tmp_path / "main.beancount").is_file()


def test_gitlab_ci_is_valid_yaml_running_check(tmp_path: Path) -> None:
    scaffold(tmp_path)
    pipeline = yaml.safe_load((tmp_path / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    job = pipeline["hzledger-check"]
    script = [shlex.split(line) for line in job["script"]]
    assert ["hzledger", "check", "main.beancount"] in script
    assert any(c[:3] == ["hzledger", "check", "main.beancount"] and "sarif" in c for c in script)
    assert job["artifacts"]["paths"] == ["hzledger.sarif"]


@pytest.mark.skipif(
    importlib.util.find_spec("check_jsonschema") is None, reason="check-jsonschema not installed"
)
@pytest.mark.parametrize(
    ("name", "schema"),
    [
        (".github/workflows/hzledger.yml", "vendor.github-workflows"),
        (".gitlab-ci.yml", "vendor.gitlab-ci"),
    ],
)
def test_ci_files_validate_against_the_published_schemas(
    tmp_path: Path, name: str, schema: str
) -> None:
    scaffold(tmp_path)
    result = run(BIN / "check-jsonschema", "--builtin-schema", schema, tmp_path / name)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, {"repo": "local", "language": "python"}),
        ({"hook": "system"}, {"repo": "local", "language": "system"}),
        (
            {
                "hook": "git",
                "hook_repo": "https://git.example.org/hzledger.git",
                "hook_rev": "v0.1.0",
            },
            {"repo": "https://git.example.org/hzledger.git", "rev": "v0.1.0"},
        ),
    ],
)
def test_pre_commit_config_variants_are_valid(
    tmp_path: Path, overrides: dict[str, str], expected: dict[str, str]
) -> None:
    scaffold(tmp_path, **overrides)
    path = tmp_path / ".pre-commit-config.yaml"
    result = run(PRE_COMMIT, "validate-config", path)
    assert result.returncode == 0, result.stdout + result.stderr
    (repo,) = yaml.safe_load(path.read_text(encoding="utf-8"))["repos"]
    (hook,) = repo["hooks"]
    assert hook["id"] == "hzledger-check"
    assert repo["repo"] == expected["repo"]
    if "rev" in expected:
        assert repo["rev"] == expected["rev"]
    else:
        assert hook["language"] == expected["language"]
        assert hook["entry"] == "hzledger precommit"
        assert hook["pass_filenames"] is False
    if expected.get("language") == "python":
        assert hook["additional_dependencies"] == [f"hzledger=={__version__}"]
