"""`queries/*.bql`: each view runs with beanquery on the example ledger and agrees with the reports."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import beanquery
import pytest

from hzledger.reports.funds import funds_report
from hzledger.reports.source import load_ledger

QUERIES = Path(__file__).resolve().parents[2] / "queries"
BQL = sorted(QUERIES.glob("*.bql"))


def test_there_is_a_view_per_report() -> None:
    names = {p.stem for p in BQL}
    assert {
        "funds",
        "balance",
        "budget-actual",
        "statistics",
        "solvency",
        "large-transactions",
        "interfund",
    } <= names


@pytest.fixture(scope="module")
def example_conn(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, beanquery.Connection]:
    import shutil

    from report_ledgers import EXAMPLE

    target = tmp_path_factory.mktemp("bql") / "example"
    shutil.copytree(EXAMPLE, target)
    main = target / "main.beancount"
    return main, beanquery.connect("beancount:" + str(main))


@pytest.mark.parametrize("query", BQL, ids=[p.stem for p in BQL])
def test_query_runs_and_is_commented(
    query: Path, example_conn: tuple[Path, beanquery.Connection]
) -> None:
    text = query.read_text(encoding="utf-8")
    # bean-query's batch mode needs the statement keyword first; the comment follows it.
    assert text.startswith("SELECT /*")
    assert "运行 / run:" in text
    _, conn = example_conn
    cursor = conn.execute(text)
    assert cursor.description, query.name
    cursor.fetchall()


def test_funds_view_agrees_with_report(
    example_conn: tuple[Path, beanquery.Connection], ctx_for
) -> None:
    main, conn = example_conn
    rows = conn.execute((QUERIES / "funds.bql").read_text(encoding="utf-8")).fetchall()
    report = funds_report(ctx_for(load_ledger(main), 2025))
    for s in report.funds:
        income = -sum((r[3] for r in rows if r[0] == s.code and r[1] == "Income"), Decimal(0))
        spent = sum((r[3] for r in rows if r[0] == s.code and r[1] == "Expenses"), Decimal(0))
        assert (income, spent) == (s.income_total, s.expenses_total)


def test_bean_query_command_line(example_conn: tuple[Path, beanquery.Connection]) -> None:
    main, _ = example_conn
    bean_query = Path(sys.executable).parent / "bean-query"
    with (QUERIES / "statistics.bql").open("rb") as stdin:
        result = subprocess.run(
            [str(bean_query), str(main)], stdin=stdin, capture_output=True, text=True, timeout=120
        )
    assert result.returncode == 0, result.stderr
    assert "ZY25" in result.stdout and "6400" in result.stdout


def test_every_query_runs_in_fava(example_conn: tuple[Path, beanquery.Connection]) -> None:
    from fava.core import FavaLedger
    from fava.core.query import QueryResultTable

    main, _ = example_conn
    ledger = FavaLedger(str(main))
    for query in BQL:
        result = ledger.query_shell.execute_query_serialised(
            ledger.all_entries, query.read_text(encoding="utf-8")
        )
        assert isinstance(result, QueryResultTable), query.name
        assert result.types, query.name
