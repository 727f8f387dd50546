"""Where imported entries land, the dry run that checks the result, and the atomic write.

An import is planned first: for each ledger file of the organisation, the text to append (or,
for a new file, its whole text) and the `include` lines `main.beancount` needs. The plan is
applied to a throw-away copy of the organisation and checked with `hzledger check`'s own
engine, so the dry run prints exactly the findings the real ledger would have. `--write` then
applies the same plan with `FileBatch`: new files are created without clobbering, existing
files only get text appended (every existing line stays as it was), all or nothing.
"""

from __future__ import annotations

import datetime
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from beancount.core import data
from beancount.parser import printer

from hzledger.check import LedgerCheck, check_file
from hzledger.exchange import ExchangeError
from hzledger.exchange.declarations import (
    AUDITS,
    DECISIONS,
    MAIN,
    declaration_entries,
    declaration_key,
    fund_of_account,
)
from hzledger.exchange.mapping import Mapping
from hzledger.findings import Finding
from hzledger.scaffold import ScaffoldError
from hzledger.scaffold.fsutil import FileBatch

_LEDGER_FILES = {MAIN, DECISIONS, AUDITS}


@dataclass
class Existing:
    """What an organisation folder already holds."""

    root: Path
    entries: list[data.Directive]
    options: dict[str, Any]
    included: set[str]  # relative paths of the ledger files Beancount loaded
    fund_files: dict[str, str]  # fund code -> file it is declared in

    @property
    def funds(self) -> set[str]:
        return set(self.fund_files)


def load_existing(root: Path) -> Existing | None:
    main = root / MAIN
    if not main.exists():
        if root.exists() and any(root.iterdir()):
            raise ExchangeError(
                f"{root} 已存在但没有 {MAIN}；请指定一个新目录或已有的组织目录",
                f"{root} exists but has no {MAIN}",
            )
        return None
    checked = check_file(main)
    base = os.path.abspath(root)
    included = {
        os.path.relpath(p, base).replace(os.sep, "/") for p in checked.options.get("include") or []
    }
    fund_files: dict[str, str] = {}
    for entry in checked.entries:
        if (
            isinstance(entry, data.Custom)
            and entry.type in ("hz-fund", "hz-project")
            and entry.values
        ):
            name = (entry.meta or {}).get("filename")
            rel = (
                os.path.relpath(name, base).replace(os.sep, "/") if isinstance(name, str) else MAIN
            )
            fund_files.setdefault(str(entry.values[0].value), rel)
    return Existing(root, list(checked.entries), dict(checked.options), included, fund_files)


def txn_key(txn: data.Transaction) -> tuple[Any, ...]:
    """Content of a transaction, to know one already booked (re-import adds nothing)."""
    return (
        txn.date,
        txn.payee or "",
        txn.narration or "",
        tuple(
            sorted(
                (p.account, p.units.number, p.units.currency)
                if p.units and p.units.number is not None
                else (p.account,)
                for p in txn.postings
            )
        ),
    )


@dataclass
class Plan:
    """What an import will add, to which files, before anything is written."""

    root: Path
    new_org: bool
    appended: dict[str, list[data.Directive]] = field(default_factory=dict)
    new_files: dict[str, str] = field(
        default_factory=dict
    )  # rel -> header text for new ledger files
    scaffold: FileBatch | None = None
    includes: list[str] = field(default_factory=list)  # files main.beancount must include
    duplicates: int = 0
    source: str = ""

    @property
    def transactions(self) -> list[data.Transaction]:
        return [e for es in self.appended.values() for e in es if isinstance(e, data.Transaction)]

    @property
    def declarations(self) -> int:
        return sum(
            1 for es in self.appended.values() for e in es if not isinstance(e, data.Transaction)
        )

    def add(self, rel: str, entry: data.Directive) -> None:
        self.appended.setdefault(rel, []).append(entry)


def _stamp(source: str) -> str:
    return f"; ---- hzledger import {datetime.date.today()}：{source} ----"


def render_entries(entries: Iterable[data.Directive]) -> str:
    out = []
    for entry in entries:
        out.append(printer.format_entry(entry).rstrip("\n"))
    return "\n\n".join(out) + "\n" if out else ""


def _sorted(entries: list[data.Directive]) -> list[data.Directive]:
    """Declarations in the order given, then transactions by date (stable: voucher order kept)."""
    decls = [e for e in entries if not isinstance(e, data.Transaction | data.Balance)]
    rest = [e for e in entries if isinstance(e, data.Transaction | data.Balance)]
    rest.sort(key=lambda e: (e.date, isinstance(e, data.Transaction)))
    return decls + rest


def build_plan(
    root: Path,
    existing: Existing | None,
    mapping: Mapping | None,
    txns: list[tuple[data.Transaction, str | None]],
    *,
    extra: Iterable[tuple[str | None, data.Directive]] = (),
    source: str,
) -> Plan:
    """What an import adds: declarations the organisation lacks, then its transactions.

    `txns` pairs each transaction with the sub-ledger it asks for (our own export says), or None.
    """
    plan = Plan(root, existing is None, source=source)
    have_keys = {declaration_key(e) for e in existing.entries} if existing else set()
    fund_files: dict[str, str] = dict(existing.fund_files) if existing else {}
    if mapping:
        for fund in mapping.funds:
            fund_files.setdefault(fund.code, fund.path)
    funds = set(fund_files)

    def file_for_account(account: str) -> str:
        code = fund_of_account(account, funds)
        return fund_files[code] if code else MAIN

    if mapping:
        for rel, entries in declaration_entries(mapping).items():
            for entry in entries:
                key = declaration_key(entry)
                if key in have_keys:
                    continue
                have_keys.add(key)
                into = rel
                if isinstance(entry, data.Open | data.Close) or (
                    isinstance(entry, data.Custom) and entry.type == "budget"
                ):
                    account = (
                        entry.account
                        if not isinstance(entry, data.Custom)
                        else str(entry.values[0].value)
                    )
                    into = file_for_account(account)
                elif isinstance(entry, data.Custom) and entry.type in ("hz-fund", "hz-project"):
                    into = fund_files.get(str(entry.values[0].value), rel)
                plan.add(into, entry)
    for where, entry in extra:
        if not isinstance(entry, data.Transaction) and declaration_key(entry) in have_keys:
            continue
        if isinstance(entry, data.Open):
            have_keys.add(declaration_key(entry))
            plan.add(where or file_for_account(entry.account), entry)
        else:
            plan.add(where or MAIN, entry)
    booked: Counter[tuple[Any, ...]] = Counter(
        txn_key(e)
        for e in (existing.entries if existing else [])
        if isinstance(e, data.Transaction)
    )
    known_files = (
        set(fund_files.values()) | _LEDGER_FILES | (existing.included if existing else set())
    )
    for txn, asked in txns:
        key = txn_key(txn)
        if booked[key] > 0:
            booked[key] -= 1
            plan.duplicates += 1
            continue
        target: str | None = None
        if asked and asked in known_files and asked.endswith(".beancount"):
            target = asked
        if target is None:
            owners = [fund_of_account(p.account, funds) for p in txn.postings]
            projects = [
                o for o in owners if o and o in fund_files and fund_files[o].startswith("projects/")
            ]
            first = projects[0] if projects else next((o for o in owners if o), None)
            target = fund_files[first] if first else MAIN
        plan.add(target or MAIN, txn)
    for rel in list(plan.appended):
        plan.appended[rel] = _sorted(plan.appended[rel])
    included = existing.included if existing else set()
    for rel in plan.appended:
        if rel != MAIN and rel not in included and not (root / rel).exists():
            plan.new_files[rel] = f"; {rel}：由 hzledger import 建立（{source}）。\n"
    if existing is None:
        for rel in (DECISIONS, AUDITS):
            plan.new_files.setdefault(rel, f"; {rel}：由 hzledger import 建立（{source}）。\n")
    # Every file written to must be read: a new one, or an old one main.beancount never included.
    plan.includes = [rel for rel in plan.appended if rel != MAIN and rel not in included]
    plan.includes += [rel for rel in plan.new_files if rel not in plan.includes]
    return plan


def _main_text(mapping: Mapping | None, plan: Plan) -> str:
    assert mapping is not None  # noqa: S101 (narrows the type; an invariant, not input checking)
    opts = mapping.ledger
    lines = [
        f"; {opts.title} — 基金核算总账本（由 hzledger import 建立，{plan.source}）。",
        "; hzledger 与 Fava 只读取本文件，其余文件由下方 include 引入（LEDGER-SPEC 第1节）。",
        f'option "title" "{opts.title}"',
        f'option "operating_currency" "{opts.operating_currency}"',
    ]
    if opts.documents:
        lines.append(f'option "documents" "{opts.documents}"')
    lines += [f'plugin "{p}"' for p in opts.plugins]
    return "\n".join(lines) + "\n"


def _includes(plan: Plan) -> list[str]:
    order = sorted(r for r in plan.includes if r not in (DECISIONS, AUDITS))
    order += [r for r in (DECISIONS, AUDITS) if r in plan.includes]
    return [f'include "{rel}"' for rel in order]


def batch_for(plan: Plan, root: Path, mapping: Mapping | None) -> FileBatch:
    """The plan as file writes under `root` (the organisation or a throw-away copy of it)."""
    batch = FileBatch()
    if plan.new_org and plan.scaffold is not None:
        for write in plan.scaffold.writes:
            rel = write.path.relative_to(plan.root).as_posix()
            if rel in _LEDGER_FILES or rel.startswith("funds/"):
                continue
            batch.create(root / rel, write.text)
    stamp = _stamp(plan.source)
    includes = _includes(plan)
    if plan.new_org:
        body = render_entries(plan.appended.get(MAIN, []))
        text = _main_text(mapping, plan) + "\n" + body + "\n" + "\n".join(includes) + "\n"
        batch.create(root / MAIN, text)
    for rel, header in plan.new_files.items():
        batch.create(root / rel, header + "\n" + render_entries(plan.appended.get(rel, [])))
    for rel, entries in plan.appended.items():
        if rel in plan.new_files or (plan.new_org and rel == MAIN):
            continue
        path = root / rel
        original = path.read_bytes().decode("utf-8")
        addition = render_entries(entries)
        if rel == MAIN and includes:
            addition += "\n" + "\n".join(includes) + "\n"
        sep = "" if original.endswith("\n") or not original else "\n"
        batch.edit(path, original, original + sep + "\n" + stamp + "\n" + addition)
    if not plan.new_org and MAIN not in plan.appended and includes:
        path = root / MAIN
        original = path.read_bytes().decode("utf-8")
        sep = "" if original.endswith("\n") or not original else "\n"
        batch.edit(
            path, original, original + sep + "\n" + stamp + "\n" + "\n".join(includes) + "\n"
        )
    return batch


def commit(batch: FileBatch) -> list[Path]:
    try:
        return batch.commit()
    except ScaffoldError as exc:
        raise ExchangeError(exc.zh, exc.en) from None
    except OSError as exc:
        raise ExchangeError(f"写入失败：{exc}", f"write failed: {exc}") from None


@dataclass
class DryRun:
    """The check of the ledger as it would be after the import."""

    check: LedgerCheck
    findings: list[Finding]


def dry_run(plan: Plan, mapping: Mapping | None) -> DryRun:
    """Apply the plan to a copy of the organisation and check the result."""
    with tempfile.TemporaryDirectory(prefix="hzledger-import-") as tmp:
        copy = Path(tmp) / "org"
        if plan.root.exists():
            # Links, not copies: documents/ may hold years of scanned vouchers. The plan never
            # writes through a link — an edited file is replaced in the copy's directory.
            shutil.copytree(
                plan.root,
                copy,
                ignore=shutil.ignore_patterns(".git"),
                copy_function=lambda src, dst: os.symlink(os.path.abspath(src), dst),
            )
        else:
            copy.mkdir()
        commit(batch_for(plan, copy, mapping))
        checked = check_file(copy / MAIN)
        prefix = str(copy.resolve())
        real = str(plan.root.resolve()) if plan.root.exists() else str(plan.root.absolute())
        findings = [
            f.model_copy(update={"file": real + f.file[len(prefix) :]})
            if f.file and f.file.startswith(prefix)
            else f
            for f in checked.findings
        ]
        return DryRun(checked, findings)
