"""The bounds in front of BQL and Fava filters, and the deadline that stops a query."""

from __future__ import annotations

import threading
import time

import pytest

from hzledger.serve.query_guard import (
    MAX_DEPTH,
    MAX_QUERY_CHARS,
    QUERY,
    Deadline,
    QueryTimeout,
    check_filter,
    check_text,
)


def test_deadline_stops_a_python_loop() -> None:
    start = time.monotonic()
    with pytest.raises(QueryTimeout), Deadline(0.2):
        while True:
            pass
    assert time.monotonic() - start < 5


def test_a_finished_block_never_gets_a_late_timeout() -> None:
    """Timers racing the end of the block: the queued exception is withdrawn, never delivered."""
    for _ in range(300):
        try:
            with Deadline(0.0005):
                sum(range(200))
        except QueryTimeout:
            pass  # fired inside the block: that is the deadline working
        # Anything still pending would surface during this loop.
        for _ in range(2000):
            pass
    time.sleep(0.05)


def test_deadline_is_per_thread() -> None:
    errors: list[BaseException] = []

    def other() -> None:
        try:
            time.sleep(0.5)
        except BaseException as exc:  # a timeout meant for the main thread would land here
            errors.append(exc)

    thread = threading.Thread(target=other)
    thread.start()
    with pytest.raises(QueryTimeout), Deadline(0.1):
        while True:
            pass
    thread.join()
    assert not errors


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("SELECT " + "x" * MAX_QUERY_CHARS, "过长"),
        ("SELECT " + "(" * (MAX_DEPTH + 1) + "1" + ")" * (MAX_DEPTH + 1), "嵌套"),
        ("SELECT " + "+".join(["1"] * 300), "运算符"),
    ],
)
def test_query_text_bounds(text: str, fragment: str) -> None:
    refused = check_text(text, QUERY, MAX_QUERY_CHARS)
    assert refused is not None and fragment in refused.zh


def test_ordinary_queries_pass() -> None:
    for text in [
        "SELECT date, account, sum(position) WHERE account ~ '^Income:.*' GROUP BY 1, 2",
        "SELECT '+-*/ inside a string does not count ' || payee",
        "BALANCES FROM year = 2025",
    ]:
        assert check_text(text, QUERY, MAX_QUERY_CHARS) is None, text


@pytest.mark.parametrize(
    ("name", "value", "refused"),
    [
        ("account", "Expenses", False),
        ("account", "^Income:ZH", False),
        ("account", "(", True),
        ("account", "(a+)+$", True),
        ("account", ".*" * 5, True),
        ("filter", '#tag payee:"x"', False),
        ("filter", "(" * 40, True),
        ("time", "2025", False),
        ("time", "x" * 600, True),
    ],
)
def test_filter_bounds(name: str, value: str, refused: bool) -> None:
    assert (check_filter(name, value) is not None) is refused
