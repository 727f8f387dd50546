"""`hzledger import vouchers`: a 序时账 (with opening balances from a 科目余额表) into an
organisation's ledger, new or existing.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from beancount.core import data

from hzledger.exchange import ExchangeError
from hzledger.exchange.bank import BankResult
from hzledger.exchange.journal import read_vouchers
from hzledger.exchange.mapping import Mapping, load_mapping
from hzledger.exchange.sheets import read_tables
from hzledger.exchange.trial import opening_entries, read_opening
from hzledger.exchange.writer import Plan, build_plan, load_existing


def _scaffold(root: Path, mapping: Mapping, plan: Plan) -> None:
    from hzledger.scaffold import ScaffoldError
    from hzledger.scaffold.init import InitOptions
    from hzledger.scaffold.init import plan as init_plan

    general = next((f for f in mapping.funds if not f.project), None)
    org = mapping.org
    try:
        plan.scaffold = init_plan(
            root,
            InitOptions(
                title=mapping.ledger.title,
                date=org.date if org else datetime.date.today(),
                level=org.level or "city" if org else "city",
                parent=org.parent if org else None,
                fund_code=general.code if general else "ZH",
                fund_name=general.name if general else "综合管理基金",
            ),
        )
    except ScaffoldError as exc:
        raise ExchangeError(exc.zh, exc.en) from None


def plan_vouchers(
    files: list[Path],
    mapping_path: Path,
    into: Path,
    *,
    opening: Path | None = None,
    opening_date: datetime.date | None = None,
) -> tuple[Plan, Mapping]:
    mapping = load_mapping(mapping_path)
    currency = mapping.ledger.operating_currency
    imported = []
    for file in files:
        imported.extend(read_vouchers(read_tables(file), mapping, currency))
    existing = load_existing(into)
    extra: list[tuple[str | None, data.Directive]] = []
    txns: list[tuple[data.Transaction, str | None]] = []
    if opening is not None:
        as_of, lines = read_opening(read_tables(opening), mapping)
        as_of = opening_date or as_of
        if as_of is None:
            raise ExchangeError(
                "科目余额表中找不到“截止日期：YYYY-MM-DD”，请用 --opening-date 指定期初余额的日期",
                "the trial balance states no as-of date; give --opening-date",
                file=str(opening),
            )
        opening_txns, opens = opening_entries(lines, as_of, currency, mapping.fund_codes())
        extra.extend((None, o) for o in opens)
        txns.extend((t, None) for t in opening_txns)
    txns.extend((i.txn, i.ledger_file) for i in imported)
    source = "、".join(p.name for p in [*files, *([opening] if opening else [])])
    plan = build_plan(into, existing, mapping, txns, extra=extra, source=source)
    if existing is None:
        _scaffold(into, mapping, plan)
    return plan, mapping


def plan_bank(file: Path, config_path: Path, into: Path) -> tuple[Plan, BankResult]:
    """A bank statement into an existing organisation: its new lines and closing balance."""
    from hzledger.exchange.bank import StatementImporter, import_statement, load_config
    from hzledger.exchange.declarations import fund_of_account

    config = load_config(config_path)
    StatementImporter(config, "CNY").read(str(file))  # a bad statement is refused before the load
    existing = load_existing(into)
    if existing is None:
        raise ExchangeError(
            f"{into} 不是组织目录（没有 main.beancount）；对账单只能导入已建账的组织",
            f"{into} holds no main.beancount",
        )
    result = import_statement(file, config, existing.entries, existing.options)
    fund = fund_of_account(config.account, existing.funds)
    home = existing.fund_files.get(fund) if fund else None
    txns = [(e, home) for e in result.entries if isinstance(e, data.Transaction)]
    extra = [(home, e) for e in result.entries if not isinstance(e, data.Transaction)]
    plan = build_plan(into, existing, None, txns, extra=extra, source=file.name)
    plan.duplicates += result.duplicates
    return plan, result
