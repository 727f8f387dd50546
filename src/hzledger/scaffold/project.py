"""`hzledger new-project`: a project sub-ledger (art. 15, 17) and its `include` line.

The project is judged by the same rules as the rest of the ledger, before anything is written:
the ledger is checked with the new project added through a throw-away top-level file beside
`main.beancount`, and any finding in the new project's text refuses it. Only then are the new
file and the edited `main.beancount` placed, all or nothing.
"""

from __future__ import annotations

import datetime
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from hzledger.check import LedgerCheck, check_file
from hzledger.findings import Finding, Severity
from hzledger.model import FUND_CODE_RE
from hzledger.paths import display_path
from hzledger.scaffold import ScaffoldError
from hzledger.scaffold.fsutil import FileBatch, read_text
from hzledger.scaffold.render import check_text, render

_INCLUDE_RE = re.compile(r'^\s*include\s+"([^"]*)"', re.MULTILINE)
# The long-term finding is a warning (the article says 一般): `--allow-long-term` accepts it.
_TERM_RULE = "HZ-A15"


@dataclass(frozen=True)
class ProjectSpec:
    """What `hzledger new-project` was asked for."""

    code: str
    name: str
    start: datetime.date
    end: datetime.date
    filing: str
    filed: datetime.date
    actuarial: str | None = None
    date: datetime.date | None = None  # declaration and open date; default min(filed, start)
    general_fund: str | None = None

    @property
    def declared(self) -> datetime.date:
        return self.date or min(self.filed, self.start)


@dataclass(frozen=True)
class NewProject:
    """What `hzledger new-project` wrote."""

    path: Path
    ledger: Path
    general_fund: str | None
    include_added: bool


def _validate(spec: ProjectSpec) -> ProjectSpec:
    if not FUND_CODE_RE.fullmatch(spec.code):
        raise ScaffoldError(
            f"项目代码 {spec.code!r} 不合格式：应为大写字母开头、最多16位的大写字母或数字"
            "（如 ZY27）",
            f"project code {spec.code!r} is malformed: expected [A-Z][A-Z0-9]{{0,15}} (e.g. ZY27)",
        )
    if spec.end < spec.start:
        raise ScaffoldError.citing(
            15,
            f"保障终止日 {spec.end} 早于起始日 {spec.start}",
            f"the term ends ({spec.end}) before it starts ({spec.start})",
        )
    return ProjectSpec(
        code=spec.code,
        name=check_text(spec.name, "项目名称（--name）", "project name (--name)"),
        start=spec.start,
        end=spec.end,
        filing=check_text(spec.filing, "备案文号（--filing）", "filing number (--filing)"),
        filed=spec.filed,
        actuarial=check_text(spec.actuarial, "测算报告（--actuarial）", "actuarial report")
        if spec.actuarial
        else None,
        date=spec.date,
        general_fund=spec.general_fund,
    )


def _general_fund(check: LedgerCheck, wanted: str | None) -> tuple[str | None, str]:
    general = {c: f for c, f in check.model.funds.items() if not f.is_project}
    if wanted is not None:
        if wanted not in general:
            known = "、".join(sorted(general)) or "（无）"
            raise ScaffoldError(
                f"--general-fund {wanted} 不是账本中声明的综合基金（已声明：{known}）",
                f"--general-fund {wanted} is not a declared general fund (declared: {known})",
            )
        return wanted, general[wanted].name
    if len(general) == 1:
        code, fund = next(iter(general.items()))
        return code, fund.name
    if not general:
        return None, ""
    raise ScaffoldError(
        f"账本中有多个综合基金（{'、'.join(sorted(general))}），请用 --general-fund 指定往来对象",
        f"the ledger has several general funds ({', '.join(sorted(general))}); "
        "choose one with --general-fund",
    )


def with_include(text: str, target: str) -> str:
    """`text` with `include "target"` after the last project include (or at the end).

    The file's own line ending is kept (CRLF ledgers stay CRLF).
    """
    eol = "\r\n" if "\r\n" in text else "\n"
    line = f'include "{target}"{eol}'
    anchor = None
    for match in _INCLUDE_RE.finditer(text):
        if match.group(1).startswith("projects/"):
            anchor = match
    if anchor is None:
        body = text if text.endswith("\n") or not text else text + eol
        return body + line
    end = text.find("\n", anchor.end())
    if end < 0:
        return text + eol + line
    return text[: end + 1] + line + text[end + 1 :]


@contextmanager
def _trial_files(directory: Path, main_text: str, project_text: str) -> Iterator[tuple[Path, Path]]:
    """A throw-away top-level file (main + the new project) beside main.beancount."""
    made: list[Path] = []
    try:
        fd, project_tmp = tempfile.mkstemp(dir=directory, prefix=".hzledger-trial-", suffix=".tmp")
        made.append(Path(project_tmp))
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(project_text)
        fd, main_tmp = tempfile.mkstemp(dir=directory, prefix=".hzledger-trial-", suffix=".tmp")
        made.append(Path(main_tmp))
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(with_include(main_text, Path(project_tmp).name))
        yield Path(main_tmp), Path(project_tmp)
    finally:
        for path in made:
            path.unlink(missing_ok=True)


def _refusal(findings: list[Finding], project: Path) -> ScaffoldError:
    where = display_path(project)
    zh = "\n".join(f"  {where}:{f.line or '-'}  {f.rule}  {f.message}" for f in findings)
    en = "\n".join(f"  {where}:{f.line or '-'}  {f.rule}  {f.message_en}" for f in findings)
    if any(f.rule == _TERM_RULE and f.severity is Severity.WARNING for f in findings):
        zh += "\n（保障期限超过规定年限是警告：第十五条规定“一般”不超过三年；确有必要时可加 --allow-long-term）"
        en += "\n(a term over the limit is a warning: article 15 says “generally”; use --allow-long-term if needed)"
    return ScaffoldError(
        f"新项目未通过合规检查，未做任何改动：\n{zh}",
        f"the new project fails the compliance check; nothing was changed:\n{en}",
    )


def new_project(
    directory: Path,
    spec: ProjectSpec,
    *,
    ledger: str = "main.beancount",
    allow_long_term: bool = False,
) -> NewProject:
    spec = _validate(spec)
    main_path = directory / ledger
    main_text = read_text(main_path)
    target = f"projects/{spec.code}.beancount"
    project_path = main_path.parent / target
    if project_path.exists():
        raise ScaffoldError(
            f"{project_path} 已存在，未覆盖", f"{project_path} already exists; not overwritten"
        )

    current = check_file(main_path)
    general, general_name = _general_fund(current, spec.general_fund)
    if spec.code in current.model.funds:
        first = current.model.funds[spec.code]
        where = f"{display_path(first.source.file)}:{first.source.line}"
        raise ScaffoldError.citing(
            17,
            f"项目代码 {spec.code} 已在 {where} 声明（{first.name}），每个基金或项目只能声明一次",
            f"code {spec.code} is already declared at {where}",
        )

    text = render(
        "project.beancount.j2",
        code=spec.code,
        name=spec.name,
        start=spec.start.isoformat(),
        end=spec.end.isoformat(),
        filing=spec.filing,
        filed=spec.filed.isoformat(),
        actuarial=spec.actuarial,
        date=spec.declared.isoformat(),
        general=general,
        general_name=general_name,
    )

    with _trial_files(main_path.parent, main_text, text) as (trial_main, trial_project):
        trial = check_file(trial_main)
        own = os.path.normpath(os.path.abspath(trial_project))
        bad = [
            f
            for f in trial.findings
            if f.file is not None
            and os.path.normpath(os.path.abspath(f.file)) == own
            and not (allow_long_term and f.rule == _TERM_RULE and f.severity is Severity.WARNING)
        ]
    if bad:
        raise _refusal(bad, project_path)

    batch = FileBatch()
    batch.create(project_path, text)
    already = any(m.group(1) == target for m in _INCLUDE_RE.finditer(main_text))
    if not already:
        batch.edit(main_path, main_text, with_include(main_text, target))
    batch.commit()
    return NewProject(
        path=project_path, ledger=main_path, general_fund=general, include_added=not already
    )
