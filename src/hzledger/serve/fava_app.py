"""One read-only Fava app per ledger, with the compliance page always present.

How the page gets into ledgers that do not declare it: Fava builds a ledger's
extensions in `ExtensionModule.load_file` from its `fava-extension` entries. Our
`HzFavaLedger` swaps in `HzExtensionModule`, which runs Fava's discovery and then
adds `HzCompliance` if the ledger did not name it, before Fava calls the
`after_load_file` hooks, so the first load and every reload compute the findings
exactly once. Fava's own slug loader is given just this ledger under our URL slug,
so its ledger switcher has nothing else to list.

Relies on Fava 1.30 internals (`ExtensionModule._instances`, `_LedgerSlugLoader`);
pyproject pins fava <1.31 and tests/serve exercise them.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import threading
from pathlib import Path

from fava.application import _LedgerSlugLoader, create_app
from fava.beans.prices import FavaPriceMap
from fava.core import FavaLedger, FilteredLedger
from fava.core.extensions import ExtensionModule
from fava.core.fava_options import FavaOptions
from fava.core.filters import FilterError
from fava.core.group_entries import group_entries_by_type
from fava.helpers import BeancountError
from fava.util import send_file_inline
from flask import Flask, Response, abort, g, jsonify, request
from flask.typing import ResponseReturnValue
from markupsafe import escape
from werkzeug.datastructures import ImmutableMultiDict

from hzledger.check import _untraceback
from hzledger.messages import Msg
from hzledger.serve.fava_ext import HzCompliance
from hzledger.serve.history_page import add_history_page
from hzledger.serve.not_found import not_found_page
from hzledger.serve.query_guard import (
    FILTER_PARAMS,
    FILTER_TIMEOUT,
    QUERY_SECONDS,
    Deadline,
    GuardedQueryShell,
    QueryRejected,
    QueryTimeout,
    bound_beanquery_regexes,
    check_filter,
    filter_error,
)
from hzledger.serve.reports_page import add_reports_page

log = logging.getLogger(__name__)

DEFAULT_LANGUAGE = "zh"
FAVA_DEFAULT_PAGE = FavaOptions().default_page
COMPLIANCE_PAGE = f"extension/{HzCompliance.__qualname__}/"


class HzExtensionModule(ExtensionModule):
    """Fava's extension module with hzledger's checks run once per load."""

    def load_file(self) -> None:
        super().load_file()
        if HzCompliance not in self._loaded_extensions:
            self._loaded_extensions.add(HzCompliance)
            ext = HzCompliance(self.ledger)
            self._instances[ext.name] = ext
        add_history_page(self)
        add_reports_page(self)

    def compliance(self) -> HzCompliance | None:
        ext = self._instances.get(HzCompliance.__qualname__)
        return ext if isinstance(ext, HzCompliance) else None


class HzFavaLedger(FavaLedger):
    """A read-only FavaLedger that reloads (and re-checks) once for concurrent requests."""

    def __init__(self, path: str, *, poll_watcher: bool = False) -> None:
        # Concurrent requests after an edit must reload (and re-check) once, not once each.
        self._reload_lock = threading.Lock()
        self.root = Path(path).resolve().parent
        # Bumped on every (re)load: what is cached per load is keyed by it, so never stale.
        self.generation = 0
        # Why this ledger is not shown (files outside its organisation folder), or None.
        self.refusal: str | None = None
        super().__init__(path, poll_watcher=poll_watcher)
        # One query at a time per ledger, bounded; replaces Fava's shared shell (see query_guard).
        self.query_shell = GuardedQueryShell(self)

    def changed(self) -> bool:
        with self._reload_lock:
            return super().changed()

    def load_file(self) -> None:
        if not isinstance(self.extensions, HzExtensionModule):
            self.extensions = HzExtensionModule(self)
        super().load_file()
        self._confine()
        self.generation += 1
        # Chinese unless the ledger chose a language itself.
        if not self.fava_options.language:
            self.fava_options.language = DEFAULT_LANGUAGE
        # Supervisors land on 合规检查 unless the ledger chose its own start page.
        if self.fava_options.default_page == FAVA_DEFAULT_PAGE:
            self.fava_options.default_page = COMPLIANCE_PAGE

    def _get_filtered(
        self,
        account: str | None = None,
        filter: str | None = None,
        time: str | None = None,
    ) -> FilteredLedger:
        # Filters are regular expressions run over every entry: bounded like queries.
        try:
            with Deadline(QUERY_SECONDS):
                return super()._get_filtered(account, filter, time)
        except QueryTimeout:
            raise QueryRejected(FILTER_TIMEOUT, self.fava_options.language) from None
        except FilterError as exc:
            raise QueryRejected(filter_error(exc), self.fava_options.language) from None

    def _confine(self) -> None:
        """Plugin crashes as one line; nothing from files outside the organisation folder."""
        self.load_errors = [_clean_error(e) for e in self.load_errors]
        outside = sorted(
            str(name) for name in self.options.get("include", []) if not _inside(name, self.root)
        )
        self.refusal = None
        if not outside:
            return
        self.refusal = (
            f"账本包含组织目录以外的文件，拒绝显示（只服务组织目录 {self.root.name}/ 内的文件）："
            + "、".join(outside)
        )
        log.error("%s: %s", self.root.name, self.refusal)
        # Show none of it: no entries, no parse errors quoting the outside file's lines.
        self.all_entries = []
        self.load_errors = [
            BeancountError({"filename": self.beancount_file_path, "lineno": 0}, self.refusal, None)
        ]
        self.all_entries_by_type = group_entries_by_type([])
        self.prices = FavaPriceMap([])
        self.get_filtered.cache_clear()
        self.get_entry.cache_clear()
        for module in (
            self.accounts,
            self.attributes,
            self.budgets,
            self.charts,
            self.commodities,
            self.extensions,
            self.file,
            self.format_decimal,
            self.misc,
            self.query_shell,
            self.ingest,
        ):
            module.load_file()
        self.extensions.after_load_file()

    @property
    def compliance(self) -> HzCompliance | None:
        return (
            self.extensions.compliance() if isinstance(self.extensions, HzExtensionModule) else None
        )


def _clean_error(error: BeancountError) -> BeancountError:
    """A plugin's crash as the one line `hzledger check` prints, not its traceback."""
    if "Traceback" in error.message:
        return error._replace(message=_untraceback(error.message))
    return error


class _OneLedger(_LedgerSlugLoader):
    """Fava's ledger loader, holding one ledger under a slug we choose (the org folder)."""

    def __init__(self, app: Flask, slug: str, path: Path) -> None:
        self.slug = slug
        self.path = path
        super().__init__(app, load=True)

    def _load(self) -> list[FavaLedger]:
        return [HzFavaLedger(str(self.path))]

    @property
    def ledgers_by_slug(self) -> dict[str, FavaLedger]:
        return {self.slug: self.ledgers[0]}

    def first_slug(self) -> str:
        return self.slug


def _linked_document(name: str, root: Path) -> Path | None:
    """A decision or audit document the compliance page links to, if `name` is one.

    Fava's document route serves only `document` entries; these are named in
    `hz-decision`/`hz-audit` metadata instead. Still only inside the org folder.
    """
    if not name or os.path.isabs(name):
        return None
    ledger = getattr(g, "ledger", None)
    comp = ledger.compliance if isinstance(ledger, HzFavaLedger) else None
    if comp is None or comp.view is None or os.path.normpath(name) not in comp.view.documents:
        return None
    target = root / name
    return target if _inside(target, root) and target.resolve().is_file() else None


def _inside(path: str | os.PathLike[str], root: Path) -> bool:
    try:
        return Path(path).resolve().is_relative_to(root)
    except (OSError, ValueError):
        return False


# BQL statements that only read. Fava hands `query_string` to beanquery's shell, whose
# dot-commands are not all reads: `.output FILE` opens FILE for writing, on a GET.
READ_STATEMENTS = frozenset({"select", "balances", "journal", "print", "run"})
QUERY_ENDPOINTS = frozenset({"json_api.get_query", "download_query"})
# Importing is the accountant's job; its endpoints read files from ledger-chosen folders.
IMPORT_ENDPOINTS = frozenset({"json_api.get_imports", "json_api.get_extract"})
QUERY_REFUSED = Msg(
    "监管服务只执行查询语句（SELECT、BALANCES、JOURNAL、PRINT 或账本中定义的 .run 查询）",
    "the supervisors' service runs queries only (SELECT, BALANCES, JOURNAL, PRINT, .run)",
)


def is_read_query(query: str) -> bool:
    """Whether a Fava query string is a plain reading statement (or a named ledger query)."""
    words = query.strip().split(None, 1)
    if not words:
        return False
    first = words[0].lower()
    if first.startswith("."):
        return first == ".run"
    return first in READ_STATEMENTS


def _guard_requests(app: Flask, root: Path) -> None:
    """What read-only Fava still allows and a supervisors' server must not.

    Files are served only from inside the organisation's folder: Fava limits
    `document/` to Document entries and import dirs and `api/source` to included
    files, but those are the ledger author's to set. Queries must be statements
    that read. Import endpoints are closed.
    """

    @app.before_request
    def _guard() -> ResponseReturnValue | None:
        endpoint = request.endpoint or ""
        if endpoint == "document":
            linked = _linked_document(request.args.get("filename", ""), root)
            if linked is not None:
                return send_file_inline(str(linked))
        if endpoint in ("document", "json_api.get_source"):
            filename = request.args.get("filename", "")
            if filename and not os.path.isabs(filename):
                # Pages name files relative to the org folder (no server paths in them).
                filename = str(root / filename)
                args = request.args.copy()
                args["filename"] = filename
                request.args = ImmutableMultiDict(args)
            if filename and not _inside(filename, root):
                abort(404)
        elif endpoint == "statement":
            try:
                target = g.ledger.statement_path(
                    request.args.get("entry_hash", ""), request.args.get("key", "")
                )
            except Exception:
                abort(404)
            if not _inside(target, root):
                abort(404)
        elif endpoint in IMPORT_ENDPOINTS or (
            endpoint == "report" and (request.view_args or {}).get("report_name") == "import"
        ):
            abort(404)
        elif endpoint in QUERY_ENDPOINTS and not is_read_query(
            request.args.get("query_string", "")
        ):
            return jsonify({"error": _text(QUERY_REFUSED)}), 403
        for name in FILTER_PARAMS:
            refused = check_filter(name, request.args.get(name, ""))
            if refused is not None:
                return _bad_request(_text(refused))
        return None

    @app.errorhandler(QueryRejected)
    def _rejected(exc: QueryRejected) -> ResponseReturnValue:
        # Fava's JSON API answers these itself; this is for its other routes (download-query).
        return _bad_request(exc.message)

    @app.errorhandler(re.error)
    @app.errorhandler(RecursionError)
    def _bad_filter(exc: Exception) -> ResponseReturnValue:
        return _bad_request(_text(Msg(f"筛选条件无效：{exc}", f"invalid filter: {exc}")))

    app.register_error_handler(404, not_found_page)

    relative = _path_replacements(root)

    @app.after_request
    def _no_server_paths(response: Response) -> Response:
        """Org-relative paths only: the server's folders are nobody's business."""
        if response.direct_passthrough or response.is_streamed:
            return response
        if response.mimetype not in TEXT_TYPES:
            return response
        data = response.get_data()
        new = data
        for old, rep in relative:
            if old in new:
                new = new.replace(old, rep)
        if new is not data:
            response.set_data(new)
        return response


TEXT_TYPES = frozenset({"text/html", "application/json", "text/csv", "text/plain"})


def _path_replacements(root: Path) -> list[tuple[bytes, bytes]]:
    """Server folders as they can appear in a page or JSON, each with what replaces it:
    the organisation folder becomes relative, its parent `..` (another org's file named by
    a document entry), the Python installation `<python>` (plugin messages).
    """
    out: list[tuple[bytes, bytes]] = []
    folders = [
        (root, "", "."),
        (root.parent, "../", ".."),
        (Path(sys.prefix), "<python>/", "<python>"),
    ]
    for folder, with_sep, bare in folders:
        if len(folder.parts) < 3:  # never `/` or `/srv`: that would rewrite every path
            continue
        plain = str(folder)
        for form in {plain, json.dumps(plain)[1:-1], json.dumps(plain, ensure_ascii=False)[1:-1]}:
            for sep in ("/", "\\/"):
                out.append(((form + sep).encode("utf-8"), with_sep.encode()))
            out.append((form.encode("utf-8"), bare.encode()))
    # Longest first: the org folder before its parent, a folder with its separator first.
    return sorted(set(out), key=lambda pair: -len(pair[0]))


def _text(msg: Msg) -> str:
    lang = g.ledger.fava_options.language if getattr(g, "ledger", None) else None
    return msg.en if lang == "en" else msg.zh


def _bad_request(text: str) -> ResponseReturnValue:
    if (request.endpoint or "").startswith("json_api."):
        return jsonify({"error": text}), 400
    body = f"<!doctype html><meta charset=utf-8><title>400</title><p>{escape(text)}</p>"
    return body, 400, {"Content-Type": "text/html; charset=utf-8"}


def make_fava_app(slug: str, path: Path) -> tuple[Flask, HzFavaLedger]:
    bound_beanquery_regexes()
    app = create_app([str(path)], load=False, read_only=True)
    loader = _OneLedger(app, slug, path)
    app.config["LEDGERS"] = loader
    _guard_requests(app, path.parent.resolve())
    ledger = loader.ledgers[0]
    if not isinstance(ledger, HzFavaLedger):  # _OneLedger builds nothing else
        raise TypeError(f"unexpected ledger type {type(ledger).__name__}")
    return app, ledger
