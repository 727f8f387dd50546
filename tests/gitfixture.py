"""A real git repository whose ledger history has a violation committed and later fixed.

Used by the `hzledger history` tests and the 整改跟踪 page tests (a module of its own with
a unique name: several test folders have a conftest).

    commit 0  赵敏  建账                    the spec's clean example organisation
    commit A  钱伟  购买理财产品             a wealth-product account and purchase: HZ-A28 ×2
    commit U  赵敏  补充文档说明             unrelated: documents/README.md only
    commit B  赵敏  整改：撤销理财产品        the purchase and the account removed
    commit C  孙丽  收到利息直接支付办公费    坐支 (HZ-A29), still there at HEAD
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from hztest import SPEC_EXAMPLE

WEALTH = """
2025-05-01 open Assets:ZH:1101短期投资:L理财产品 CNY
  kind: "wealth-product"

2025-05-10 * "某银行" "购买理财产品"
  prepared-by: "钱伟"
  approved-by: "赵敏"
  Assets:ZH:1101短期投资:L理财产品  50000.00 CNY
  Assets:ZH:1002银行存款:J基本户
"""

SITTING = """
2025-07-01 * "收到利息并直接支付办公费（坐支）"
  Income:ZH:4601利息收入  -200.00 CNY
  Expenses:ZH:5201管理费用:B办公费  200.00 CNY
"""

AUTHORS = {
    "赵敏": "zhaomin@example.org",
    "钱伟": "qianwei@example.org",
    "孙丽": "sunli@example.org",
}


def git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["GIT_CONFIG_NOSYSTEM"] = "1"
    env["GIT_CONFIG_GLOBAL"] = os.devnull
    return env


def git(repo: Path, *args: str, author: str = "赵敏", date: str | None = None) -> str:
    env = git_env()
    env.update(
        GIT_AUTHOR_NAME=author,
        GIT_AUTHOR_EMAIL=AUTHORS[author],
        GIT_COMMITTER_NAME=author,
        GIT_COMMITTER_EMAIL=AUTHORS[author],
    )
    if date is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    result = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@dataclass
class Fixture:
    repo: Path
    main: Path
    commits: dict[str, str]  # "0", "A", "U", "B", "C" -> full sha


def commit(repo: Path, message: str, author: str, date: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, author=author, date=date)
    return git(repo, "rev-parse", "HEAD")


def make_history_repo(base: Path, folder: str = "xicheng") -> Fixture:
    """The repository above, the organisation in `base/<folder>`; other files at the top."""
    repo = base
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    org = repo / folder
    shutil.copytree(SPEC_EXAMPLE, org)
    for path in org.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    (repo / "README.md").write_text("账本仓库\n", encoding="utf-8")
    zh = org / "funds" / "ZH.beancount"
    clean = zh.read_text(encoding="utf-8")
    commits = {"0": commit(repo, "建账", "赵敏", "2026-01-05T09:00:00+08:00")}
    zh.write_text(clean + WEALTH, encoding="utf-8")
    commits["A"] = commit(repo, "购买理财产品", "钱伟", "2026-02-02T10:00:00+08:00")
    readme = org / "documents" / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\n补充说明。\n", encoding="utf-8")
    commits["U"] = commit(repo, "补充文档说明", "赵敏", "2026-02-10T11:00:00+08:00")
    zh.write_text(clean, encoding="utf-8")
    commits["B"] = commit(repo, "整改：撤销理财产品", "赵敏", "2026-03-02T15:00:00+08:00")
    zh.write_text(clean + SITTING, encoding="utf-8")
    commits["C"] = commit(repo, "收到利息直接支付办公费", "孙丽", "2026-03-20T16:00:00+08:00")
    # A commit outside the organisation's folder: not part of its history.
    (repo / "README.md").write_text("账本仓库（说明）\n", encoding="utf-8")
    commit(repo, "仓库说明", "赵敏", "2026-03-25T09:00:00+08:00")
    return Fixture(repo=repo, main=org / "main.beancount", commits=commits)
