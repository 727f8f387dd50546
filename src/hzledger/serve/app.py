"""The supervisors' WSGI application: authentication, read-only and scope come first.

Every request passes, in order: HTTP Basic authentication (401), GET/HEAD only
(405), then the first path segment picks a ledger the user may see (404 for one
that does not exist *or* is out of scope: the two are indistinguishable). Only
then does the request reach that ledger's own Fava app, which sees the full path
`/<slug>/...` and knows that single ledger under that slug.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from flask import Flask
from jinja2 import Environment, PackageLoader, select_autoescape

from hzledger import __version__
from hzledger.serve.access_log import AccessLog
from hzledger.serve.auth import Authenticator
from hzledger.serve.fava_app import COMPLIANCE_PAGE, HzFavaLedger, make_fava_app
from hzledger.serve.frontend import check_frontend, patched
from hzledger.serve.ledgers import LedgerSpec, in_scope
from hzledger.serve.overview import OrgRow, build_row, pct, select, xlsx
from hzledger.serve.page_cache import PageCache
from hzledger.serve.scopes import unique_titles
from hzledger.serve.users import User

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

ALLOWED_METHODS = ("GET", "HEAD")
COMMON_HEADERS = [
    # Pages are per-user: shared caches must not keep them (Fava's static files set their own).
    ("Cache-Control", "private"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "SAMEORIGIN"),
    ("Referrer-Policy", "same-origin"),
]
COMPLIANCE_PATH = COMPLIANCE_PAGE
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class LedgerLoadError(Exception):
    """A served ledger that could not be loaded at start-up (reported once, in one line)."""

    def __init__(self, spec: LedgerSpec, cause: Exception) -> None:
        super().__init__(f"{spec.given}: {type(cause).__name__}: {cause}")
        self.spec = spec
        self.cause = cause


@dataclass
class ServedLedger:
    """One organisation as served: its spec, its read-only Fava app and its ledger."""

    spec: LedgerSpec
    app: Flask
    ledger: HzFavaLedger

    @property
    def slug(self) -> str:
        return self.spec.slug

    def titles(self) -> tuple[str, ...]:
        names = [self.ledger.options.get("title") or ""]
        comp = self.ledger.compliance
        if comp is not None and comp.view is not None:
            names.append(comp.view.org)
        return tuple(n for n in names if n)

    def refresh(self) -> None:
        """Reload if a file changed, as Fava does before each page."""
        self.ledger.changed()


def _decode_path(environ: WSGIEnvironment) -> str:
    # PEP 3333: PATH_INFO arrives as latin-1 code points of the raw bytes.
    raw = environ.get("PATH_INFO", "") or "/"
    try:
        return raw.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return raw


class ServeApp:
    """The WSGI entry: authentication, then method and scope checks, then the ledger's Fava app."""

    def __init__(
        self,
        specs: list[LedgerSpec],
        auth: Authenticator,
        access_log: AccessLog,
        *,
        on_loaded: Callable[[ServedLedger, float], None] | None = None,
    ) -> None:
        self.auth = auth
        self.log = access_log
        check_frontend()
        self.ledgers: dict[str, ServedLedger] = {}
        for spec in specs:
            start = time.perf_counter()
            try:
                app, ledger = make_fava_app(spec.slug, spec.path)
            except Exception as exc:  # one unreadable ledger must say which, not dump a trace
                raise LedgerLoadError(spec, exc) from exc
            served = ServedLedger(spec, app, ledger)
            self.ledgers[spec.slug] = served
            if on_loaded is not None:
                on_loaded(served, time.perf_counter() - start)
        self.pages = PageCache()
        self._rows: dict[tuple[str, int], OrgRow] = {}
        self._rows_lock = threading.Lock()
        self.templates = Environment(
            loader=PackageLoader("hzledger.serve", "templates"),
            autoescape=select_autoescape(["html", "j2"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )

    # -- helpers -------------------------------------------------------------------------------

    def may_see(self, user: User, served: ServedLedger) -> bool:
        # A title two served ledgers share (ledger-controlled text) opens neither.
        served_list = list(self.ledgers.values())
        titles = [s.titles() for s in served_list]
        own = unique_titles(titles, served_list.index(served))
        return in_scope(user, served.spec, own)

    def visible(self, user: User) -> list[ServedLedger]:
        return [s for s in self.ledgers.values() if self.may_see(user, s)]

    def _page(
        self,
        start_response: StartResponse,
        status: str,
        body: str,
        extra: list[tuple[str, str]] | None = None,
        content_type: str = "text/html; charset=utf-8",
    ) -> list[bytes]:
        data = body.encode("utf-8")
        headers = [
            ("Content-Type", content_type),
            ("Content-Length", str(len(data))),
            ("Cache-Control", "no-store"),
            *(extra or []),
        ]
        start_response(status, headers)
        return [data]

    def _error(
        self, start_response: StartResponse, code: int, extra: list[tuple[str, str]] | None = None
    ) -> list[bytes]:
        template = self.templates.get_template("error.html")
        reason = {
            400: "Bad Request",
            401: "Unauthorized",
            404: "Not Found",
            405: "Method Not Allowed",
            429: "Too Many Requests",
            503: "Service Unavailable",
        }[code]
        return self._page(start_response, f"{code} {reason}", template.render(code=code), extra)

    def overview_row(self, served: ServedLedger) -> OrgRow:
        """The organisation's overview row, built once per ledger load."""
        served.refresh()
        key = (served.slug, served.ledger.generation)
        with self._rows_lock:
            row = self._rows.get(key)
        if row is not None:
            return row
        comp = served.ledger.compliance
        row = build_row(
            served.slug,
            served.ledger.options.get("title") or served.slug,
            comp.view if comp is not None else None,
            comp.failure if comp is not None else None,
            comp.last_change if comp is not None else None,
        )
        with self._rows_lock:
            # Older generations of this ledger are stale: drop them.
            for old in [k for k in self._rows if k[0] == served.slug]:
                del self._rows[old]
            self._rows[key] = row
        return row

    def landing(
        self, user: User, environ: WSGIEnvironment, start_response: StartResponse
    ) -> list[bytes]:
        args = parse_qs(environ.get("QUERY_STRING", ""))
        level = args.get("level", [""])[0]
        parent = args.get("parent", [""])[0]
        every = [self.overview_row(s) for s in self.visible(user)]
        rows = select(every, level, parent)
        if args.get("format", [""])[0] == "xlsx":
            data = xlsx(rows)
            start_response(
                "200 OK",
                [
                    ("Content-Type", XLSX_TYPE),
                    ("Content-Length", str(len(data))),
                    ("Content-Disposition", "attachment; filename=overview.xlsx"),
                    ("Cache-Control", "no-store"),
                ],
            )
            return [data]
        body = self.templates.get_template("landing.html").render(
            user=user.name,
            rows=rows,
            total=len(every),
            levels=sorted({r.level for r in every if r.level}),
            parents=sorted({r.parent for r in every if r.parent}),
            level=level,
            parent=parent,
            query=urlencode({k: v for k, v in (("level", level), ("parent", parent)) if v}),
            compliance_path=COMPLIANCE_PATH,
            pct=pct,
            version=__version__,
        )
        return self._page(start_response, "200 OK", body)

    # -- WSGI ----------------------------------------------------------------------------------

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        method = environ.get("REQUEST_METHOD", "GET").upper()
        path = _decode_path(environ)
        seen: dict[str, Any] = {"status": 0, "user": None, "ledger": None, "attempted": None}

        def recording_start(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Any:
            seen["status"] = int(status.split(" ", 1)[0])
            headers = [(k, _relative(v) if k.lower() == "location" else v) for k, v in headers]
            present = {k.lower() for k, _ in headers}
            headers = headers + [(k, v) for k, v in COMMON_HEADERS if k.lower() not in present]
            return start_response(status, headers, exc_info)

        try:
            body = self._dispatch(environ, recording_start, method, path, seen)
            if method == "HEAD":
                body = _without_body(body)
            return _Logged(body, lambda: self._log(environ, method, path, seen, started))
        except BaseException:
            seen["status"] = seen["status"] or 500
            self._log(environ, method, path, seen, started)
            raise

    def _log(
        self, environ: WSGIEnvironment, method: str, path: str, seen: dict[str, Any], started: float
    ) -> None:
        self.log.write(
            user=seen["user"],
            attempted=seen["attempted"],
            ledger=seen["ledger"],
            method=method,
            path=path,
            # Raw (percent-encoded) as sent: which BQL query a supervisor ran is worth keeping.
            query=environ.get("QUERY_STRING", ""),
            status=seen["status"],
            remote=environ.get("REMOTE_ADDR"),
            ms=(time.perf_counter() - started) * 1000,
        )

    def _dispatch(
        self,
        environ: WSGIEnvironment,
        start_response: StartResponse,
        method: str,
        path: str,
        seen: dict[str, Any],
    ) -> Iterable[bytes]:
        result = self.auth.authenticate(
            environ.get("HTTP_AUTHORIZATION"), environ.get("REMOTE_ADDR")
        )
        user = result.user
        if user is None:
            seen["attempted"] = result.attempted
            extra = [("WWW-Authenticate", 'Basic realm="hzledger", charset="UTF-8"')]
            if result.retry_after is not None:
                extra.append(("Retry-After", str(result.retry_after)))
            return self._error(start_response, result.status, extra)
        seen["user"] = user.name
        if method not in ALLOWED_METHODS:
            return self._error(start_response, 405, [("Allow", ", ".join(ALLOWED_METHODS))])
        if not path.startswith("/"):
            # `OPTIONS *`-style targets and other non-paths.
            return self._error(start_response, 400)
        if path == "/":
            return self.landing(user, environ, start_response)
        segments = path.split("/")
        if any(seg in (".", "..") for seg in segments):
            # No relative segments ever reach a ledger: `/mine/../theirs/` is not a way in.
            return self._error(start_response, 404)
        first = segments[1]
        if first == "static" and len(segments) == 3:
            script = patched(segments[2])
            if script is not None:
                # Fava's bundle without its editing controls (see hzledger.serve.frontend).
                return self._page(
                    start_response,
                    "200 OK",
                    script.decode("utf-8"),
                    content_type="text/javascript; charset=utf-8",
                )
        if first == "static" and self.ledgers:
            # Fava's own assets, identical for every ledger.
            app: WSGIApplication = next(iter(self.ledgers.values())).app
            return app(_as_get(environ), start_response)
        served = self.ledgers.get(first)
        if served is None or not self.may_see(user, served):
            return self._error(start_response, 404)
        seen["ledger"] = served.slug
        if path == f"/{served.slug}/{COMPLIANCE_PATH}":
            return self.pages.serve(served, environ, start_response)
        return served.app(_as_get(environ), start_response)


def _relative(location: str) -> str:
    """A redirect target without scheme and host: never built from the request's `Host`."""
    parts = urlsplit(location)
    path = parts.path or "/"
    if not path.startswith("/"):
        return location if not parts.netloc else "/" + path
    # `//evil.example/` would be read by browsers as another host.
    path = "/" + path.lstrip("/")
    return urlunsplit(("", "", path, parts.query, parts.fragment))


def _as_get(environ: WSGIEnvironment) -> WSGIEnvironment:
    """Fava's read-only mode refuses everything but GET, HEAD included; we strip HEAD's body."""
    if environ.get("REQUEST_METHOD") == "HEAD":
        environ = dict(environ)
        environ["REQUEST_METHOD"] = "GET"
    return environ


def _without_body(body: Iterable[bytes]) -> Iterable[bytes]:
    close = getattr(body, "close", None)
    if close is not None:
        close()
    return []


class _Logged:
    """The response body, logging the request once the server has sent it."""

    def __init__(self, body: Iterable[bytes], done: Callable[[], None]) -> None:
        self._body = body
        self._done = done

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._body)

    def close(self) -> None:
        try:
            close = getattr(self._body, "close", None)
            if close is not None:
                close()
        finally:
            self._done()
