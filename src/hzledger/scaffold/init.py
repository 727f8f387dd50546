"""`hzledger init`: a ready organisation repository (LEDGER-SPEC §1) that checks clean."""

from __future__ import annotations

import datetime
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from hzledger import __version__
from hzledger.model import FUND_CODE_RE
from hzledger.scaffold import ScaffoldError
from hzledger.scaffold.fsutil import FileBatch
from hzledger.scaffold.render import check_text, render

HookKind = Literal["pypi", "system", "git"]
LEDGER = "main.beancount"


@dataclass(frozen=True)
class InitOptions:
    title: str
    date: datetime.date
    level: Literal["city", "province"] = "city"
    parent: str | None = None
    fund_code: str = "ZH"
    fund_name: str = "综合管理基金"
    hook: HookKind = "pypi"
    hook_repo: str | None = None
    hook_rev: str | None = None


def requirement() -> str:
    """The pinned requirement CI and the hook install: same version as the one scaffolding."""
    return f"hzledger=={__version__}"


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
    )


def plan(directory: Path, opts: InitOptions) -> FileBatch:
    """Every file `init` writes, rendered; nothing touches the disk yet."""
    opts = validate(opts)
    context = {
        "title": opts.title,
        "level": opts.level,
        "parent": opts.parent,
        "fund_code": opts.fund_code,
        "fund_name": opts.fund_name,
        "date": opts.date.isoformat(),
        "year": opts.date.year,
        "requirement": requirement(),
        "ledgers": LEDGER,
        "hook": opts.hook,
        "hook_repo": opts.hook_repo,
        "hook_rev": opts.hook_rev,
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
        batch.create(directory / name, render(template, **context))
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
