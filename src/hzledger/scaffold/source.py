"""Where the ledger repository's hook and CI install hzledger from: one pip requirement (SPEC).

`hzledger init --source SPEC` names it; without it, it is where the running hzledger came from,
as pip recorded it (PEP 610 `direct_url.json`: a VCS URL and commit, a local directory, a wheel or
sdist), and only when there is no such record the index pin `hzledger==<version>`, with a comment
saying so. The pre-commit hook, the GitHub workflow and the GitLab job all install this same SPEC,
so a commit is checked by the same hzledger as CI checks it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from packaging.requirements import InvalidRequirement, Requirement

from hzledger import __version__
from hzledger.scaffold import ScaffoldError

NAME = "hzledger"
_ARCHIVES = (".whl", ".tar.gz", ".zip")
# A repository for pre-commit's `repo:` and pip's `git+`: a URL, an scp-like address or an
# absolute path, with none of the characters YAML, a shell or pip would read as syntax.
_REPO_RE = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*://|[A-Za-z0-9._-]+@|/)[A-Za-z0-9._~:/@%+=-]+")
# A git revision: a tag, branch or commit (git's ref-name rules, less what YAML could misread).
_REV_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/+-]{0,199}")


@dataclass(frozen=True)
class Source:
    """One pip requirement for hzledger, and what the generated files should say about it."""

    requirement: str
    origin: str  # "given", "local", "hook", "vcs", "dir", "archive" or "index"
    git_repo: str | None = None  # when it is a git URL: pre-commit's `repo:`
    git_rev: str | None = None  # and `rev:`

    @property
    def is_git(self) -> bool:
        return self.git_repo is not None and self.git_rev is not None

    def note(self, lang: str = "zh") -> str:
        """One line for the generated files' comments: where this SPEC came from."""
        zh, en = _NOTES[self.origin]
        return en if lang == "en" else zh


_NOTES = {
    "given": ("由 hzledger init --source 指定", "given to hzledger init --source"),
    "local": (
        "由 hzledger init --source 指定的本机路径；CI 运行器上没有这个路径，"
        "换一台机器时请改为 git 地址、wheel 网址或索引版本",
        "a local path given to hzledger init --source; CI runners do not have it, "
        "other machines need a git URL, a wheel URL or an index version",
    ),
    "hook": (
        "由 hzledger init --hook-repo/--hook-rev 指定",
        "given to hzledger init --hook-repo/--hook-rev",
    ),
    "vcs": (
        "建账时运行的 hzledger 从这个 git 地址和提交安装（PEP 610 direct_url.json）",
        "the hzledger that scaffolded this repository was installed from this git commit",
    ),
    "dir": (
        "建账时运行的 hzledger 从这个本地目录安装；换一台机器时请改为 git 地址、wheel 或索引版本",
        "the scaffolding hzledger was installed from this local folder; other machines need another source",
    ),
    "archive": (
        "建账时运行的 hzledger 从这个 wheel/源码包安装；换一台机器时请确认它仍可访问",
        "the scaffolding hzledger was installed from this wheel or sdist",
    ),
    "index": (
        "未找到本机 hzledger 的安装来源（无 PEP 610 direct_url.json），按软件包索引上的版本固定；"
        "若索引上没有这个版本，请用 hzledger init --source 重新指定（git 地址、wheel 或目录）",
        "no PEP 610 record of where hzledger came from, so the index version is pinned; "
        "if no index has it, re-run hzledger init --source",
    ),
}


def _refuse(what_zh: str, what_en: str, value: str, why_zh: str, why_en: str) -> ScaffoldError:
    return ScaffoldError(f"{what_zh} {value!r} 不可用：{why_zh}", f"{what_en} {value!r}: {why_en}")


def _one_line(value: str, what_zh: str, what_en: str) -> str:
    """No control characters (a newline would start new YAML), no surrounding blanks."""
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise _refuse(
            what_zh,
            what_en,
            value,
            "不能包含换行或控制字符（会被写进 YAML 配置）",
            "must not contain newlines or control characters (it is written into YAML)",
        )
    if "${" in value:
        # GitHub evaluates `${{ … }}` anywhere in a workflow (even inside `run:`), GitLab expands
        # `${VAR}` in a job's script: either would run the value as an expression, not install it.
        raise _refuse(
            what_zh,
            what_en,
            value,
            "不能包含 ${（GitHub/GitLab 会把它当作表达式或变量展开）",
            "must not contain '${' (GitHub and GitLab would expand it as an expression or variable)",
        )
    text = value.strip()
    if not text:
        raise ScaffoldError(f"{what_zh} 不能为空", f"{what_en} must not be empty")
    return text


def check_repo(value: str) -> str:
    text = _one_line(value, "--hook-repo", "--hook-repo")
    if not _REPO_RE.fullmatch(text):
        raise _refuse(
            "--hook-repo",
            "--hook-repo",
            text,
            "应为仓库地址（如 https://git.example.org/hzledger.git、git@host:hzledger.git 或绝对路径），"
            "不能包含空格、引号、# 等 YAML 或命令行的特殊字符",
            "expected a repository URL, scp-like address or absolute path without blanks, quotes, "
            "'#' or other YAML/shell syntax",
        )
    return text


def check_rev(value: str) -> str:
    text = _one_line(value, "--hook-rev", "--hook-rev")
    if not _REV_RE.fullmatch(text) or ".." in text or text.endswith((".", "/", ".lock")):
        raise _refuse(
            "--hook-rev",
            "--hook-rev",
            text,
            "应为 git 标签、分支或提交号（如 v0.2.0），只能含字母、数字和 . _ / + -",
            "expected a git tag, branch or commit (e.g. v0.2.0): letters, digits and . _ / + -",
        )
    return text


def _git_parts(url: str) -> tuple[str, str] | None:
    """`git+URL@REV` → (URL, REV) for pre-commit's repo/rev form; None if not a pinned git URL."""
    if not url.startswith("git+"):
        return None
    bare = url[len("git+") :].split("#", 1)[0]
    parts = urlsplit(bare)
    path, sep, rev = parts.path.rpartition("@")
    if not sep or not rev or not path:
        return None
    repo = parts._replace(path=path).geturl()
    return repo, rev


def _from_url(url: str, origin: str) -> Source:
    git = _git_parts(url)
    return Source(
        f"{NAME} @ {url}", origin, git_repo=git[0] if git else None, git_rev=git[1] if git else None
    )


def _local(path: Path) -> Path | None:
    return path.resolve() if path.exists() else None


def parse_source(value: str, *, base: Path | None = None) -> Source:
    """A user's `--source`: a requirement, a URL, or a wheel, sdist or project folder on disk.

    Local paths become absolute `file://` URLs: the hook installs from pre-commit's own folder.
    """
    text = _one_line(value, "--source", "--source")
    candidate = Path(text).expanduser()
    if not candidate.is_absolute() and base is not None:
        candidate = base / candidate
    local = _local(candidate) if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", text) else None
    if local is not None:
        if local.is_dir() and not (local / "pyproject.toml").is_file():
            raise _refuse(
                "--source",
                "--source",
                text,
                "这个目录不是 hzledger 的源码目录（没有 pyproject.toml）",
                "this folder is not an hzledger checkout (no pyproject.toml)",
            )
        if local.is_file() and not local.name.endswith(_ARCHIVES):
            raise _refuse(
                "--source",
                "--source",
                text,
                "本地文件应为 wheel（.whl）或源码包（.tar.gz/.zip）",
                "a local file must be a wheel (.whl) or an sdist (.tar.gz/.zip)",
            )
        return _from_url(local.as_uri(), "local")
    if re.match(r"^(git\+)?[A-Za-z][A-Za-z0-9+.-]*://", text):
        text = f"{NAME} @ {text}"
    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        # packaging's own text is English and spans several lines (with a caret): say it in one.
        raise _refuse(
            "--source",
            "--source",
            text,
            "不是 pip 能理解的安装要求（例：hzledger==0.2.0、hzledger @ git+https://…@v0.2.0、"
            "wheel 路径或源码目录）",
            "not a pip requirement (e.g. hzledger==0.2.0, hzledger @ git+https://…@v0.2.0, "
            "a wheel path or a source folder)",
        ) from None
    if requirement.name.lower() != NAME:
        raise _refuse(
            "--source",
            "--source",
            text,
            f"安装的是 {requirement.name}，不是 hzledger",
            f"it installs {requirement.name}, not hzledger",
        )
    if requirement.url:
        local_url = requirement.url.startswith(("file:", "git+file:"))
        return _from_url(requirement.url, "local" if local_url else "given")
    return Source(str(requirement), "given")


def _direct_url() -> dict[str, Any] | None:
    try:
        raw = metadata.distribution(NAME).read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    if not raw:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    return data if isinstance(data, dict) and isinstance(data.get("url"), str) else None


def installed_source(record: dict[str, Any] | None = None) -> Source:
    """Where the running hzledger came from (PEP 610), else the index pin of this version."""
    data = _direct_url() if record is None else record
    index = Source(f"{NAME}=={__version__}", "index")
    if data is None:
        return index
    url = str(data["url"])
    vcs = data.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and vcs.get("commit_id"):
        return _from_url(f"git+{url}@{vcs['commit_id']}", "vcs")
    if isinstance(data.get("dir_info"), dict) and url.startswith("file://"):
        folder = Path(unquote(urlsplit(url).path))
        return _from_url(folder.as_uri(), "dir") if folder.is_dir() else index
    if isinstance(data.get("archive_info"), dict):
        if url.startswith("file://") and not Path(unquote(urlsplit(url).path)).exists():
            return index  # the wheel it came from is gone: nothing could install it again
        return _from_url(url, "archive")
    return index


def git_source(repo: str, rev: str) -> Source:
    """The SPEC matching an explicit `--hook-repo/--hook-rev`, so CI installs the same commit."""
    scp = re.fullmatch(r"([A-Za-z0-9._-]+@[A-Za-z0-9.-]+):(?!//)(.+)", repo)
    if repo.startswith("/"):
        url = Path(repo).as_uri()
    elif scp:  # git@host:path is git's shorthand; pip needs the ssh:// URL
        url = f"ssh://{scp[1]}/{scp[2]}"
    else:
        url = repo
    return Source(f"{NAME} @ git+{url}@{rev}", "hook", git_repo=repo, git_rev=rev)
