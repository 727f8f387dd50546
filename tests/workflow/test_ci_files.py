"""The CI and pre-commit files `hzledger init` writes are valid and run the right commands."""

from __future__ import annotations

import json
import shlex
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
import yaml
from wf_helpers import BIN, PRE_COMMIT, hz, run, scaffold

from hzledger import __version__
from hzledger.scaffold import ScaffoldError
from hzledger.scaffold import source as source_module
from hzledger.scaffold.init import verify_yaml
from hzledger.scaffold.source import installed_source


def _steps_running(workflow: dict[str, Any]) -> list[str]:
    return [
        step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step
    ]


def _install_then_check(commands: list[list[str]], spec: str) -> None:
    """The file installs exactly SPEC (one pip argument), then checks main.beancount."""
    installs = [i for i, c in enumerate(commands) if c[:4] == ["python", "-m", "pip", "install"]]
    assert len(installs) == 1, commands
    (at,) = installs
    assert [a for a in commands[at][4:] if not a.startswith("-")] == [spec]
    checks = [i for i, c in enumerate(commands) if c[:3] == ["hzledger", "check", "main.beancount"]]
    assert checks and min(checks) > at, "hzledger check runs after the install"


# SPEC as the user gives it → SPEC as every generated file installs it.
SOURCES = [
    ("hzledger==0.2.0", "hzledger==0.2.0"),
    (
        "hzledger @ git+https://git.example.org/hzledger.git@v0.2.0",
        "hzledger @ git+https://git.example.org/hzledger.git@v0.2.0",
    ),
    (
        "git+https://git.example.org/hzledger.git@v0.2.0",
        "hzledger @ git+https://git.example.org/hzledger.git@v0.2.0",
    ),
    (
        "https://dl.example.org/hzledger-0.2.0-py3-none-any.whl",
        "hzledger @ https://dl.example.org/hzledger-0.2.0-py3-none-any.whl",
    ),
]


@pytest.mark.parametrize(("given", "spec"), SOURCES)
def test_hook_github_and_gitlab_install_the_same_spec(
    tmp_path: Path, given: str, spec: str
) -> None:
    scaffold(tmp_path, source=given)
    workflow = yaml.safe_load((tmp_path / ".github/workflows/hzledger.yml").read_text("utf-8"))
    # PyYAML reads the bare key `on` as True (YAML 1.1); GitHub reads it as "on".
    triggers = workflow.get("on", workflow.get(True))
    assert set(triggers) == {"push", "pull_request"}
    (job,) = workflow["jobs"].values()
    uses = [step["uses"].split("@")[0] for step in job["steps"] if "uses" in step]
    assert uses == ["actions/checkout", "actions/setup-python"]
    github = [shlex.split(line) for line in _steps_running(workflow)]
    _install_then_check(github, spec)
    assert ["hzledger", "check", "main.beancount", "--format", "github"] in github

    pipeline = yaml.safe_load((tmp_path / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    gitlab = [shlex.split(line) for line in pipeline["hzledger-check"]["script"]]
    _install_then_check(gitlab, spec)

    (repo,) = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text("utf-8"))["repos"]
    if "git+" in spec:  # the standard repo/rev form, with hzledger's own .pre-commit-hooks.yaml
        assert (repo["repo"], repo["rev"]) == ("https://git.example.org/hzledger.git", "v0.2.0")
        assert [h["id"] for h in repo["hooks"]] == ["hzledger-check"]
    else:
        (hook,) = repo["hooks"]
        assert hook["additional_dependencies"] == [spec]
    assert spec in (tmp_path / "README.md").read_text(encoding="utf-8")


def test_a_local_wheel_or_checkout_becomes_an_absolute_file_url(tmp_path: Path) -> None:
    wheel = tmp_path / "dl" / "hzledger-0.2.0-py3-none-any.whl"
    wheel.parent.mkdir()
    wheel.write_bytes(b"PK")
    checkout = tmp_path / "src" / "hzledger"
    checkout.mkdir(parents=True)
    (checkout / "pyproject.toml").write_text("[project]\nname='hzledger'\n", encoding="utf-8")
    for given, org in ((wheel, "a"), (checkout, "b")):
        scaffold(tmp_path / org, source=str(given))
        config = yaml.safe_load((tmp_path / org / ".pre-commit-config.yaml").read_text("utf-8"))
        assert config["repos"][0]["hooks"][0]["additional_dependencies"] == [
            f"hzledger @ {given.resolve().as_uri()}"
        ]


def test_default_source_is_where_the_running_hzledger_came_from(tmp_path: Path) -> None:
    """The tests run from an editable install: PEP 610 records the checkout folder."""
    record = json.loads(metadata.distribution("hzledger").read_text("direct_url.json") or "{}")
    scaffold(tmp_path)
    config = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (hook,) = config["repos"][0]["hooks"]
    assert hook["additional_dependencies"] == [installed_source().requirement]
    if "dir_info" in record:
        assert installed_source().requirement == f"hzledger @ {record['url']}"
    assert "hzledger 的来源" in (tmp_path / ".gitlab-ci.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("record", "spec", "origin"),
    [
        (
            {
                "url": "https://git.example.org/hzledger.git",
                "vcs_info": {
                    "vcs": "git",
                    "commit_id": "0123abcd" * 5,
                    "requested_revision": "v0.2.0",
                },
            },
            "hzledger @ git+https://git.example.org/hzledger.git@" + "0123abcd" * 5,
            "vcs",
        ),
        (
            {"url": "https://dl.example.org/hzledger-0.2.0-py3-none-any.whl", "archive_info": {}},
            "hzledger @ https://dl.example.org/hzledger-0.2.0-py3-none-any.whl",
            "archive",
        ),
        (
            {"url": "file:///nonexistent/hzledger-0.2.0-py3-none-any.whl", "archive_info": {}},
            f"hzledger=={__version__}",
            "index",
        ),
        (
            {"url": "file:///nonexistent/checkout", "dir_info": {}},
            f"hzledger=={__version__}",
            "index",
        ),
    ],
)
def test_pep_610_records_become_the_spec(record: dict[str, Any], spec: str, origin: str) -> None:
    source = installed_source(record)
    assert (source.requirement, source.origin) == (spec, origin)
    if origin == "vcs":
        assert source.is_git and source.git_repo == "https://git.example.org/hzledger.git"


def test_without_a_record_the_index_pin_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(source_module, "_direct_url", lambda: None)
    scaffold(tmp_path)
    text = (tmp_path / ".github/workflows/hzledger.yml").read_text(encoding="utf-8")
    assert f"python -m pip install hzledger=={__version__}" in text
    assert "direct_url.json" in text and "--source" in text, "the comment says why it is a pin"


def test_gitlab_ci_is_valid_yaml_running_check(tmp_path: Path) -> None:
    scaffold(tmp_path)
    pipeline = yaml.safe_load((tmp_path / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    job = pipeline["hzledger-check"]
    script = [shlex.split(line) for line in job["script"]]
    assert ["hzledger", "check", "main.beancount"] in script
    assert any(c[:3] == ["hzledger", "check", "main.beancount"] and "sarif" in c for c in script)
    assert job["artifacts"]["paths"] == ["hzledger.sarif"]


@pytest.mark.parametrize(
    ("name", "schema"),
    [
        (".github/workflows/hzledger.yml", "vendor.github-workflows"),
        (".gitlab-ci.yml", "vendor.gitlab-ci"),
    ],
)
@pytest.mark.parametrize("given", [None, *(g for g, _ in SOURCES[:2])])
def test_ci_files_validate_against_the_published_schemas(
    tmp_path: Path, name: str, schema: str, given: str | None
) -> None:
    """check-jsonschema (a dev dependency) validates offline against its bundled schemas."""
    scaffold(tmp_path, source=given)
    result = run(BIN / "check-jsonschema", "--builtin-schema", schema, tmp_path / name)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"source": "hzledger==0.2.0"}, {"repo": "local", "language": "python"}),
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
        assert hook["additional_dependencies"] == ["hzledger==0.2.0"]


BAD_VALUES = [
    ("--hook-repo", "https://git.example.org/hzledger.git\nevil: true", "换行"),
    ("--hook-repo", "https://git.example.org/hz.git # x", "YAML"),
    ("--hook-repo", "{repo: x}", "YAML"),
    ("--hook-rev", "v0.2.0\n  - id: other", "换行"),
    ("--hook-rev", "v0.2.0: x", "git 标签"),
    ("--hook-rev", "'v1'", "git 标签"),
    ("--source", "hzledger==0.2.0\nrepos: []", "换行"),
    ("--source", "hzledger @ git+https://x.org/a.git@v1 ; evil", "pip"),
    ("--source", "requests==2.0", "不是 hzledger"),
    ("--source", "git+https://x.org/hz.git@v1#egg=hz\r", "换行"),
    # GitHub evaluates ${{ … }} even inside `run:`; GitLab expands ${VAR} in scripts.
    ("--source", "hzledger @ https://x.example/${{github.token}}/h.whl", "${"),
    ("--source", "hzledger @ https://x.example/${CI_JOB_TOKEN}/h.whl", "${"),
    ("--hook-rev", "${{github.token}}", "${"),
    ("--source", "hzledger; rm", "pip"),
    ("--source", "", "--source 不能为空"),
]


@pytest.mark.parametrize(("option", "value", "says"), BAD_VALUES)
def test_values_bound_for_yaml_are_validated_and_nothing_is_written(
    tmp_path: Path, option: str, value: str, says: str
) -> None:
    org = tmp_path / "org"
    args = ["init", org, "--title", "示例市职工互助保障会", "--no-git", option, value]
    if option == "--hook-repo":
        args += ["--hook-rev", "v0.2.0"]
    elif option == "--hook-rev":
        args += ["--hook-repo", "https://git.example.org/hzledger.git"]
    result = hz(*args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith("hzledger: ") and says in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, "one line, not a parser's caret diagram"
    assert not org.exists(), "nothing written"
    english = hz(*args, "--lang", "en")
    assert english.returncode == 2 and option in english.stderr
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in english.stderr.replace(value, ""))


def test_a_local_source_warns_that_ci_runners_do_not_have_it(tmp_path: Path) -> None:
    checkout = tmp_path / "hzledger-src"
    checkout.mkdir()
    (checkout / "pyproject.toml").write_text('[project]\nname = "hzledger"\n', encoding="utf-8")
    wheel = tmp_path / "hzledger-0.2.0-py3-none-any.whl"
    wheel.write_bytes(b"PK")
    for source in (str(checkout), str(wheel), wheel.as_uri()):
        org = tmp_path / f"org-{len(source)}"
        result = hz("init", org, "--title", "示例市职工互助保障会", "--no-git", "--source", source)
        assert result.returncode == 0, result.stderr
        assert "CI 运行器上没有这个路径" in result.stdout and "换一台机器时请改为" in result.stdout
        workflow = (org / ".github" / "workflows" / "hzledger.yml").read_text(encoding="utf-8")
        assert "换一台机器时请改为" in workflow, "the generated CI file says it too"
    english = hz("init", tmp_path / "org-en", "--title", "示例", "--no-git", "--lang", "en",
                 "--source", str(checkout))  # fmt: skip
    assert english.returncode == 0 and "CI runners do not have it" in english.stdout


def test_hook_git_needs_a_pinned_git_source(tmp_path: Path) -> None:
    result = hz("init", tmp_path / "org", "--title", "示例市职工互助保障会", "--no-git",
                "--hook", "git", "--source", "hzledger==0.2.0")  # fmt: skip
    assert result.returncode == 2 and "--hook git" in result.stderr
    assert not (tmp_path / "org").exists()


def test_a_yaml_value_that_does_not_survive_is_refused_by_the_guard() -> None:
    with pytest.raises(ScaffoldError, match="未能原样保存"):
        verify_yaml("x.yml", "a: b\n# hzledger @ file:///x\n", ["hzledger @ file:///x"])
    with pytest.raises(ScaffoldError, match="不是合法的 YAML"):
        verify_yaml("x.yml", "a: [b\n", ["b"])
