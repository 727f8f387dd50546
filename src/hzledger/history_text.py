"""The text form of a findings history (`hzledger history --format text`), Chinese or English."""

from __future__ import annotations

from hzledger.findings import Finding
from hzledger.gitrepo import CommitInfo
from hzledger.history import CurrentFinding, FixedFinding, History

SEVERITY = {
    "zh": {"error": "错误", "warning": "警告"},
    "en": {"error": "error", "warning": "warning"},
}


def commit_label(commit: CommitInfo) -> str:
    return f"{commit.short} {commit.date:%Y-%m-%d} {commit.author}「{commit.subject}」"


def _where(finding: Finding) -> str:
    if finding.file and finding.line:
        return f"{finding.file}:{finding.line}"
    return finding.file or "—"


def _head(finding: Finding, lang: str) -> str:
    fund = f" [{finding.fund}]" if finding.fund else ""
    return f"{finding.rule} {SEVERITY[lang][finding.severity.value]}{fund} {_where(finding)}"


def _atleast(introduced: CommitInfo | None, lang: str) -> str:
    if introduced is not None:
        return ""
    return "at least " if lang == "en" else "至少"


def _current(item: CurrentFinding, lang: str) -> list[str]:
    if lang == "en":
        origin = (
            f"introduced by {commit_label(item.introduced)}"
            if item.introduced
            else f"present since at least {commit_label(item.since_at_least)}"
        )
        lines = [
            f"  {_head(item.finding, lang)}  {origin}, standing {_atleast(item.introduced, lang)}{item.days_standing} days"
        ]
    else:
        origin = (
            f"由 {commit_label(item.introduced)} 引入"
            if item.introduced
            else f"最晚自 {commit_label(item.since_at_least)} 起已存在"
        )
        lines = [
            f"  {_head(item.finding, lang)}  {origin}，已存在{_atleast(item.introduced, lang)} {item.days_standing} 天"
        ]
    lines.append(f"      {item.finding.text(lang)}")
    return lines


def _fixed(item: FixedFinding, lang: str) -> list[str]:
    if lang == "en":
        origin = (
            f"introduced by {commit_label(item.introduced)}"
            if item.introduced
            else f"present since at least {commit_label(item.since_at_least)}"
        )
        lines = [
            f"  {_head(item.finding, lang)}  {origin}; fixed by {commit_label(item.fixed)}"
            f" after {_atleast(item.introduced, lang)}{item.days_open} days"
        ]
    else:
        origin = (
            f"由 {commit_label(item.introduced)} 引入"
            if item.introduced
            else f"最晚自 {commit_label(item.since_at_least)} 起存在"
        )
        lines = [
            f"  {_head(item.finding, lang)}  {origin}；由 {commit_label(item.fixed)} 整改，"
            f"历时{_atleast(item.introduced, lang)} {item.days_open} 天"
        ]
    lines.append(f"      {item.finding.text(lang)}")
    return lines


def render_text(history: History, lang: str = "zh") -> str:
    en = lang == "en"
    folder = history.folder or "."
    out: list[str] = []
    if not history.commits:
        out.append(
            f"{history.ledger}: no commit in {history.repository} touches {folder}/ in this window"
            if en
            else f"{history.ledger}：仓库 {history.repository} 中没有改动 {folder}/ 的提交（在所选范围内）"
        )
        return "\n".join(out)
    first, last = history.commits[0].commit, history.commits[-1].commit
    more = (
        (" (older commits not included)" if en else "（更早的提交未计入）")
        if history.truncated
        else ""
    )
    if en:
        out.append(f"Findings history of {history.ledger} (repository {history.repository})")
        out.append(
            f"{len(history.commits)} commit(s) touching {folder}/, "
            f"{first.date:%Y-%m-%d} to {last.date:%Y-%m-%d}{more}"
        )
    else:
        out.append(f"整改跟踪：{history.ledger}（仓库 {history.repository}）")
        out.append(
            f"改动 {folder}/ 的提交 {len(history.commits)} 次，"
            f"{first.date:%Y-%m-%d} 至 {last.date:%Y-%m-%d}{more}"
        )
    out.append("")
    out.append(
        f"Current findings: {len(history.current)} (as of {last.short})"
        if en
        else f"现有问题 {len(history.current)} 项（截至 {last.short}）："
    )
    for current in history.current:
        out.extend(_current(current, lang))
    out.append("")
    out.append(
        f"Fixed in this window: {len(history.fixed)}"
        if en
        else f"本期已整改 {len(history.fixed)} 项："
    )
    for fixed in history.fixed:
        out.extend(_fixed(fixed, lang))
    out.append("")
    out.append("Per commit (oldest first):" if en else "逐次提交（由旧到新）：")
    for point in history.commits:
        c = point.commit
        if point.status == "checked":
            counts = (
                f"errors {point.errors:>4}  warnings {point.warnings:>4}"
                if en
                else f"错误 {point.errors:>4}  警告 {point.warnings:>4}"
            )
        elif point.status == "absent":
            counts = "no ledger" if en else "尚无账本"
        else:
            counts = "check failed" if en else "检查失败"
        out.append(f"  {c.date:%Y-%m-%d}  {c.short}  {counts}  {c.author}  {c.subject}")
    return "\n".join(out)
