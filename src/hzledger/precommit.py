"""Which ledgers the pre-commit hook checks.

A staged fragment (`projects/ZY25.beancount`) means nothing on its own: its accounts, funds and
policies are declared elsewhere. So the hook checks the organisation's top-level ledgers, by
default every tracked or staged `main.beancount` in the repository, whatever was staged.
"""

from __future__ import annotations

import os
import shutil
import subprocess

from hzledger.messages import BilingualError

DEFAULT_NAME = "main.beancount"


class PrecommitError(BilingualError):
    """git could not tell which ledgers are staged."""


def top_level_ledgers(name: str = DEFAULT_NAME) -> list[str]:
    """Every `name` in the git index under the current directory, as paths relative to it."""
    git = shutil.which("git")
    if git is None:
        raise PrecommitError(
            "未找到 git；请在钩子 args 中列出要检查的顶层账本",
            "git not found; list the top-level ledgers in the hook's args",
        )
    listed = subprocess.run(
        [git, "ls-files", "-z", "--cached", "--", f":(glob)**/{name}"],
        capture_output=True,
        check=False,
    )
    if listed.returncode != 0:
        raise PrecommitError(
            f"无法列出 git 仓库中的文件：{listed.stderr.decode(errors='replace').strip()}",
            f"cannot list the repository's files: {listed.stderr.decode(errors='replace').strip()}",
        )
    found = sorted(
        {p for p in listed.stdout.decode("utf-8").split("\0") if p and os.path.isfile(p)}
    )
    if not found:
        raise PrecommitError(
            f"仓库中没有 {name}；请在 .pre-commit-config.yaml 的钩子 args 中列出顶层账本，"
            "例如 args: [ledgers/shiyan/main.beancount]",
            f"no {name} in the repository; list the top-level ledgers in the hook's args, "
            "e.g. args: [ledgers/shiyan/main.beancount]",
        )
    return found


def staged_ledger_files() -> list[str]:
    """Staged (added, copied, modified, renamed) Beancount files, relative to the current directory.

    Empty outside a repository or when nothing is staged (`pre-commit run --all-files`).
    """
    git = shutil.which("git")
    if git is None:
        return []
    listed = subprocess.run(
        [git, "diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR", "--relative"],
        capture_output=True,
        check=False,
    )
    if listed.returncode != 0:
        return []
    names = listed.stdout.decode("utf-8").split("\0")
    return sorted(n for n in names if n.endswith((".beancount", ".bean")) and os.path.isfile(n))


def orphans(staged: list[str], loaded: set[str], ledgers: list[str]) -> list[str]:
    """Staged ledger files in a checked ledger's folder that no checked ledger includes.

    Nothing would check their entries. Files outside every checked ledger's folder (test data,
    archives kept elsewhere) are none of the hook's business.
    """
    roots = [os.path.dirname(os.path.abspath(ledger)) for ledger in ledgers]
    lost = []
    for name in staged:
        path = os.path.normpath(os.path.abspath(name))
        if path in loaded:
            continue
        if any(os.path.commonpath([root, path]) == root for root in roots):
            lost.append(name)
    return lost
