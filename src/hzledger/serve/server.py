"""waitress, set up for a read-only GET service that strangers can reach.

- `connection_limit` far above the expected clients (waitress's default of 100 let 110
  slow connections lock everyone out), with `poll()` instead of `select()` (limited to
  1024 descriptors);
- `channel_timeout`: a connection idle this long is closed, so a client dribbling a
  header line every few seconds cannot keep a slot for long;
- a tiny `max_request_body_size`: nothing here takes a body, and waitress refuses a
  larger `Content-Length` from the headers alone (413), before reading — let alone
  spooling to disk — any of it;
- every request waitress itself refuses (400, 413, 431, 501, …) and every idle
  connection it closes is logged: the former in the access log, the latter as a line.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from waitress.channel import HTTPChannel
from waitress.server import create_server
from waitress.task import ErrorTask

if TYPE_CHECKING:
    from waitress.server import BaseWSGIServer, MultiSocketServer

    from hzledger.serve.access_log import AccessLog
    from hzledger.serve.app import ServeApp

log = logging.getLogger(__name__)

CONNECTION_LIMIT = 1000
CHANNEL_TIMEOUT = 10
CLEANUP_INTERVAL = 2
MAX_BODY = 1024
MAX_HEADERS = 64 * 1024


def make_server(
    app: ServeApp, access_log: AccessLog, host: str, port: int, threads: int
) -> BaseWSGIServer | MultiSocketServer:
    class LoggedErrorTask(ErrorTask):  # type: ignore[misc]
        def execute(self) -> None:
            super().execute()
            request = self.request
            access_log.write(
                user=None,
                ledger=None,
                method=str(getattr(request, "command", None) or "-"),
                path=str(getattr(request, "path", None) or "-"),
                query=str(getattr(request, "query", None) or ""),
                status=int(str(self.status).split(" ", 1)[0]),
                remote=self.channel.addr[0] if self.channel.addr else None,
                ms=0.0,
                refused=str(getattr(request.error, "reason", "") or type(request.error).__name__),
            )

    class LoggedChannel(HTTPChannel):  # type: ignore[misc]
        error_task_class = LoggedErrorTask

    server = create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="hzledger",
        connection_limit=CONNECTION_LIMIT,
        channel_timeout=CHANNEL_TIMEOUT,
        cleanup_interval=CLEANUP_INTERVAL,
        max_request_body_size=MAX_BODY,
        max_request_header_size=MAX_HEADERS,
        asyncore_use_poll=True,
        expose_tracebacks=False,
    )
    server.channel_class = LoggedChannel
    original = server.maintenance

    def maintenance(now: float) -> None:
        cutoff = now - server.adj.channel_timeout
        channels: Any = getattr(server, "active_channels", {})
        idle = [c for c in channels.values() if not c.requests and c.last_activity < cutoff]
        for channel in idle:
            if not channel.will_close:
                log.warning(
                    "连接空闲超过 %d 秒，已关闭：%s（已连接 %.0f 秒）",
                    server.adj.channel_timeout,
                    channel.addr[0] if channel.addr else "?",
                    time.time() - getattr(channel, "creation_time", now),
                )
        original(now)

    server.maintenance = maintenance
    return server
