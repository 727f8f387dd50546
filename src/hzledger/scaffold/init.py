"""`hzledger init`: a ready organisation repository (LEDGER-SPEC §1) that checks clean."""

from __future__ import annotations

import datetime
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml

from hzledger.model import FUND_CODE_RE
from hzledger.scaffold import ScaffoldError
from hzledger.scaffold.fsutil import FileBatch
from hzledger.scaffold.render import check_text, render
from hzledger.scaffold.source import (
    Source,
    check_repo,
    check_rev,
    git_source,
    installed_source,
    parse_source,
)

# auto: the `repo:`/`rev:` form when the source is a pinned git URL, else python.
# pypi is the older name of python (an isolated environment with SPEC installed).
HookKind = Literal["auto", "python", "pypi", "system", "git"]
LEDGER = "main.beancount"
YAML_FILES = (".pre-commit-config.yaml", ".github/workflows/hzledger.yml", ".gitlab-ci.yml")


@dataclass(frozen=True)
class InitOptions:
    """What `hzledger init` was asked for."""

    title: str
    date: datetime.date
    level: Literal["city", "province"] = "city"
    parent: str | None = None
    fund_code: str = "ZH"
    fund_name: str = "综合管理基金"
    hook: HookKind = "auto"
    hook_repo: str | None = None
    hook_rev: str | None = None
    source: str | None = None  # a pip requirement; None: where the running hzledger came from


def resolve_source(opts: InitOptions) -> tuple[Source, str]:
    """The one SPEC that hook, GitHub and GitLab install, and the hook form that installs it."""
    repo = check_repo(opts.hook_repo) if opts.hook_repo is not None else None
    rev = check_rev(opts.hook_rev) if opts.hook_rev is not None else None
    if (repo is None) != (rev is None):
        raise ScaffoldError(
            "--hook-repo（hzledger 仓库地址）与 --hook-rev（版本标签或提交）须同时给出",
            "--hook-repo (hzledger's repository) and --hook-rev (a tag or commit) go together",
        )
    if repo is not None and opts.source is not None:
        raise ScaffoldError(
            "--source 与 --hook-repo/--hook-rev 只能给出一种：二者都决定安装哪个 hzledger",
            "give either --source or --hook-repo/--hook-rev: both say which hzledger to install",
        )
    if repo is not None and rev is not None:
        source = git_source(repo, rev)
    elif opts.source is not None:
        source = parse_source(opts.source)
    else:
        source = installed_source()
    hook = "python" if opts.hook == "pypi" else opts.hook
    if hook == "auto":
        hook = "git" if source.is_git else "python"
    if hook == "git" and not source.is_git:
        raise ScaffoldError(
            f"--hook git 需要固定到某个版本的 git 地址：用 --hook-repo 与 --hook-rev，"
            f"或 --source 'hzledger @ git+https://…@v0.2.0'（当前来源：{source.requirement}）",
            f"--hook git needs a git URL pinned to a revision: --hook-repo and --hook-rev, or "
            f"--source 'hzledger @ git+https://…@v0.2.0' (current source: {source.requirement})",
        )
    if source.git_repo is not None:
        check_repo(source.git_repo)
    if source.git_rev is not None:
        check_rev(source.git_rev)
    return source, hook


def _scalars(node: object) -> set[str]:
    if isinstance(node, dict):
        return {s for k, v in node.items() for s in _scalars(k) | _scalars(v)}
    if isinstance(node, list):
        return {s for item in node for s in _scalars(item)}
    return {str(node)}


def verify_yaml(name: str, text: str, values: list[str]) -> None:
    """Last guard: the file parses and every value we put in comes back whole, as one scalar."""
    try:
        scalars = _scalars(yaml.safe_load(text))
    except yaml.YAMLError as exc:
        raise ScaffoldError(
            f"生成的 {name} 不是合法的 YAML，未写入任何文件：{exc}",
            f"the generated {name} is not valid YAML; nothing written: {exc}",
        ) from None
    missing = [v for v in values if not any(v in s for s in scalars)]
    if missing:
        raise ScaffoldError(
            f"生成的 {name} 未能原样保存这些值，未写入任何文件：{'、'.join(missing)}",
            f"the generated {name} does not keep these values intact; nothing written: {missing}",
        )


def validate(opts: InitOptions) -> InitOptions:
    title = check_text(opts.title, "组织名称（--title）", "title (--title)")
    parent = (
        check_text(opts.parent, "上级工会（--parent）", "parent (--parent)")
        if opts.parent
        else None
    )
    fund_name = check_text(opts.fund_name, "基金名称（--fund-name）", "fund name (--fund-name)")
    if not FUND_CODE_RE.fullmatch(opts.fund_code):
        raise ScaffoldError(
            f"基金代码 {opts.fund_code!r} 不合格式：应为大写字母开头、最多16位的大写字母或数字",
            f"fund code {opts.fund_code!r} is malformed: expected [A-Z][A-Z0-9]{{0,15}}",
        )
    if opts.hook == "git" and not (opts.hook_repo and opts.hook_rev):
        raise ScaffoldError(
            "--hook git 需要同时给出 --hook-repo（hzledger 仓库地址）和 --hook-rev（版本标签）",
            "--hook git needs both --hook-repo (hzledger's repository URL) and --hook-rev (a tag)",
        )
    return InitOptions(
        title=title,
        date=opts.date,
        level=opts.level,
        parent=parent,
        fund_code=opts.fund_code,
        fund_name=fund_name,
        hook=opts.hook,
        hook_repo=opts.hook_repo,
        hook_rev=opts.hook_rev,
        source=opts.source,
    )


def plan(directory: Path, opts: InitOptions) -> FileBatch:
    """Every file `init` writes, rendered; nothing touches the disk yet."""
    opts = validate(opts)
    source, hook = resolve_source(opts)
    context = {
        "title": opts.title,
        "level": opts.level,
        "parent": opts.parent,
        "fund_code": opts.fund_code,
        "fund_name": opts.fund_name,
        "date": opts.date.isoformat(),
        "year": opts.date.year,
        "requirement": source.requirement,
        "source_note": source.note(),
        "ledgers": LEDGER,
        "hook": hook,
        "hook_repo": source.git_repo,
        "hook_rev": source.git_rev,
    }
    files = {
        LEDGER: "main.beancount.j2",
        f"funds/{opts.fund_code}.beancount": "fund.beancount.j2",
        "decisions.beancount": "decisions.beancount.j2",
        "audits.beancount": "audits.beancount.j2",
        "documents/README.md": "documents-README.md.j2",
        ".pre-commit-config.yaml": "pre-commit-config.yaml.j2",
        ".github/workflows/hzledger.yml": "github-workflow.yml.j2",
        ".gitlab-ci.yml": "gitlab-ci.yml.j2",
        ".gitignore": "gitignore.j2",
        "README.md": "README.md.j2",
    }
    batch = FileBatch()
    for name, template in files.items():
        text = render(template, **context)
        if name in YAML_FILES:
            wanted = [source.requirement]
            if name == ".pre-commit-config.yaml":
                by_hook = {"git": [str(source.git_repo), str(source.git_rev)], "system": []}
                wanted = by_hook.get(hook, wanted)
            verify_yaml(name, text, wanted)
        batch.create(directory / name, text)
    return batch


def init_org(directory: Path, opts: InitOptions) -> list[Path]:
    if directory.exists() and not directory.is_dir():
        raise ScaffoldError(f"{directory} 不是目录", f"{directory} is not a directory")
    return plan(directory, opts).commit()


def repo_root(directory: Path) -> Path | None:
    """The top of the git work tree holding `directory`, if any."""
    git = shutil.which("git")
    if git is None:
        return None
    shown = subprocess.run(
        [git, "-C", str(directory), "rev-parse", "--show-toplevel"],
        capture_output=True,
        text=True,
        check=False,
    )
    return Path(shown.stdout.strip()) if shown.returncode == 0 and shown.stdout.strip() else None


def git_init(directory: Path) -> Path | None:
    """`git init` unless the directory is already in a work tree; the work tree's root, if any."""
    root = repo_root(directory)
    if root is not None:
        return root
    git = shutil.which("git")
    if git is None:
        return None
    made = subprocess.run([git, "init", "-q", str(directory)], capture_output=True, check=False)
    return directory if made.returncode == 0 else None
