"""Findings history (art. 36: supervisors order corrections and follow them up).

For a ledger in a git repository, every commit of the main line that touched the
organisation's folder is checked with the same engine as `hzledger check`, and the
findings are matched across commits by the identity baselines use (rule + content key,
never the line). From that sequence come, for each finding at HEAD, the commit that
introduced it and how long it has stood; the findings fixed in the window and the commit
that fixed them; and the error and warning counts per commit.

Each commit's check is cached by the git tree id of the org folder (a hash of its whole
content), hzledger's own code fingerprint and the rules' inputs, so a commit already
checked costs one small file read and no checkout. `hzledger history` and the service's
整改跟踪 page both call `build_history`: one computation.
"""

from __future__ import annotations

import datetime
import hashlib
import multiprocessing
import os
import tempfile
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from hzledger.baseline import Identity, identity
from hzledger.cache import ResultCache, cache_dir, code_fingerprint
from hzledger.findings import Finding
from hzledger.fsio import write_text_atomic
from hzledger.gitrepo import CommitInfo, Repo, locate
from hzledger.result import CheckResult

CACHE_FORMAT = "history-1"
DEFAULT_MAX_COMMITS = 200
_KEEP = 4096

Status = Literal["checked", "absent", "failed"]


class CommitCheck(BaseModel):
    """One commit's check: its counts and findings (paths relative to the org folder)."""

    commit: CommitInfo
    status: Status
    errors: int = 0
    warnings: int = 0
    cached: bool = False
    failure: str | None = None
    findings: list[Finding] = []


class CommitPoint(BaseModel):
    """One point of the errors/warnings series (oldest first)."""

    commit: CommitInfo
    status: Status
    errors: int
    warnings: int
    cached: bool


class CurrentFinding(BaseModel):
    """A finding still in the ledger, with the commit that introduced it."""

    finding: Finding
    # None only when the finding was already there in the oldest commit of a truncated
    # window: then it was introduced at or before `since_at_least`.
    introduced: CommitInfo | None
    since_at_least: CommitInfo
    days_standing: int


class FixedFinding(BaseModel):
    """A finding that was fixed, with the commits that introduced and fixed it."""

    finding: Finding
    introduced: CommitInfo | None
    since_at_least: CommitInfo
    fixed: CommitInfo
    days_open: int


class History(BaseModel):
    """Everything `hzledger history` prints and the 整改跟踪 page shows."""

    ledger: str
    repository: str
    folder: str
    latest: str | None  # the newest commit in the window: what "current" refers to
    since: datetime.date | None
    max_commits: int
    truncated: bool
    computed_on: datetime.date
    commits: list[CommitPoint]
    current: list[CurrentFinding]
    fixed: list[FixedFinding]


# -- checking one commit --------------------------------------------------------------------


def _tree_cache_path(tree: str, main_rel: str) -> Path:
    key = hashlib.sha256(
        f"{CACHE_FORMAT}|{code_fingerprint()}|{tree}|{main_rel}".encode()
    ).hexdigest()
    return cache_dir() / "history" / f"{key}.json"


def _cached(tree: str | None, main_rel: str) -> CheckResult | None:
    if tree is None:
        return None
    try:
        return CheckResult.model_validate_json(_tree_cache_path(tree, main_rel).read_bytes())
    except (OSError, ValueError):
        return None


def _store(tree: str, main_rel: str, summary: CheckResult) -> None:
    path = _tree_cache_path(tree, main_rel)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, summary.model_dump_json(), durable=False)
        entries = sorted(path.parent.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[_KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        return  # an unwritable cache only makes the next run slower


def _relocate(finding: Finding, folder: Path) -> Finding:
    """Paths relative to the org folder, in the finding and in its key and messages, so the
    same problem has the same identity whichever temporary folder it was checked in.
    """
    prefix = str(folder) + os.sep
    file = finding.file
    if file and not file.startswith("<"):
        try:
            rel = os.path.relpath(file, folder)
            file = Path(rel).as_posix() if not rel.startswith("..") else file
        except ValueError:
            pass

    def clean(text: str) -> str:
        return text.replace(prefix, "").replace(str(folder), ".")

    return finding.model_copy(
        update={
            "file": file,
            "key": clean(finding.key),
            "message": clean(finding.message),
            "message_en": clean(finding.message_en),
        }
    )


def check_commit(
    repo: Repo, commit: CommitInfo, tree: str | None, main_rel: str, keep: bool = True
) -> CommitCheck:
    """Check the ledger as it was at `commit` (in a temporary folder, removed afterwards)."""
    if tree is None:
        return CommitCheck(commit=commit, status="absent")
    from hzledger.check import check_file  # Beancount and the rules: only on a cache miss

    with tempfile.TemporaryDirectory(prefix="hzledger-history-") as tmp:
        try:
            folder = repo.materialise(commit.sha, Path(tmp)).resolve()
            main = folder / main_rel
            if not main.is_file():
                return CommitCheck(commit=commit, status="absent")
            store = ResultCache(main, None)
            checked = check_file(main)
        except Exception as exc:  # one broken commit must not end the whole history
            return CommitCheck(
                commit=commit, status="failed", failure=f"{type(exc).__name__}: {exc}"
            )
        loaded = {os.path.normpath(f) for f in checked.options.get("include") or ()}
        findings = [_relocate(f, folder) for f in checked.findings]
        summary = checked.result(
            files=sorted(Path(os.path.relpath(f, folder)).as_posix() for f in loaded)
        ).model_copy(update={"findings": findings})
        # Cache by tree only when the tree decides the result: every loaded file inside it,
        # nothing `hzledger check`'s own cache would refuse (foreign plugins, pythonpath).
        if keep and store.key is not None and loaded == store.files:
            _store(tree, main_rel, summary)
    return _from_summary(commit, summary, cached=False)


def _from_summary(commit: CommitInfo, summary: CheckResult, *, cached: bool) -> CommitCheck:
    return CommitCheck(
        commit=commit,
        status="checked",
        errors=summary.errors,
        warnings=summary.warnings,
        cached=cached,
        findings=summary.findings,
    )


def _check_job(job: tuple[Repo, CommitInfo, str | None, str, bool]) -> CommitCheck:
    return check_commit(*job)


def check_commits(
    repo: Repo,
    commits: list[CommitInfo],
    main_rel: str,
    *,
    use_cache: bool = True,
    jobs: int = 1,
) -> list[CommitCheck]:
    """Each commit's check, in the order given: from the cache where possible, the rest in
    `jobs` worker processes (Beancount's load is CPU-bound; threads would not help).
    """
    trees = repo.trees([c.sha for c in commits])
    results: dict[str, CommitCheck] = {}
    todo: list[tuple[Repo, CommitInfo, str | None, str, bool]] = []
    same: dict[str, list[CommitInfo]] = {}  # a tree seen again (a revert): checked once
    for commit in commits:
        tree = trees.get(commit.sha)
        hit = _cached(tree, main_rel) if use_cache else None
        if hit is not None:
            results[commit.sha] = _from_summary(commit, hit, cached=True)
        elif tree is not None and tree in same:
            same[tree].append(commit)
        else:
            if tree is not None:
                same[tree] = []
            todo.append((repo, commit, tree, main_rel, use_cache))
    if jobs > 1 and len(todo) > 1:
        # "spawn": forking a threaded process (the web service) can deadlock the child.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            for done in pool.map(_check_job, todo):
                results[done.commit.sha] = done
    else:
        for job in todo:
            done = _check_job(job)
            results[done.commit.sha] = done
    for tree, later in same.items():
        first = next(r for r in results.values() if trees.get(r.commit.sha) == tree)
        for commit in later:
            results[commit.sha] = first.model_copy(update={"commit": commit, "cached": True})
    return [results[c.sha] for c in commits]


# -- matching findings across commits -------------------------------------------------------


def _days(start: datetime.datetime, end: datetime.date) -> int:
    return max(0, (end - start.date()).days)


def match(
    checks: list[CommitCheck], *, truncated: bool, today: datetime.date
) -> tuple[list[CurrentFinding], list[FixedFinding]]:
    """Follow each finding identity through the commits (oldest first).

    A finding present in the oldest commit of a truncated window was introduced at or before
    it (`introduced` is None). Identical findings are counted, as baselines count them; when
    their number drops, the most recently introduced one counts as fixed. A commit whose check
    failed says nothing either way and is skipped.
    """
    usable = [c for c in checks if c.status != "failed"]
    if not usable:
        return [], []
    open_: dict[Identity, list[tuple[CommitInfo | None, CommitInfo]]] = {}
    fixed: list[FixedFinding] = []
    previous: Counter[Identity] = Counter()
    previous_findings: dict[Identity, Finding] = {}
    for index, check in enumerate(usable):
        counts = Counter(identity(f) for f in check.findings)
        for ident in counts.keys() | previous.keys():
            before, now = previous[ident], counts[ident]
            stack = open_.setdefault(ident, [])
            for _ in range(now - before):
                known = index > 0 or not truncated
                stack.append((check.commit if known else None, check.commit))
            for _ in range(before - now):
                introduced, since = stack.pop()
                fixed.append(
                    FixedFinding(
                        finding=previous_findings[ident],
                        introduced=introduced,
                        since_at_least=since,
                        fixed=check.commit,
                        days_open=(check.commit.date.date() - since.date.date()).days,
                    )
                )
        previous = counts
        previous_findings = {identity(f): f for f in check.findings}
    current: list[CurrentFinding] = []
    taken: Counter[Identity] = Counter()
    for finding in sorted(usable[-1].findings, key=Finding.sort_key):
        ident = identity(finding)
        introduced, since = open_[ident][taken[ident]]
        taken[ident] += 1
        current.append(
            CurrentFinding(
                finding=finding,
                introduced=introduced,
                since_at_least=since,
                days_standing=_days(since.date, today),
            )
        )
    fixed.sort(key=lambda f: (f.fixed.date, f.finding.sort_key()), reverse=True)
    return current, fixed


# -- the whole history ----------------------------------------------------------------------


def build_history(
    ledger: str | Path,
    *,
    since: datetime.date | None = None,
    max_commits: int = DEFAULT_MAX_COMMITS,
    use_cache: bool = True,
    jobs: int = 1,
    today: datetime.date | None = None,
) -> History:
    """The findings history of the ledger file `ledger` (its folder is the organisation).

    Raises `hzledger.gitrepo.NotInGit` when the folder is not in a git work tree and
    `GitError` when git cannot answer.
    """
    main = Path(ledger).resolve()
    repo = locate(main.parent)
    main_rel = main.name
    newest_first, truncated = repo.commits(since=since, limit=max_commits)
    commits = list(reversed(newest_first))
    checks = check_commits(repo, commits, main_rel, use_cache=use_cache, jobs=jobs)
    day = today or datetime.date.today()
    current, fixed = match(checks, truncated=truncated, today=day)
    return History(
        ledger=str(ledger),
        repository=str(repo.root),
        folder=repo.prefix,
        latest=newest_first[0].sha if newest_first else None,
        since=since,
        max_commits=max_commits,
        truncated=truncated,
        computed_on=day,
        commits=[
            CommitPoint(
                commit=c.commit,
                status=c.status,
                errors=c.errors,
                warnings=c.warnings,
                cached=c.cached,
            )
            for c in checks
        ],
        current=current,
        fixed=fixed,
    )
