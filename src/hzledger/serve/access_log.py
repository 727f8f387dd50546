"""One JSON line per request: who saw which ledger, and what they got."""

from __future__ import annotations

import datetime
import json
import sys
import threading
from pathlib import Path
from typing import TextIO

QUERY_LOG_MAX = 1000


def capped(query: str) -> str:
    """A query string short enough for one log line (a 20 KB BQL query is not)."""
    if len(query) <= QUERY_LOG_MAX:
        return query
    return f"{query[:QUERY_LOG_MAX]}…（共 {len(query)} 字符）"


class AccessLog:
    """The JSON-lines access log: one line per request, written under a lock by every thread."""

    def __init__(self, path: Path | None = None) -> None:
        self._lock = threading.Lock()
        self._owned = path is not None
        self._stream: TextIO = (
            path.open("a", encoding="utf-8", buffering=1) if path is not None else sys.stderr
        )

    def write(
        self,
        *,
        user: str | None,
        attempted: str | None = None,
        ledger: str | None,
        method: str,
        path: str,
        query: str,
        status: int,
        remote: str | None,
        ms: float,
        refused: str | None = None,
    ) -> None:
        record = {
            "time": datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds"),
            "user": user,
            "ledger": ledger,
            "method": method,
            "path": path,
            "query": capped(query),
            "status": status,
            "remote": remote,
            "ms": round(ms, 1),
        }
        if attempted is not None and user is None:
            # A refused login: which name was tried (sanitised by the authenticator).
            record["attempted"] = attempted
        if refused is not None:
            # Refused by the HTTP server itself, before the application (bad request, too big…).
            record["refused"] = refused
        line = json.dumps(record, ensure_ascii=False)
        with self._lock:
            self._stream.write(line + "\n")
            self._stream.flush()

    def close(self) -> None:
        if self._owned:
            self._stream.close()
