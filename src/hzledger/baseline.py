"""Baselines: adopt a legacy ledger by accepting its known findings and failing only on new ones.

A finding is identified by its rule and its `key`, which the engine derives from the entry's
content (Beancount's `hash_entry`), never its line, so a baseline survives lines moving. The
match counts: a baseline holding a key twice accepts two such findings; a third is new.

The file is JSON, sorted and stable, so that it diffs well in review. `file` and `message` are
there for the reviewer; only `rule`, `key` and `count` are read back.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import click

from hzledger import __version__
from hzledger.findings import Finding
from hzledger.fsio import write_text_atomic
from hzledger.messages import BilingualError

FORMAT = "hzledger-baseline"
FORMAT_VERSION = 1

Identity = tuple[str, str]


def identity(finding: Finding) -> Identity:
    # Findings made before the engine keyed them fall back to their message, which also
    # carries no line number.
    return (finding.rule, finding.key or f"message|{finding.message}")


class BaselineError(BilingualError, click.ClickException):
    """A baseline that cannot be read: shown as one clear line, exit status 2 (could not run)."""

    exit_code = 2

    def show(self, file: IO[Any] | None = None) -> None:
        lang = os.environ.get("HZLEDGER_LANG", "zh")
        click.echo(f"hzledger: {self.en if lang == 'en' else self.zh}", err=True, file=file)


@dataclass(frozen=True)
class Baseline:
    """The accepted findings: how many of each identity a ledger may still have."""

    counts: Counter[Identity]

    def __len__(self) -> int:
        return sum(self.counts.values())

    def new_findings(self, findings: Iterable[Finding]) -> list[Finding]:
        """The findings the baseline does not account for, in their given order."""
        left = Counter(self.counts)
        new: list[Finding] = []
        for finding in findings:
            ident = identity(finding)
            if left[ident] > 0:
                left[ident] -= 1
            else:
                new.append(finding)
        return new


def _relative(file: str | None, base: Path) -> str | None:
    if file is None or file.startswith("<"):
        return file
    try:
        return Path(os.path.relpath(file, base)).as_posix()
    except ValueError:  # another drive on Windows
        return file


def to_document(findings: Iterable[Finding], base: Path) -> dict[str, Any]:
    groups: dict[Identity, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(identity(finding), []).append(finding)
    items = []
    for (rule, key), members in sorted(groups.items()):
        first = min(members, key=Finding.sort_key)
        items.append(
            {
                "rule": rule,
                "key": key,
                "count": len(members),
                "severity": first.severity.value,
                "file": _relative(first.file, base),
                "message": first.message,
            }
        )
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "hzledger": __version__,
        "total": sum(i["count"] for i in items),
        "findings": items,
    }


def write_baseline(path: str | Path, findings: Iterable[Finding]) -> int:
    """Write the baseline atomically (temp file + replace); returns how many findings it holds."""
    target = Path(path)
    base = target.parent.resolve()
    document = to_document(findings, base)
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    write_text_atomic(target, text)
    return int(document["total"])


def _bad(path: Path, zh: str, en: str) -> BaselineError:
    return BaselineError(f"基线文件 {path} 无法使用：{zh}", f"baseline {path} is unusable: {en}")


def load_baseline(path: str | Path) -> Baseline:
    source = Path(path)
    try:
        raw = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BaselineError(
            f"找不到基线文件：{source}（可用 hzledger baseline {source} LEDGER 生成）",
            f"no such baseline file: {source} (write one with hzledger baseline {source} LEDGER)",
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise _bad(source, f"无法读取（{exc}）", f"cannot read it ({exc})") from None
    try:
        document = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise _bad(
            source,
            f"第 {exc.lineno} 行第 {exc.colno} 列不是合法的 JSON（{exc.msg}）",
            f"invalid JSON at line {exc.lineno} column {exc.colno} ({exc.msg})",
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise _bad(
            source, f'不是 hzledger 基线（缺少 "format": "{FORMAT}"）', "not an hzledger baseline"
        )
    if document.get("version") != FORMAT_VERSION:
        raise _bad(
            source,
            f"版本 {document.get('version')!r} 不受支持（应为 {FORMAT_VERSION}），请重新生成",
            f"unsupported version {document.get('version')!r}; regenerate it",
        )
    items = document.get("findings")
    if not isinstance(items, list):
        raise _bad(source, "findings 应为列表", "findings must be a list")
    counts: Counter[Identity] = Counter()
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise _bad(source, f"第 {index} 项不是对象", f"item {index} is not an object")
        rule, key, count = item.get("rule"), item.get("key"), item.get("count", 1)
        if not isinstance(rule, str) or not isinstance(key, str):
            raise _bad(source, f"第 {index} 项缺少 rule 或 key", f"item {index} lacks rule or key")
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise _bad(
                source, f"第 {index} 项的 count 应为正整数", f"item {index}: count must be positive"
            )
        counts[(rule, key)] += count
    return Baseline(counts=counts)
