"""One JSON line per request: who saw which ledger, and what they got."""

from __future__ import annotations

import datetime
import json
import sys
import threading
from pathlib import Path
from typing import TextIO


class AccessLog:
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
        ledger: str | None,
        method: str,
        path: str,
        query: str,
        status: int,
        remote: str | None,
        ms: float,
    ) -> None:
        record = {
            "time": datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds"),
            "user": user,
            "ledger": ledger,
            "method": method,
            "path": path,
            "query": query,
            "status": status,
            "remote": remote,
            "ms": round(ms, 1),
        }
        line = json.dumps(record, ensure_ascii=False)
        with self._lock:
            self._stream.write(line + "\n")
            self._stream.flush()

    def close(self) -> None:
        if self._owned:
            self._stream.close()
