"""BQL queries and Fava filters that answer the request that sent them, within bounds.

Fava keeps one beanquery shell per ledger and sets its connection (`shell.context`)
from the request's filtered entries on every query: two waitress threads querying the
same ledger with different filters would read each other's entries. `GuardedQueryShell`
runs one query at a time per ledger. Query and filter text is bounded before any parser
sees it (length, bracket depth, nested quantifiers), a query that still runs too long
is stopped by a deadline, and every failure becomes `QueryRejected` — a 400 with a
Chinese message, never a 500 with a traceback.
"""

from __future__ import annotations

import ctypes
import re
import threading
from collections.abc import Callable, Sequence
from http import HTTPStatus
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import regex
from fava.core.filters import FilterError
from fava.core.query_shell import (
    NonExportableQueryError,
    QueryCompilationError,
    QueryNotFoundError,
    QueryParseError,
    QueryShell,
    TooManyRunArgsError,
)
from fava.json_api import FavaJSONAPIError

from hzledger.messages import Msg

if TYPE_CHECKING:
    import io

    from fava.beans.abc import Directive
    from fava.core import FavaLedger
    from fava.core.query import QueryResultTable, QueryResultText

T = TypeVar("T")

MAX_QUERY_CHARS = 4000
MAX_FILTER_CHARS = 500
MAX_DEPTH = 32
MAX_OPERATORS = 200
# Operators outside quoted strings: beanquery's parser recurses once per binary operator.
QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
OPERATOR = re.compile(r"[-+*/%<>=~!|&]+|\b(?:and|or|not|in|is)\b", re.IGNORECASE)
QUERY_SECONDS = 5.0
FILTER_PARAMS = ("time", "account", "filter")

# A quantified group that itself contains a quantifier: `(a+)+`, `(.*)*x` — the shapes
# that make a regular expression backtrack exponentially on a long account name.
QUANTIFIER = re.compile(r"[*+}]|(?<!\()\?")
MAX_FILTER_QUANTIFIERS = 4
NESTED_QUANTIFIER = re.compile(r"\([^()]*[+*}][^()]*\)\s*[+*{]")


class QueryRejected(FavaJSONAPIError):
    """A query or filter this service will not run; Fava's JSON API answers `status` with it."""

    status = HTTPStatus.BAD_REQUEST

    def __init__(self, msg: Msg, lang: str | None = None) -> None:
        super().__init__(msg.en if lang == "en" else msg.zh)
        self.msg = msg


_FILTER_NAMES = {"filter": "filter", "time": "time", "account": "account"}


def filter_error(exc: FilterError) -> Msg:
    """Fava's English filter parse errors (a 500 in its JSON API) as our bilingual 400 text."""
    name = _FILTER_NAMES.get(exc.filter_type, exc.filter_type)
    english = exc.message
    value = english.partition(": ")[2] if ": " in english else ""
    shown = f"：{value}" if value else ""
    return Msg(
        f"筛选条件 {name} 无法解析（请检查括号、引号和写法）{shown}",
        f"filter {name} could not be parsed: {english}",
    )


class QueryTimeout(BaseException):
    """Raised inside the query's own thread at its deadline (BaseException: no parser's
    `except Exception` backtracking may swallow it).
    """


def depth(text: str) -> int:
    deepest = level = 0
    for ch in text:
        if ch in "([{":
            level += 1
            deepest = max(deepest, level)
        elif ch in ")]}":
            level = max(0, level - 1)
    return deepest


def check_text(text: str, what: Msg, limit: int) -> Msg | None:
    """Why `text` is refused before parsing, or None."""
    if len(text) > limit:
        return Msg(
            f"{what.zh}过长：{len(text)} 个字符，上限 {limit}",
            f"{what.en} too long: {len(text)} characters, limit {limit}",
        )
    if depth(text) > MAX_DEPTH:
        return Msg(
            f"{what.zh}的括号嵌套超过 {MAX_DEPTH} 层",
            f"{what.en} nests brackets deeper than {MAX_DEPTH}",
        )
    operators = len(OPERATOR.findall(QUOTED.sub("''", text)))
    if operators > MAX_OPERATORS:
        return Msg(
            f"{what.zh}含 {operators} 个运算符，上限 {MAX_OPERATORS}",
            f"{what.en} has {operators} operators, limit {MAX_OPERATORS}",
        )
    return None


def check_filter(name: str, value: str) -> Msg | None:
    """Why a Fava filter parameter (`time`, `account`, `filter`) is refused, or None."""
    what = Msg(f"筛选条件 {name}", f"filter {name}")
    refused = check_text(value, what, MAX_FILTER_CHARS)
    if refused is not None or name == "time":
        return refused
    repeats = len(QUANTIFIER.findall(value))
    if repeats > MAX_FILTER_QUANTIFIERS:
        # Filters run Python's `re` (in C, beyond the deadline's reach): `.*` eight times
        # takes ~9 s on one account name, five times ~0.05 s.
        return Msg(
            f"筛选条件 {name} 含 {repeats} 个重复符（* + ? {{}}），上限 {MAX_FILTER_QUANTIFIERS}",
            f"filter {name} has {repeats} quantifiers, limit {MAX_FILTER_QUANTIFIERS}",
        )
    if NESTED_QUANTIFIER.search(value):
        return Msg(
            f"筛选条件 {name} 含嵌套重复的正则表达式（如 (a+)+），可能耗尽服务器时间",
            f"filter {name} has a nested quantifier such as (a+)+",
        )
    if name == "account":
        # Beancount's has_component puts the value into a regular expression as is.
        try:
            re.compile(f"(^|:){value}(:|$)")
        except re.error as exc:
            return Msg(
                f"筛选条件 account 不是有效的账户名或正则表达式：{exc}",
                f"filter account is not a valid account or regular expression: {exc}",
            )
    return None


FILTER_TIMEOUT = Msg(
    "筛选条件运行超时，已中止；请简化筛选（尤其是正则表达式）",
    "filter stopped at its deadline; simplify it (regular expressions especially)",
)


class Deadline:
    """Raise `QueryTimeout` in the calling thread once `seconds` have passed.

    CPython can only interrupt pure-Python code between bytecodes; beanquery's parser and
    evaluator are Python. A timer that fires after the work finished is disarmed under
    the lock, and an exception it already queued is withdrawn before leaving.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._thread = threading.get_ident()
        self._lock = threading.Lock()
        self._armed = False
        self._fired = False
        self._timer: threading.Timer | None = None

    def _fire(self) -> None:
        with self._lock:
            if self._armed:
                self._fired = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(
                    ctypes.c_ulong(self._thread), ctypes.py_object(QueryTimeout)
                )

    def __enter__(self) -> Deadline:
        self._thread = threading.get_ident()
        self._armed = True
        self._timer = threading.Timer(self.seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        with self._lock:
            self._armed = False
            if self._fired:
                # Withdraw the exception if it is still pending (NULL clears it).
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self._thread), None)
        if self._timer is not None:
            self._timer.cancel()


QUERY = Msg("查询", "query")
TIMEOUT = Msg(
    f"查询运行超过 {QUERY_SECONDS:g} 秒，已中止；请缩小范围（WHERE、时间筛选）",
    f"query stopped after {QUERY_SECONDS:g} s; narrow it (WHERE, time filter)",
)


def _translate(exc: BaseException) -> Msg:
    if isinstance(exc, (QueryTimeout, TimeoutError)):
        return TIMEOUT
    if isinstance(exc, QueryNotFoundError):
        return Msg(f"账本中没有这个命名查询：{exc.message}", exc.message)
    if isinstance(exc, TooManyRunArgsError):
        return Msg("run 只接受一个查询名称", exc.message)
    if isinstance(exc, QueryParseError):
        return Msg(f"查询语法错误：{exc.message}", exc.message)
    if isinstance(exc, QueryCompilationError):
        return Msg(f"查询无法编译（表、列或函数不存在或类型不符）：{exc.message}", exc.message)
    if isinstance(exc, NonExportableQueryError):
        return Msg("只有返回表格的查询可以下载", exc.message)
    if isinstance(exc, RecursionError):
        return Msg("查询嵌套过深，无法解析", "query nested too deeply to parse")
    if isinstance(exc, ValueError) and "unpack" in str(exc):
        return Msg("run 后需要一个查询名称", "run needs a query name")
    if isinstance(exc, ValueError):
        # shlex on `run "x` (no closing quotation), `run` without a name, …
        return Msg(f"查询语法错误：{exc}", f"query syntax error: {exc}")
    return Msg(
        f"查询无法执行：{type(exc).__name__}: {exc}", f"query failed: {type(exc).__name__}: {exc}"
    )


REGEX_SECONDS = 0.2


class _BoundedRe:
    """`re` as beanquery's operators use it (`~`, grep, subst…), each match bounded in time.

    A regular expression runs in C, where the query deadline cannot reach: `regex`
    (already a Beancount dependency) takes a timeout per call instead, and the deadline
    fires between calls.
    """

    IGNORECASE = regex.IGNORECASE

    @staticmethod
    def search(pattern: str, string: str, flags: int = 0) -> Any:
        return regex.search(pattern, string, flags, timeout=REGEX_SECONDS)

    @staticmethod
    def match(pattern: str, string: str, flags: int = 0) -> Any:
        return regex.match(pattern, string, flags, timeout=REGEX_SECONDS)

    @staticmethod
    def fullmatch(pattern: str, string: str, flags: int = 0) -> Any:
        return regex.fullmatch(pattern, string, flags, timeout=REGEX_SECONDS)

    @staticmethod
    def sub(pattern: str, repl: str, string: str, count: int = 0, flags: int = 0) -> Any:
        return regex.sub(pattern, repl, string, count, flags, timeout=REGEX_SECONDS)


def bound_beanquery_regexes() -> None:
    """Swap beanquery's `re` for `_BoundedRe` (idempotent; the serve process only)."""
    from beanquery import query_compile, query_env

    for module in (query_compile, query_env):
        module.re = _BoundedRe


class GuardedQueryShell(QueryShell):
    """Fava's query module, one query at a time per ledger, bounded, failing with 400s."""

    def __init__(self, ledger: FavaLedger) -> None:
        super().__init__(ledger)
        self._lock = threading.Lock()

    def _lang(self) -> str | None:
        return self.ledger.fava_options.language

    def _guarded(self, query: str, work: Callable[[], T]) -> T:
        refused = check_text(query, QUERY, MAX_QUERY_CHARS)
        if refused is not None:
            raise QueryRejected(refused, self._lang())
        with self._lock:
            out: io.StringIO = self.shell.outfile
            # An earlier query stopped at its deadline may have left output behind.
            out.seek(0)
            out.truncate(0)
            try:
                with Deadline(QUERY_SECONDS):
                    return work()
            except QueryRejected:
                raise
            except (QueryTimeout, Exception) as exc:
                raise QueryRejected(_translate(exc), self._lang()) from None

    def execute_query_serialised(
        self, entries: Sequence[Directive], query: str
    ) -> QueryResultTable | QueryResultText:
        run = super().execute_query_serialised
        return self._guarded(query, lambda: run(entries, query))

    def query_to_file(
        self, entries: Sequence[Directive], query_string: str, result_format: str
    ) -> tuple[str, io.BytesIO]:
        run = super().query_to_file
        return self._guarded(query_string, lambda: run(entries, query_string, result_format))
