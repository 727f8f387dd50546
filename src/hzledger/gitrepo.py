"""Read-only access to the git repository a ledger lives in, through the git CLI.

Why the git CLI and not a library (pygit2, dulwich): the accountants' machines and CI
runners already have git (the pre-commit hook needs it), so it adds no dependency and no
compiled wheel; its plumbing (`rev-parse`, `log --format`, `cat-file --batch-check`,
`archive`) is a stable, documented interface; and it reads every repository git itself
can (packs, worktrees, partial clones, `safe.directory`), which a second implementation
might not. We run a handful of processes per history, not one per file.

Nothing here writes to the repository.
"""

from __future__ import annotations

import datetime
import io
import os
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from hzledger.messages import BilingualError

# Variables a git hook exports; they would point our commands at another repository.
_GIT_ENV = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_PREFIX")
_FIELD = "\x1f"
_RECORD = "\x1e"


class GitError(BilingualError):
    """git could not answer; `zh`/`en` say why in one line."""


class NotInGit(GitError):
    """The ledger's folder is not inside a git work tree."""


class CommitInfo(BaseModel):
    """One commit as supervisors see it: who changed the ledger, when, and why."""

    sha: str
    short: str
    date: datetime.datetime
    author: str
    email: str
    subject: str


@dataclass(frozen=True)
class Repo:
    """A ledger's place in its repository: the work tree and the org folder within it."""

    root: Path
    prefix: str  # the org folder relative to root, posix, "" at the top

    def git(self, *args: str, stdin: str | None = None) -> bytes:
        return _run(self.root, args, stdin)

    def head(self) -> str | None:
        """The commit HEAD points at, or None in a repository without commits."""
        try:
            return self.git("rev-parse", "--verify", "-q", "HEAD^{commit}").decode().strip()
        except GitError:
            return None

    def commits(self, *, since: datetime.date | None, limit: int) -> tuple[list[CommitInfo], bool]:
        """Commits of the main line touching the org folder, newest first, and whether older
        ones were left out (by `limit` or `since`).
        """
        if self.head() is None:
            return [], False
        fmt = _FIELD.join(("%H", "%h", "%aI", "%an", "%ae", "%s")) + _RECORD
        args = ["log", "--first-parent", f"--format={fmt}", f"--max-count={limit + 1}"]
        if since is not None:
            args.append(f"--since={since.isoformat()} 00:00:00")
        out = self.git(*args, "HEAD", "--", self._pathspec()).decode("utf-8", "replace")
        found = [_commit(rec) for rec in out.split(_RECORD) if rec.strip()]
        truncated = len(found) > limit
        found = found[:limit]
        if not truncated and since is not None:
            older = self.git(
                "log",
                "--first-parent",
                "--format=%H",
                "--max-count=1",
                f"--until={since.isoformat()} 00:00:00",
                "HEAD",
                "--",
                self._pathspec(),
            )
            truncated = bool(older.strip())
        return found, truncated

    def trees(self, shas: list[str]) -> dict[str, str | None]:
        """The org folder's tree id at each commit (None where the folder did not exist).

        A tree id is a hash of the folder's whole content: equal ids, equal ledgers.
        """
        if not shas:
            return {}
        spec = [f"{sha}:{self.prefix}" if self.prefix else f"{sha}^{{tree}}" for sha in shas]
        out = self.git("cat-file", "--batch-check", stdin="\n".join(spec) + "\n").decode()
        result: dict[str, str | None] = {}
        for sha, line in zip(shas, out.splitlines(), strict=True):
            parts = line.split()
            result[sha] = parts[0] if len(parts) == 3 and parts[1] == "tree" else None
        return result

    def materialise(self, sha: str, target: Path) -> Path:
        """Write the org folder as it was at `sha` into `target`; returns the folder there."""
        args = ["archive", "--format=tar", sha]
        if self.prefix:
            args += ["--", self.prefix]
        data = self.git(*args)
        with tarfile.open(fileobj=io.BytesIO(data)) as archive:
            # "data": no absolute paths, no links out of target, no device files.
            archive.extractall(target, filter="data")
        return target / self.prefix if self.prefix else target

    def _pathspec(self) -> str:
        return f":(top){self.prefix}"


def locate(folder: Path) -> Repo:
    """The repository holding `folder`; NotInGit when there is none."""
    try:
        out = _run(folder, ("rev-parse", "--show-toplevel", "--show-prefix"), None)
    except GitError as exc:
        if "not a git repository" in exc.en.lower():
            raise NotInGit(
                f"{folder} 不在 git 仓库中，没有提交历史可查（请在账本仓库中运行，或先 git init 并提交）",
                f"{folder} is not in a git repository: there is no commit history to follow",
            ) from None
        raise
    lines = out.decode("utf-8", "replace").splitlines()
    root = Path(lines[0])
    prefix = lines[1].strip().rstrip("/") if len(lines) > 1 else ""
    return Repo(root=root, prefix=prefix)


def _commit(record: str) -> CommitInfo:
    sha, short, date, author, email, subject = record.strip("\n").split(_FIELD)
    return CommitInfo(
        sha=sha,
        short=short,
        date=datetime.datetime.fromisoformat(date),
        author=author,
        email=email,
        subject=subject,
    )


def _run(cwd: Path, args: tuple[str, ...] | list[str], stdin: str | None) -> bytes:
    env = {k: v for k, v in os.environ.items() if k not in _GIT_ENV}
    env["LC_ALL"] = "C"
    try:
        proc = subprocess.run(
            # The user's git, found on PATH as they run it themselves.
            ["git", "-c", "core.quotepath=off", *args],  # noqa: S607
            cwd=cwd,
            input=stdin.encode() if stdin is not None else None,
            capture_output=True,
            env=env,
            check=False,
        )
    except FileNotFoundError:
        raise GitError(
            "找不到 git 命令：请安装 git 后再查看提交历史", "git is not installed"
        ) from None
    except NotADirectoryError:
        raise GitError(f"目录不存在：{cwd}", f"no such directory: {cwd}") from None
    if proc.returncode != 0:
        lines = [x.strip() for x in proc.stderr.decode("utf-8", "replace").splitlines()]
        # git ends some errors with hints; the line that says what went wrong comes first.
        said = [x for x in lines if x.startswith(("fatal:", "error:"))] or lines
        reason = said[0] if said else f"exit {proc.returncode}"
        raise GitError(f"git {args[0]} 失败：{reason}", f"git {args[0]} failed: {reason}")
    return proc.stdout
