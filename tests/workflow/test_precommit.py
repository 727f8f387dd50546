"""The pre-commit hook in real git repositories, installed by the real `pre-commit` from PyPI.

The hook must check the organisation's top-level ledger whichever fragment is staged. Most
repositories here run it as `language: system` against the hzledger installed here, which keeps
them fast; the last tests let pre-commit install hzledger itself exactly as `hzledger init`
configured it (a wheel of this checkout, a `file://` clone in repo/rev form, the editable
install's folder), as a new organisation would.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml
from wf_helpers import BIN, PRE_COMMIT, TITLE, clean_env, hz, run, scaffold

from hzledger.check import check_file
from hzledger.precommit import orphans
from hzledger.scaffold.source import installed_source

from hztest import BuiltWheel

REPO = Path(__file__).resolve().parents[2]
MANIFEST = REPO / ".pre-commit-hooks.yaml"

WEALTH_PRODUCT = """
2026-12-01 open Assets:ZY27:1101短期投资:L理财产品 CNY
  kind: "wealth-product"
2026-12-10 * "某银行" "购买理财产品"
  Assets:ZY27:1101短期投资:L理财产品  50000.00 CNY
  Assets:ZY27:1002银行存款:Z支出户
"""
DUES = """
2026-12-05 * "示例机床厂" "2027年度住院医疗互助会费"
  members: 1850
  Assets:ZY27:1002银行存款:S收入户  92500.00 CNY
  Income:ZY27:4201会费收入
"""

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
# Real repositories and real `git commit` runs through pre-commit: seconds each.
slow = pytest.mark.slow


def git(repo: Path, env: dict[str, str], *args: str) -> str:
    result = run("git", *args, cwd=repo, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def commit(repo: Path, env: dict[str, str], message: str, *paths: str) -> tuple[bool, str]:
    git(repo, env, "add", *paths)
    result = run("git", "commit", "-m", message, cwd=repo, env=env)
    return result.returncode == 0, result.stdout + result.stderr


def head_count(repo: Path, env: dict[str, str]) -> int:
    return int(git(repo, env, "rev-list", "--count", "HEAD").strip())


@slow
def test_hook_checks_the_top_level_ledger_whatever_is_staged(tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    org = tmp_path / "org"
    made = hz("init", org, "--title", TITLE, "--date", "2026-01-01", "--hook", "system")
    assert made.returncode == 0, made.stderr
    project = hz(
        "new-project", org, "ZY27", "--name", "在职职工住院医疗互助保障计划（2027）",
        "--start", "2027-01-01", "--end", "2027-12-31", "--filing", "示工资备〔2026〕21号",
        "--filed", "2026-11-20",
    )  # fmt: skip
    assert project.returncode == 0, project.stderr
    installed = run(PRE_COMMIT, "install", cwd=org, env=env)
    assert installed.returncode == 0, installed.stderr
    assert (org / ".git" / "hooks" / "pre-commit").is_file()

    ok, out = commit(org, env, "建账", ".")
    assert ok, out
    assert "hzledger 合规检查" in out and "Passed" in out

    # A compliant change to one fragment: the hook checks main.beancount and lets it through.
    fragment = org / "projects" / "ZY27.beancount"
    with fragment.open("a", encoding="utf-8") as handle:
        handle.write(DUES)
    ok, out = commit(org, env, "会费", "projects/ZY27.beancount")
    assert ok, out
    assert head_count(org, env) == 2

    # A wealth-product purchase staged in the fragment alone is caught through main.beancount.
    with fragment.open("a", encoding="utf-8") as handle:
        handle.write(WEALTH_PRODUCT)
    ok, out = commit(org, env, "理财", "projects/ZY27.beancount")
    assert not ok
    assert "违反第二十八条" in out and "HZ-A28" in out
    assert "projects/ZY27.beancount" in out and "main.beancount" in out
    assert head_count(org, env) == 2, "the commit was rejected"


@slow
def test_a_staged_fragment_no_ledger_includes_is_rejected(tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    org = tmp_path / "org"
    scaffold(org, hook="system")
    git(org, env, "init", "-q")
    assert run(PRE_COMMIT, "install", cwd=org, env=env).returncode == 0
    ok, out = commit(org, env, "建账", ".")
    assert ok, out
    # Someone writes a project file by hand and forgets its include line: nothing would check it.
    orphan = org / "projects" / "YW27.beancount"
    orphan.parent.mkdir()
    orphan.write_text(WEALTH_PRODUCT.replace("ZY27", "YW27"), encoding="utf-8")
    ok, out = commit(org, env, "遗漏 include", "projects/YW27.beancount")
    assert not ok
    assert "projects/YW27.beancount" in out and "include" in out
    assert head_count(org, env) == 1


@slow
def test_manifest_hook_finds_every_main_beancount_in_a_monorepo(tmp_path: Path) -> None:
    """The repository's own .pre-commit-hooks.yaml, used by URL and rev like a real ledger repo."""
    env = clean_env(tmp_path)
    hooks = tmp_path / "hzledger-hooks"
    hooks.mkdir()
    shutil.copy(MANIFEST, hooks / ".pre-commit-hooks.yaml")
    git(hooks, env, "init", "-q")
    git(hooks, env, "add", ".")
    git(hooks, env, "commit", "-q", "-m", "hooks")
    rev = git(hooks, env, "rev-parse", "HEAD").strip()

    repo = tmp_path / "ledgers"
    for name in ("shiyan", "shili"):
        made = hz("init", repo / name, "--title", f"{name}职工互助保障会", "--date", "2026-01-01",
                  "--no-git")  # fmt: skip
        assert made.returncode == 0, made.stderr
        (repo / name / ".pre-commit-config.yaml").unlink()
    config = {
        "repos": [
            {
                "repo": str(hooks),
                "rev": rev,
                "hooks": [{"id": "hzledger-check", "language": "system"}],
            }
        ]
    }
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    git(repo, env, "init", "-q")
    assert run(PRE_COMMIT, "install", cwd=repo, env=env).returncode == 0
    ok, out = commit(repo, env, "两个组织", ".")
    assert ok, out

    bad = repo / "shili" / "funds" / "ZH.beancount"
    with bad.open("a", encoding="utf-8") as handle:
        handle.write(WEALTH_PRODUCT.replace("ZY27", "ZH").replace("Z支出户", "J基本户"))
    ok, out = commit(repo, env, "理财", "shili/funds/ZH.beancount")
    assert not ok
    assert "shili/main.beancount" in out and "shiyan/main.beancount" in out, "both ledgers checked"
    assert "违反第二十八条" in out


def test_hook_manifest_is_valid_and_checks_top_level_ledgers() -> None:
    result = run(PRE_COMMIT, "validate-manifest", MANIFEST)
    assert result.returncode == 0, result.stdout + result.stderr
    (hook,) = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert hook["id"] == "hzledger-check"
    assert hook["entry"] == "hzledger precommit"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False, "the hook checks top-level ledgers, not staged files"
    assert hook["files"] == r"\.(beancount|bean)$"


def test_precommit_without_a_ledger_says_what_to_do(tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    git(tmp_path, env, "init", "-q")
    result = run(Path(PRE_COMMIT).parent / "hzledger", "precommit", cwd=tmp_path, env=env)
    assert result.returncode == 2
    assert "main.beancount" in result.stderr and "args" in result.stderr
    assert "Traceback" not in result.stderr


def test_unincluded_files_outside_the_ledger_folders_are_not_flagged(tmp_path: Path) -> None:
    main = scaffold(tmp_path / "org")
    (tmp_path / "org" / "projects").mkdir()
    inside = tmp_path / "org" / "projects" / "draft.beancount"
    outside = tmp_path / "fixtures" / "sample.beancount"
    outside.parent.mkdir()
    for path in (inside, outside):
        path.write_text("; 草稿\n", encoding="utf-8")
    loaded = {os.path.normpath(p) for p in check_file(main).options["include"]}
    staged = [str(inside), str(outside), str(main)]
    assert orphans(staged, loaded, [str(main)]) == [str(inside)]


@slow
def test_adopting_a_legacy_ledger_with_a_baseline_in_the_hook(tmp_path: Path) -> None:
    """Old findings are accepted by the baseline; lines above them move; a new one is refused."""
    env = clean_env(tmp_path)
    org = tmp_path / "org"
    main = scaffold(org, hook="system")
    fund = org / "funds" / "ZH.beancount"
    legacy = WEALTH_PRODUCT.replace("ZY27", "ZH").replace("Z支出户", "J基本户")
    with fund.open("a", encoding="utf-8") as handle:
        handle.write(legacy)
    written = hz("baseline", org / "hzledger-baseline.json", main)
    assert written.returncode == 0, written.stderr
    config_path = org / ".pre-commit-config.yaml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["repos"][0]["hooks"][0]["args"] = ["--baseline", "hzledger-baseline.json"]
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    git(org, env, "init", "-q")
    assert run(PRE_COMMIT, "install", cwd=org, env=env).returncode == 0
    ok, out = commit(org, env, "接手历史账本", ".")
    assert ok, out

    # Lines above the old findings move: still accepted.
    text = fund.read_text(encoding="utf-8")
    fund.write_text(
        text.replace("; 资产（第二十八条", "; 2026年接手时补记的说明。\n\n; 资产（第二十八条", 1),
        encoding="utf-8",
    )
    ok, out = commit(org, env, "补注释", "funds/ZH.beancount")
    assert ok, out

    # A new purchase of the same product on another day is a new finding.
    with fund.open("a", encoding="utf-8") as handle:
        handle.write(legacy.split("\n", 3)[3].replace("2026-12-10", "2026-12-20"))
    ok, out = commit(org, env, "再买理财", "funds/ZH.beancount")
    assert not ok
    assert "违反第二十八条" in out
    assert out.count("HZ-A28") == 1, "only the new purchase is reported"
    assert head_count(org, env) == 2


# --- The hook as a new organisation gets it: `hzledger init`, then pre-commit installs SPEC. ---
# Nothing here is `language: system`: pre-commit builds its own environment from the generated
# configuration (pip, with the local wheel cache), and the commits run with our virtualenv off
# PATH, so the hzledger that checks them can only be the one the configuration installed.


def _isolated_env(home: Path) -> dict[str, str]:
    env = clean_env(home)
    # pip would byte-compile all of Fava and Beancount into pre-commit's environment; Python
    # compiles what it imports anyway, and the install is most of these tests' time.
    env["PIP_NO_COMPILE"] = "1"
    env["PATH"] = os.pathsep.join(
        p for p in env["PATH"].split(os.pathsep) if Path(p).resolve() != BIN.resolve()
    )
    return env


def _new_organisation(tmp_path: Path, *source: str) -> tuple[Path, dict[str, str], str]:
    org = tmp_path / "org"
    made = hz("init", org, "--title", TITLE, "--date", "2026-01-01", *source)
    assert made.returncode == 0, made.stderr
    project = hz(
        "new-project", org, "ZY27", "--name", "在职职工住院医疗互助保障计划（2027）",
        "--start", "2027-01-01", "--end", "2027-12-31", "--filing", "示工资备〔2026〕21号",
        "--filed", "2026-11-20",
    )  # fmt: skip
    assert project.returncode == 0, project.stderr
    env = _isolated_env(tmp_path)
    installed = run(PRE_COMMIT, "install", cwd=org, env=env)
    assert installed.returncode == 0, installed.stderr
    return org, env, (org / ".pre-commit-config.yaml").read_text(encoding="utf-8")


def _refuses_wealth_product_accepts_dues(org: Path, env: dict[str, str]) -> None:
    ok, out = commit(org, env, "建账", ".")
    assert ok, out
    assert "Passed" in out
    fragment = org / "projects" / "ZY27.beancount"
    with fragment.open("a", encoding="utf-8") as handle:
        handle.write(WEALTH_PRODUCT)
    ok, out = commit(org, env, "购买理财产品", "projects/ZY27.beancount")
    assert not ok, out
    assert "HZ-A28" in out and "第二十八条" in out
    assert head_count(org, env) == 1, "the purchase was refused"

    git(org, env, "checkout", "HEAD", "--", "projects/ZY27.beancount")
    with fragment.open("a", encoding="utf-8") as handle:
        handle.write(DUES)
    ok, out = commit(org, env, "会费", "projects/ZY27.beancount")
    assert ok, out
    assert head_count(org, env) == 2


@slow
def test_generated_hook_installs_a_wheel_of_this_checkout(
    tmp_path: Path, built_wheel: BuiltWheel
) -> None:
    org, env, config = _new_organisation(tmp_path, "--source", str(built_wheel.path))
    spec = f"hzledger @ {built_wheel.path.resolve().as_uri()}"
    (repo,) = yaml.safe_load(config)["repos"]
    assert repo["hooks"][0]["additional_dependencies"] == [spec]
    _refuses_wealth_product_accepts_dues(org, env)


@slow
def test_generated_hook_in_repo_rev_form_from_a_file_url_clone(tmp_path: Path) -> None:
    if run("git", "-C", REPO, "rev-parse", "HEAD").returncode != 0:
        pytest.skip("the checkout is not a git repository (e.g. an unpacked sdist)")
    env = clean_env(tmp_path)
    clone = tmp_path / "hzledger-clone"
    cloned = run("git", "clone", "-q", "--no-hardlinks", REPO.as_uri(), clone, env=env)
    assert cloned.returncode == 0, cloned.stderr
    rev = git(clone, env, "rev-parse", "HEAD").strip()
    source = f"hzledger @ git+{clone.as_uri()}@{rev}"
    org, env, config = _new_organisation(tmp_path, "--source", source)
    (repo,) = yaml.safe_load(config)["repos"]
    assert (repo["repo"], repo["rev"]) == (clone.as_uri(), rev), "the standard repo/rev form"
    assert [h["id"] for h in repo["hooks"]] == ["hzledger-check"]
    workflow = (org / ".github" / "workflows" / "hzledger.yml").read_text(encoding="utf-8")
    assert f"pip install '{source}'" in workflow, "CI installs the same commit"
    _refuses_wealth_product_accepts_dues(org, env)


@slow
def test_generated_hook_without_source_uses_where_hzledger_came_from(tmp_path: Path) -> None:
    """The tests run from an editable install; PEP 610 names its folder, pre-commit builds it."""
    org, env, config = _new_organisation(tmp_path)
    (repo,) = yaml.safe_load(config)["repos"]
    assert repo["hooks"][0]["additional_dependencies"] == [installed_source().requirement]
    _refuses_wealth_product_accepts_dues(org, env)
