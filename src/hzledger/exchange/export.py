"""`hzledger export journal|trial-balance|mapping`: what auditors ask for (art. 21), and the
files a migration or a round trip reads back.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from pathlib import Path

from beancount.core import data

from hzledger.check import LedgerCheck, check_file
from hzledger.exchange import ExchangeError
from hzledger.exchange.chart import ChartLine, build_chart
from hzledger.exchange.declarations import build_mapping
from hzledger.exchange.journal import journal_sheet
from hzledger.exchange.mapping import JournalColumns, Mapping, TrialColumns, dump_mapping
from hzledger.exchange.sheets import atomic_output, write_xlsx
from hzledger.exchange.trial import AS_OF_LABEL, trial_lines, trial_sheet


@dataclass
class Source:
    """A ledger to export from, with its check."""

    path: Path
    checked: LedgerCheck

    @property
    def currency(self) -> str:
        return self.checked.model.operating_currency

    @property
    def title(self) -> str:
        return self.checked.title

    def chart(self) -> dict[str, ChartLine]:
        accounts = [e.account for e in self.checked.entries if isinstance(e, data.Open)]
        return build_chart(accounts, set(self.checked.model.funds))


def load_source(path: Path) -> Source:
    if not path.is_file():
        raise ExchangeError("找不到账本文件", "ledger file not found", file=str(path))
    return Source(path, check_file(path))


def export_mapping(source: Source) -> Mapping:
    c = source.checked
    return build_mapping(c.entries, c.options, c.model, str(source.path))


def write_mapping(source: Source, out: Path) -> Mapping:
    mapping = export_mapping(source)
    with atomic_output(out) as tmp:
        tmp.write_text(dump_mapping(mapping), encoding="utf-8")
    return mapping


def write_journal(source: Source, year: int, out: Path, cols: JournalColumns | None = None) -> int:
    base = os.path.dirname(os.path.abspath(source.path))
    txns = [
        e for e in source.checked.entries if isinstance(e, data.Transaction) and e.date.year == year
    ]
    file_of: dict[int, str] = {}
    for txn in txns:
        name = (txn.meta or {}).get("filename")
        if isinstance(name, str) and not name.startswith("<"):
            rel = os.path.relpath(name, base)
            if not rel.startswith(".."):
                file_of[id(txn)] = rel.replace(os.sep, "/")
    titles = [
        f"{source.title} 序时账",
        f"会计期间：{year}-01-01 至 {year}-12-31　记账本位币：{source.currency}　共 {len(txns)} 张凭证",
    ]
    sheet = journal_sheet(
        txns, source.chart(), cols or JournalColumns(), source.currency, file_of, titles
    )
    write_xlsx(out, [sheet])
    return len(txns)


def write_trial_balance(
    source: Source, as_of: datetime.date, out: Path, cols: TrialColumns | None = None
) -> int:
    lines = trial_lines(source.checked.entries, as_of, source.currency)
    titles = [
        f"{source.title} 科目余额表",
        f"会计期间：{as_of.year}-01-01 至 {as_of}　{AS_OF_LABEL}：{as_of}　记账本位币：{source.currency}（按成本）",
    ]
    funds = list(source.checked.model.funds)
    write_xlsx(out, [trial_sheet(lines, source.chart(), funds, cols or TrialColumns(), titles)])
    return len(lines)
