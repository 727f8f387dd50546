"""`hzledger import bank`: a bank statement into the ledger, through a beangulp importer.

The statement's layout is configuration, not guesswork: a TOML file names the sheet, the
header row, the date, amount (two columns or one signed), balance, counterparty, reference
and narration columns, the CSV encoding, and the ledger account it belongs to. Each line
becomes a transaction with the bank posting and `bank-ref:` metadata (the bank's reference,
or a digest of the line when the statement has none), so importing the same statement twice
adds nothing; the closing balance becomes a `balance` assertion for the next day.

The counter-posting comes from, in order: the configured `[[rules]]` (first match wins);
smart_importer's prediction, trained on the organisation's own transactions on that account;
the configured fallback account. A prediction is kept only if the transaction it makes
satisfies the contract: the counter account is open, and the rules whose verdict depends on
the counter account (HZ-A17, A29, A28, A15, A24, A25, FUND, KIND) find nothing in it.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import tomllib
import warnings
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import beangulp
from beancount.core import data
from beancount.core.amount import Amount
from beancount.core.number import ZERO
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from typing_extensions import override

from hzledger.exchange import ExchangeError, ExchangeErrors
from hzledger.exchange.sheets import Table, cell_text, find_header, read_tables, to_date, to_money
from hzledger.messages import validation_message

META_REF = "bank-ref"
SOURCE = "<hzledger-bank>"
# Rules whose finding on a transaction depends on its counter account.
COUNTER_RULES = frozenset(
    {"HZ-A17", "HZ-A29", "HZ-A28", "HZ-A15", "HZ-A24", "HZ-A25", "HZ-FUND", "HZ-KIND"}
)


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", populate_by_name=True, alias_generator=lambda name: name.replace("_", "-")
    )


class Layout(_Model):
    """Where a bank statement's columns are (sheet, header row, column names)."""

    sheet: str | int | None = None
    header_row: int | None = None
    encoding: str | None = "auto"
    date: str
    date_format: str | None = None
    deposit: str | None = None
    withdrawal: str | None = None
    amount: str | None = None
    balance: str | None = None
    counterparty: str | None = None
    reference: str | None = None
    narration: list[str] = Field(default_factory=list)


class MatchRule(_Model):
    """A mapping rule: statement lines matching it are posted to `account`."""

    account: str
    narration: str | None = None
    counterparty: str | None = None
    direction: Literal["in", "out"] | None = None

    def matches(self, narration: str, counterparty: str, amount: Decimal) -> bool:
        if (self.direction == "in" and amount < 0) or (self.direction == "out" and amount > 0):
            return False
        if self.narration is not None and self.narration not in narration:
            return False
        if self.counterparty is not None and self.counterparty not in counterparty:
            return False
        return (
            self.narration is not None
            or self.counterparty is not None
            or self.direction is not None
        )


class Predict(_Model):
    """smart_importer's prediction settings and the fallback accounts."""

    enabled: bool = True
    fallback_in: str | None = None
    fallback_out: str | None = None


class BankConfig(_Model):
    """One bank account's import configuration (the TOML file)."""

    account: str
    currency: str | None = None
    layout: Layout
    rules: list[MatchRule] = Field(default_factory=list)
    predict: Predict = Field(default_factory=Predict)


def load_config(path: Path) -> BankConfig:
    file = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ExchangeError("找不到对账单配置文件", "bank config not found", file=file) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ExchangeError(
            f"配置文件不是合法的 UTF-8 TOML：{exc}", f"config is not valid TOML: {exc}", file=file
        ) from None
    if isinstance(raw.get("layout", {}).get("narration"), str):
        raw["layout"]["narration"] = [raw["layout"]["narration"]]
    try:
        config = BankConfig.model_validate(raw)
    except ValidationError as exc:
        msg = validation_message(exc)
        raise ExchangeError(
            f"配置项有误：{msg.zh}", f"invalid config: {msg.en}", file=file
        ) from None
    lay = config.layout
    if not (lay.amount or lay.deposit or lay.withdrawal):
        raise ExchangeError(
            "配置的 [layout] 须给出金额列：amount（带符号），或 deposit/withdrawal（收入/支出两列）",
            "the layout needs amount, or deposit and withdrawal columns",
            file=file,
        )
    return config


@dataclass
class Line:
    """One statement line, read and typed."""

    row: int
    date: datetime.date
    amount: Decimal
    balance: Decimal | None
    counterparty: str
    narration: str
    ref: str


_SPACES = re.compile(r"\s+")


def tokenize(text: str) -> list[str]:
    """Words for the classifier: each Chinese character alone (the vectorizer makes 2- and
    3-character n-grams of them) and each run of Latin letters or digits.
    """
    return re.findall(r"[\u3400-\u9fff\uf900-\ufaff]|[A-Za-z]+|\d+", text or "")


class StatementImporter(beangulp.Importer):  # type: ignore[misc]  # beangulp is untyped
    """beangulp importer for one configured statement layout."""

    def __init__(self, config: BankConfig, currency: str) -> None:
        self.config = config
        self.currency = config.currency or currency
        self.lines: list[Line] = []
        self.table: Table | None = None

    @property
    def name(self) -> str:
        return f"hzledger.bank:{self.config.account}"

    def _table(self, filepath: str) -> tuple[Table, int, dict[str, int]]:
        lay = self.config.layout
        tables = read_tables(Path(filepath), lay.sheet, lay.encoding)
        table = tables[0]
        wanted = [lay.date] + [
            c for c in (lay.deposit, lay.withdrawal, lay.amount) if c is not None
        ]
        row, found = find_header(table, wanted, lay.header_row)
        for name in [lay.balance, lay.counterparty, lay.reference, *lay.narration]:
            if name and name not in found:
                raise table.error(row, f"表头中没有配置的列“{name}”", f"no column {name!r}")
        return table, row, found

    def identify(self, filepath: str) -> bool:
        try:
            self._table(filepath)
        except ExchangeError:
            return False
        return True

    @override
    def account(self, filepath: str) -> data.Account:
        return self.config.account

    def date(self, filepath: str) -> datetime.date | None:
        lines = self.read(filepath)
        return max(line.date for line in lines) if lines else None

    def read(self, filepath: str) -> list[Line]:
        table, header, found = self._table(filepath)
        self.table = table
        lay = self.config.layout
        errors: list[ExchangeError] = []
        lines: list[Line] = []

        def cell(raw: list[Any], name: str | None) -> Any:
            if not name:
                return ""
            index = found[name]
            return raw[index] if index < len(raw) else ""

        for number in range(header + 1, len(table.rows) + 1):
            raw = table.rows[number - 1]
            if not any(cell_text(c) for c in raw):
                continue
            try:
                day = to_date(cell(raw, lay.date), lay.date_format)
            except ValueError:
                day = None
            if day is None:
                continue  # 合计 lines and notes below the statement
            try:
                if lay.amount:
                    amount = to_money(cell(raw, lay.amount)) or ZERO
                else:
                    amount = (to_money(cell(raw, lay.deposit)) or ZERO) - abs(
                        to_money(cell(raw, lay.withdrawal)) or ZERO
                    )
                balance = to_money(cell(raw, lay.balance)) if lay.balance else None
            except ValueError as exc:
                errors.append(table.error(number, f"金额无法识别：{exc.args[0]!r}", "bad amount"))
                continue
            if not amount:
                continue
            counterparty = cell_text(cell(raw, lay.counterparty))
            narration = " ".join(t for t in (cell_text(cell(raw, n)) for n in lay.narration) if t)
            ref = cell_text(cell(raw, lay.reference))
            if not ref:
                digest = hashlib.sha1(  # a row id for de-duplication, not a secret
                    f"{day}|{amount}|{balance}|{counterparty}|{narration}".encode(),
                    usedforsecurity=False,
                ).hexdigest()
                ref = f"auto-{digest[:12]}"
            lines.append(
                Line(number, day, amount, balance, counterparty, _SPACES.sub(" ", narration), ref)
            )
        if errors:
            raise ExchangeErrors(errors)
        if len(lines) > 1 and lines[0].date > lines[-1].date:
            lines.reverse()  # newest first, as many banks print
        self.lines = lines
        return lines

    def counter_by_rule(self, line: Line) -> str | None:
        for rule in self.config.rules:
            if rule.matches(line.narration, line.counterparty, line.amount):
                return rule.account
        return None

    @override
    def extract(self, filepath: str, existing: data.Entries) -> data.Entries:
        entries: list[data.Directive] = []
        for index, line in enumerate(self.read(filepath)):
            meta = data.new_metadata(SOURCE, index + 1)
            meta[META_REF] = line.ref
            meta["__row__"] = line.row
            postings = [
                data.Posting(
                    self.config.account, Amount(line.amount, self.currency), None, None, None, None
                )
            ]
            counter = self.counter_by_rule(line)
            if counter:
                meta["__rule__"] = True
                postings.append(
                    data.Posting(
                        counter, Amount(-line.amount, self.currency), None, None, None, None
                    )
                )
            entries.append(
                data.Transaction(
                    meta,
                    line.date,
                    "*",
                    line.counterparty or None,
                    line.narration,
                    data.EMPTY_SET,
                    data.EMPTY_SET,
                    postings,
                )
            )
        last = self.lines[-1] if self.lines else None
        if last is not None and last.balance is not None:
            entries.append(
                data.Balance(
                    data.new_metadata(SOURCE, 0),
                    last.date + datetime.timedelta(days=1),
                    self.config.account,
                    Amount(last.balance, self.currency),
                    None,
                    None,
                )
            )
        return entries

    def deduplicate(self, entries: data.Entries, existing: data.Entries) -> None:
        """A line is already booked when a transaction on this account carries its bank-ref."""
        refs = {
            (e.meta or {}).get(META_REF)
            for e in existing
            if isinstance(e, data.Transaction)
            and any(p.account == self.config.account for p in e.postings)
        }
        balances = {(e.date, e.account) for e in existing if isinstance(e, data.Balance)}
        for entry in entries:
            if (isinstance(entry, data.Transaction) and entry.meta.get(META_REF) in refs) or (
                isinstance(entry, data.Balance) and (entry.date, entry.account) in balances
            ):
                entry.meta[beangulp.extract.DUPLICATE] = True


def _rename(account: str, old: str, new: str) -> str:
    parts = account.split(":")
    return ":".join(
        new if p == old else p[: -len(old)] + new if p.endswith(old) and len(p) > len(old) else p
        for p in parts
    )


def training_entries(
    existing: list[data.Directive], account: str, funds: set[str]
) -> list[data.Directive]:
    """The ledger, plus the lines of the same bank account in the other funds as if they were
    this fund's: a project's accounts are new each year (`ZY25` after `ZY24`), and last year's
    project is the best teacher for this year's. A borrowed transaction is kept only if every
    account it names, renamed, is open in the ledger.
    """
    parts = account.split(":")
    if len(parts) < 3 or parts[1] not in funds:
        return existing
    fund = parts[1]
    opened = {e.account for e in existing if isinstance(e, data.Open)}
    borrowed: list[data.Directive] = []
    for entry in existing:
        if not isinstance(entry, data.Transaction):
            continue
        for posting in entry.postings:
            other = posting.account.split(":")
            if (
                len(other) == len(parts)
                and other[1] != fund
                and other[1] in funds
                and other[:1] + other[2:] == parts[:1] + parts[2:]
            ):
                old = other[1]
                renamed = [
                    p._replace(account=_rename(p.account, old, fund)) for p in entry.postings
                ]
                if all(p.account in opened for p in renamed):
                    borrowed.append(entry._replace(postings=renamed))
                break
    return [*existing, *borrowed]


@dataclass
class BankResult:
    """The entries a statement import produces, and what it skipped."""

    entries: list[data.Directive]
    duplicates: int
    predicted: int = 0
    by_rule: int = 0
    fallback: int = 0
    rejected: list[str] = field(default_factory=list)  # predictions refused, with why


def beangulp_importer(
    config_path: str | Path, currency: str = "CNY", *, predict: bool = True
) -> beangulp.Importer:
    """The importer for beangulp's own command line (`identify`, `extract`, `archive`):

        # import.py
        from beangulp import Ingest
        from hzledger.exchange.bank import beangulp_importer
        Ingest([beangulp_importer("基本户.toml")])()

    beangulp's `extract -e main.beancount` gets smart_importer's predictions as they come;
    `hzledger import bank` is the path that also judges them by the contract and writes.
    """
    importer = StatementImporter(load_config(Path(config_path)), currency)
    if not (predict and importer.config.predict.enabled):
        return importer
    from smart_importer import PredictPostings

    return PredictPostings(string_tokenizer=tokenize).wrap(importer)


def _funds(existing: list[data.Directive]) -> set[str]:
    return {
        str(e.values[0].value)
        for e in existing
        if isinstance(e, data.Custom) and e.type in ("hz-fund", "hz-project") and e.values
    }


def _open_on(
    existing: list[data.Directive],
) -> dict[str, tuple[datetime.date, datetime.date | None]]:
    spans: dict[str, tuple[datetime.date, datetime.date | None]] = {}
    for e in existing:
        if isinstance(e, data.Open):
            spans[e.account] = (e.date, None)
        elif isinstance(e, data.Close) and e.account in spans:
            spans[e.account] = (spans[e.account][0], e.date)
    return spans


def import_statement(
    path: Path, config: BankConfig, existing: list[data.Directive], options: dict[str, Any]
) -> BankResult:
    from smart_importer import PredictPostings

    from hzledger.engine import run_rules

    currency = (options.get("operating_currency") or ["CNY"])[0]
    importer = StatementImporter(config, currency)
    spans = _open_on(existing)
    if config.account not in spans:
        raise ExchangeError(
            f"配置的账户 {config.account} 在账本中没有开立（缺少 open）",
            f"account {config.account} is not opened in the ledger",
            file=str(path),
        )
    runner: beangulp.Importer = importer
    if config.predict.enabled:
        runner = PredictPostings(string_tokenizer=tokenize).wrap(importer)
    with warnings.catch_warnings():
        # scikit-learn notes that our tokenizer replaces its token pattern: that is the point.
        warnings.simplefilter("ignore", UserWarning)
        teacher = training_entries(existing, config.account, _funds(existing))
        extracted = beangulp.extract.extract_from_file(runner, str(path), teacher)
    importer.deduplicate(extracted, existing)
    fresh = [e for e in extracted if not e.meta.get(beangulp.extract.DUPLICATE)]
    result = BankResult([], duplicates=len(extracted) - len(fresh))
    table = importer.table

    def is_open(account: str, day: datetime.date) -> bool:
        span = spans.get(account)
        return span is not None and span[0] <= day and (span[1] is None or day < span[1])

    def fallback(txn: data.Transaction) -> str | None:
        units: Any = txn.postings[0].units
        bank: Decimal = units.number
        return config.predict.fallback_in if bank > 0 else config.predict.fallback_out

    def with_counter(txn: data.Transaction, account: str) -> data.Transaction:
        bank = txn.postings[0]
        units: Any = bank.units
        counter = data.Posting(
            account, Amount(-units.number, units.currency), None, None, None, None
        )
        return txn._replace(postings=[bank, counter])

    settled: list[data.Directive] = []
    how: dict[int, str] = {}
    why: dict[int, str] = {}  # statement row -> why its prediction was not kept
    for entry in fresh:
        if not isinstance(entry, data.Transaction):
            settled.append(entry)
            continue
        bank = next(p for p in entry.postings if p.account == config.account)
        entry = entry._replace(postings=[bank, *[p for p in entry.postings if p is not bank]])
        if entry.meta.pop("__rule__", False):
            how[id(entry)] = "rule"
            settled.append(entry)
            continue
        others = entry.postings[1:]
        if len(others) == 1 and is_open(others[0].account, entry.date):
            entry = with_counter(entry, others[0].account)
            how[id(entry)] = "predicted"
        else:
            if others:
                why[entry.meta["__row__"]] = (
                    f"预测的对方科目（{'、'.join(p.account for p in others)}）不是单一的已开立账户"
                )
            entry = entry._replace(postings=[bank])
            account = fallback(entry)
            if account:
                entry = with_counter(entry, account)
                how[id(entry)] = "fallback"
        settled.append(entry)

    # Judge every prediction with the rules themselves; a prediction that breaks the contract
    # is replaced by the fallback account (or left for the user's rules).
    candidates = [e for e in settled if not isinstance(e, data.Transaction) or len(e.postings) == 2]
    outcome = run_rules(data.sorted([*existing, *candidates]), options)
    bad_lines = {
        f.line: f for f in outcome.findings if f.file == SOURCE and f.rule in COUNTER_RULES
    }

    def row_of(entry: data.Transaction) -> int:
        return int(entry.meta.get("__row__", 0))

    final: list[data.Directive] = []
    unresolved: list[ExchangeError] = []
    for entry in settled:
        if isinstance(entry, data.Transaction):
            kind = how.get(id(entry))
            line = entry.meta.get("lineno")
            if kind == "predicted" and line in bad_lines:
                finding = bad_lines[line]
                why[entry.meta["__row__"]] = (
                    f"预测的对方科目 {entry.postings[1].account} 会违反 {finding.rule}"
                    f"（{finding.message[:60]}…），不予采用"
                )
                account = fallback(entry)
                entry = (
                    with_counter(entry._replace(postings=entry.postings[:1]), account)
                    if account
                    else entry._replace(postings=entry.postings[:1])
                )
                kind = "fallback" if account else None
            if len(entry.postings) < 2:
                row = entry.meta.get("__row__")
                assert table is not None  # noqa: S101 (narrows the type; an invariant, not input checking)
                unresolved.append(
                    table.error(
                        row,
                        f"无法确定对方科目（{entry.date} {' '.join(filter(None, (entry.payee, entry.narration)))} "
                        f"{entry.postings[0].units}）"
                        + (f"：{why[row]}" if row in why else "")
                        + "；请在配置中加 [[rules]]，或设置 [predict] fallback-in / fallback-out",
                        "no counter account: add a rule or a fallback account",
                    )
                )
                continue
            if row_of(entry) in why:
                result.rejected.append(f"第 {row_of(entry)} 行：{why[row_of(entry)]}，改用备用科目")
            result.predicted += kind == "predicted"
            result.by_rule += kind == "rule"
            result.fallback += kind == "fallback"
            meta = {k: v for k, v in entry.meta.items() if k in ("filename", "lineno", META_REF)}
            entry = entry._replace(meta=meta)
        final.append(entry)
    if unresolved:
        raise ExchangeErrors(unresolved)
    result.entries = final
    return result
