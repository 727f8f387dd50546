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

import os
import threading
from pathlib import Path

from fava.application import _LedgerSlugLoader, create_app
from fava.core import FavaLedger
from fava.core.extensions import ExtensionModule
from fava.core.fava_options import FavaOptions
from flask import Flask, abort, g, jsonify, request
from flask.typing import ResponseReturnValue

from hzledger.messages import Msg
from hzledger.serve.fava_ext import HzCompliance
from hzledger.serve.history_page import add_history_page

DEFAULT_LANGUAGE = "zh"
FAVA_DEFAULT_PAGE = FavaOptions().default_page
COMPLIANCE_PAGE = f"extension/{HzCompliance.__qualname__}/"


class HzExtensionModule(ExtensionModule):
    def load_file(self) -> None:
        super().load_file()
        if HzCompliance not in self._loaded_extensions:
            self._loaded_extensions.add(HzCompliance)
            ext = HzCompliance(self.ledger)
            self._instances[ext.name] = ext
        add_history_page(self)

    def compliance(self) -> HzCompliance | None:
        ext = self._instances.get(HzCompliance.__qualname__)
        return ext if isinstance(ext, HzCompliance) else None


class HzFavaLedger(FavaLedger):
    def __init__(self, path: str, *, poll_watcher: bool = False) -> None:
        # Concurrent requests after an edit must reload (and re-check) once, not once each.
        self._reload_lock = threading.Lock()
        super().__init__(path, poll_watcher=poll_watcher)

    def changed(self) -> bool:
        with self._reload_lock:
            return super().changed()

    def load_file(self) -> None:
        if not isinstance(self.extensions, HzExtensionModule):
            self.extensions = HzExtensionModule(self)
        super().load_file()
        # Chinese unless the ledger chose a language itself.
        if not self.fava_options.language:
            self.fava_options.language = DEFAULT_LANGUAGE
        # Supervisors land on 合规检查 unless the ledger chose its own start page.
        if self.fava_options.default_page == FAVA_DEFAULT_PAGE:
            self.fava_options.default_page = COMPLIANCE_PAGE

    @property
    def compliance(self) -> HzCompliance | None:
        return (
            self.extensions.compliance() if isinstance(self.extensions, HzExtensionModule) else None
        )


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
        if endpoint in ("document", "json_api.get_source"):
            filename = request.args.get("filename", "")
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
        elif endpoint in IMPORT_ENDPOINTS:
            abort(404)
        elif endpoint in QUERY_ENDPOINTS and not is_read_query(
            request.args.get("query_string", "")
        ):
            lang = g.ledger.fava_options.language if getattr(g, "ledger", None) else None
            text = QUERY_REFUSED.en if lang == "en" else QUERY_REFUSED.zh
            return jsonify({"error": text}), 403
        return None


def make_fava_app(slug: str, path: Path) -> tuple[Flask, HzFavaLedger]:
    app = create_app([str(path)], load=False, read_only=True)
    loader = _OneLedger(app, slug, path)
    app.config["LEDGERS"] = loader
    _guard_requests(app, path.parent.resolve())
    ledger = loader.ledgers[0]
    assert isinstance(ledger, HzFavaLedger)
    return app, ledger
