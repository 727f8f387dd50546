#!/usr/bin/env python
"""How often does smart_importer guess a bank line's counter-account right?

For each demo organisation and each of its bank accounts (kind `bank`): train on the
organisation's transactions up to 2024-12-31 (its own 2023–2024 bank lines), then take every
2025 transaction on that account, strip it to the bank posting alone — what a statement line
gives — and let `hzledger import bank`'s predictor (smart_importer's PredictPostings with our
Chinese tokenizer) propose the rest. A line is right when the predicted accounts are exactly
the accounts the accountant booked. This is a figure for the docs, not a timed test.

    .venv/bin/python benchmarks/bank_prediction.py                 # ledgers/*
    .venv/bin/python benchmarks/bank_prediction.py ledgers/xicheng  # one organisation
    .venv/bin/python benchmarks/bank_prediction.py --no-borrow      # own lines only
"""

from __future__ import annotations

import argparse
import datetime
import sys
import warnings
from pathlib import Path

from beancount.core import data
from smart_importer import PredictPostings

from hzledger.check import check_file
from hzledger.exchange.bank import tokenize, training_entries

CUT = datetime.date(2025, 1, 1)


def measure(org: Path, borrow: bool = True) -> tuple[int, int, int, int]:
    checked = check_file(org / "main.beancount")
    entries = checked.entries
    training = [e for e in entries if not isinstance(e, data.Transaction) or e.date < CUT]
    banks = [a for a, info in checked.model.accounts.items() if info.kind == "bank"]
    lines = right = single = single_right = 0
    for account in banks:
        tests = [
            e
            for e in entries
            if isinstance(e, data.Transaction)
            and e.date >= CUT
            and e.date.year == 2025
            and any(p.account == account for p in e.postings)
        ]
        if not tests:
            continue
        stripped = [
            t._replace(postings=[next(p for p in t.postings if p.account == account)], meta={})
            for t in tests
        ]
        predictor = PredictPostings(string_tokenizer=tokenize)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            teacher = (
                training_entries(training, account, set(checked.model.funds))
                if borrow
                else training
            )
            [(_, predicted, _, _)] = predictor.hook([("", stripped, account, None)], teacher)
        for actual, guess in zip(tests, predicted, strict=True):
            ok = sorted(p.account for p in guess.postings) == sorted(
                p.account for p in actual.postings
            )
            lines += 1
            right += ok
            if len(actual.postings) == 2:
                single += 1
                single_right += ok
    return lines, right, single, single_right


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("orgs", nargs="*", type=Path)
    parser.add_argument(
        "--no-borrow",
        action="store_true",
        help="train on the account's own lines only (not the same account of the other funds)",
    )
    args = parser.parse_args()
    root = Path(__file__).resolve().parent.parent / "ledgers"
    orgs = args.orgs or sorted(p.parent for p in root.glob("*/main.beancount"))
    total = [0, 0, 0, 0]
    print("| 组织 | 2025 年银行流水 | 预测全对 | 占比 | 其中单一对方科目 | 占比 |")
    print("|---|---:|---:|---:|---:|---:|")
    for org in orgs:
        lines, right, single, single_right = measure(org, borrow=not args.no_borrow)
        total = [t + v for t, v in zip(total, (lines, right, single, single_right), strict=True)]
        print(
            f"| {org.name} | {lines} | {right} | {right / lines:.1%} | "
            f"{single_right}/{single} | {single_right / single:.1%} |"
        )
    lines, right, single, single_right = total
    print(
        f"| 合计 | {lines} | {right} | {right / lines:.1%} | {single_right}/{single} | "
        f"{single_right / single:.1%} |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
