"""Property tests: random balanced transactions over several funds, loaded by Beancount.

- HZ-A17 fires exactly on the transactions in which some fund's postings don't sum to zero;
- fund use is never negative and ignores moves between one fund's own cash/bank accounts.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from beancount.core import data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hzledger.check import check_file
from hzledger.txn import fund_use


def units(posting: data.Posting) -> Decimal:
    assert posting.units is not None and posting.units.number is not None
    return posting.units.number


FUNDS = ("ZH", "PA", "PB")
# account suffix -> kind
ACCOUNTS = {
    "Assets:{f}:1001现金": "cash",
    "Assets:{f}:1002银行存款": "bank",
    "Assets:{f}:1002银行存款:D定期": "term-deposit",
    "Expenses:{f}:5101互助金": "benefit",
    "Income:{f}:4601利息收入": "interest",
    "Liabilities:{f}:2209往来": "interfund",
}
ALL_ACCOUNTS = [(name.format(f=f), kind, f) for f in FUNDS for name, kind in ACCOUNTS.items()]

HEADER = (
    'option "operating_currency" "CNY"\n'
    + "".join(f'2020-01-01 custom "hz-fund" "{f}" "基金{f}"\n' for f in FUNDS)
    + "".join(f'2020-01-01 open {a} CNY\n  kind: "{k}"\n' for a, k, _ in ALL_ACCOUNTS)
)

cents = st.integers(min_value=-10_000_000, max_value=10_000_000).filter(bool)
posting = st.tuples(st.integers(0, len(ALL_ACCOUNTS) - 1), cents)
transaction = st.lists(posting, min_size=1, max_size=5)


def render(txns: list[list[tuple[int, int]]]) -> tuple[str, dict[str, list[tuple[str, Decimal]]]]:
    lines = [HEADER]
    booked: dict[str, list[tuple[str, Decimal]]] = {}
    for number, postings in enumerate(txns):
        legs = [(ALL_ACCOUNTS[i][0], Decimal(c) / 100) for i, c in postings]
        # The last leg balances the transaction, on a random account of the list.
        closing = ALL_ACCOUNTS[(postings[0][0] * 7 + number) % len(ALL_ACCOUNTS)][0]
        legs.append((closing, -sum((amount for _, amount in legs), Decimal(0))))
        legs = [(a, n) for a, n in legs if n]
        if len(legs) < 2:
            continue
        lines.append(f'2024-01-{1 + number % 28:02d} * "T{number}"\n')
        lines.extend(f"  {a}  {n:.2f} CNY\n" for a, n in legs)
        booked[f"T{number}"] = legs
    return "".join(lines), booked


def fund_of(account: str) -> str:
    return account.split(":")[1]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(transaction, min_size=1, max_size=25))
def test_a17_fires_exactly_when_a_fund_does_not_balance(tmp_path: Path, txns) -> None:
    text, booked = render(txns)
    path = tmp_path / "p.beancount"
    path.write_text(text, encoding="utf-8")
    checked = check_file(path)
    narrations = {
        e.meta["lineno"]: e.narration for e in checked.entries if isinstance(e, data.Transaction)
    }
    flagged = {narrations[f.line] for f in checked.findings if f.rule == "HZ-A17"}
    expected = set()
    for name, legs in booked.items():
        sums: dict[str, Decimal] = {}
        for account, amount in legs:
            sums[fund_of(account)] = sums.get(fund_of(account), Decimal(0)) + amount
        if any(sums.values()):
            expected.add(name)
    assert flagged == expected
    assert {f.rule for f in checked.findings} <= {"HZ-A17", "HZ-A29", "HZ-A32"}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(transaction, min_size=1, max_size=25))
def test_fund_use_is_never_negative_and_ignores_own_liquid_moves(tmp_path: Path, txns) -> None:
    text, _ = render(txns)
    path = tmp_path / "p.beancount"
    path.write_text(text, encoding="utf-8")
    checked = check_file(path)
    for entry in checked.entries:
        if not isinstance(entry, data.Transaction):
            continue
        use = fund_use(entry, checked.model)
        assert all(amount > 0 for amount in use.values())
        for fund in FUNDS:
            liquid = sum(
                (
                    units(p)
                    for p in entry.postings
                    if fund_of(p.account) == fund
                    and checked.model.kind_of(p.account) in ("cash", "bank")
                ),
                Decimal(0),
            )
            assert use.get(fund, Decimal(0)) == max(-liquid, Decimal(0))


@given(st.integers(min_value=1, max_value=10**9), st.sampled_from(FUNDS))
@settings(
    max_examples=1, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_move_between_own_cash_and_bank_is_zero_use(tmp_path: Path, amount: int, fund: str) -> None:
    number = Decimal(amount) / 100
    text = HEADER + (
        f'2024-01-02 * "存现"\n  Assets:{fund}:1002银行存款  {number:.2f} CNY\n'
        f"  Assets:{fund}:1001现金  {-number:.2f} CNY\n"
    )
    path = tmp_path / "m.beancount"
    path.write_text(text, encoding="utf-8")
    checked = check_file(path)
    txn = next(e for e in checked.entries if isinstance(e, data.Transaction))
    assert fund_use(txn, checked.model) == {}
