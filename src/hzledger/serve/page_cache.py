"""The compliance page, rendered once per ledger load and filter, served from memory.

The page judges the whole ledger, computed at load; what remains per request is Fava's
layout around it, which dominates under load (200 supervisors at once). The rendered
response is kept under (ledger load generation, date, query string): a reload (Fava
reloads on every file change, checked before each use) bumps the generation, so a page
is never served from an older load; the date is in the key because Fava's layout
depends on today. At most `MAX_ENTRIES` filter combinations per ledger are kept.
"""

from __future__ import annotations

import datetime
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from hzledger.serve.app import ServedLedger

MAX_ENTRIES = 64

Page = tuple[str, list[tuple[str, str]], bytes]


class PageCache:
    """Rendered pages kept per ledger load; cleared whenever Fava reloads the ledger."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pages: dict[str, OrderedDict[tuple[int, str, str], Page]] = {}

    def serve(
        self, served: ServedLedger, environ: WSGIEnvironment, start_response: StartResponse
    ) -> list[bytes]:
        served.refresh()
        key = (
            served.ledger.generation,
            datetime.date.today().isoformat(),
            environ.get("QUERY_STRING", ""),
        )
        with self._lock:
            pages = self._pages.setdefault(served.slug, OrderedDict())
            page = pages.get(key)
            if page is not None:
                pages.move_to_end(key)
        if page is None:
            page = self._render(served, environ)
            personal = any(k.lower() == "set-cookie" for k, _ in page[1])
            if page[0].startswith("200") and not personal and served.ledger.generation == key[0]:
                with self._lock:
                    pages = self._pages.setdefault(served.slug, OrderedDict())
                    # Drop pages of older loads at once; bound the filter combinations.
                    for old in [k for k in pages if k[0] != key[0] or k[1] != key[1]]:
                        del pages[old]
                    pages[key] = page
                    while len(pages) > MAX_ENTRIES:
                        pages.popitem(last=False)
        status, headers, body = page
        start_response(status, list(headers))
        return [body]

    @staticmethod
    def _render(served: ServedLedger, environ: WSGIEnvironment) -> Page:
        captured: dict[str, Any] = {}

        # WSGI's start_response signature: exc_info and the write callable's data go unused.
        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:  # noqa: ARG001
            captured["status"] = status
            captured["headers"] = headers
            return lambda data: None  # noqa: ARG005

        env = dict(environ)
        env["REQUEST_METHOD"] = "GET"
        result = served.app(env, capture)
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        return captured["status"], captured["headers"], body
