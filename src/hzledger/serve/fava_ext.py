"""The 合规检查 (compliance) page as a Fava extension.

Any Fava can show it with `custom "fava-extension" "hzledger.serve.fava_ext"` in the
ledger; `hzledger serve` adds it to every ledger it serves whether declared or
not (see `hzledger.serve.fava_app`). The findings come from `hzledger.check`
on the entries Fava itself loaded, once per (re)load, never per request.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlencode

from fava.ext import FavaExtensionBase
from flask import request, url_for

from hzledger.check import LedgerCheck, check_loaded
from hzledger.serve.clock import local_time
from hzledger.serve.compliance import (
    CATEGORY_HEADERS,
    CATEGORY_TITLES,
    INCOME_HEADERS,
    ComplianceView,
    FindingRow,
    amount,
    build_view,
    pct,
)
from hzledger.serve.overview import LastChange, last_change

if TYPE_CHECKING:
    from beancount.core import data
    from fava.core import FavaLedger

log = logging.getLogger(__name__)

MAX_ROWS = 500


class HzCompliance(FavaExtensionBase):
    """合规检查：《职工互助保障组织监督管理办法》 findings and fund figures for one ledger."""

    report_title = "合规检查"

    def __init__(self, ledger: FavaLedger, config: str | None = None) -> None:
        super().__init__(ledger, config)
        self.view: ComplianceView | None = None
        self.failure: str | None = None
        # The overview's "last change" (git commit or file time), found once per load.
        self.last_change: LastChange | None = None
        # This load's check, for the 报表 pages (`hzledger.serve.reports_page`).
        self.result: LedgerCheck | None = None

    def after_load_file(self) -> None:
        ledger = self.ledger
        path = Path(ledger.beancount_file_path)
        self.last_change = last_change(path, list(ledger.options.get("include", [])))
        refusal = getattr(ledger, "refusal", None)
        self.result = None
        if refusal:
            self.view = None
            self.failure = refusal
            return
        try:
            # Fava's own type aliases for Beancount's entries and options map.
            entries = cast("list[data.Directive]", ledger.all_entries)
            options = cast("dict[str, Any]", ledger.options)
            result = check_loaded(path, entries, ledger.load_errors, options)
            self.view = build_view(result, entries, path.parent)
            self.result = result
            self.failure = None
        except Exception as exc:  # a page that says why beats a 500 on every request
            log.exception("compliance check failed for %s", path)
            self.view = None
            self.failure = f"{type(exc).__name__}: {exc}"

    # -- used by templates/HzCompliance.html ---------------------------------------------------

    def selected(self) -> tuple[str, str]:
        return request.args.get("fund", ""), request.args.get("rule", "")

    def matching(self) -> list[FindingRow]:
        if self.view is None:
            return []
        fund, rule = self.selected()
        return self.view.filtered(fund or None, rule or None)

    def rows(self) -> list[FindingRow]:
        # A ledger with thousands of findings must not make a multi-megabyte page.
        return self.matching()[:MAX_ROWS]

    def filter_url(self, **changes: str) -> str:
        fund, rule = self.selected()
        params = {"fund": fund, "rule": rule, **changes}
        return "?" + urlencode({k: v for k, v in params.items() if v})

    def helpers(self) -> dict[str, Any]:
        return {
            "amount": amount,
            "pct": pct,
            "income_headers": INCOME_HEADERS,
            "category_headers": CATEGORY_HEADERS,
            "category_titles": CATEGORY_TITLES,
            "max_rows": MAX_ROWS,
            "source_url": source_url,
            "document_url": document_url,
            "local_time": local_time,
        }


def source_url(file: str, line: int | None) -> str:
    """That line in Fava's source view (read-only in this service, see `serve.frontend`)."""
    args: dict[str, Any] = {"file_path": file}
    if line:
        args["line"] = line
    return url_for("report", report_name="editor", **args)


def document_url(name: str) -> str:
    """Fava's document route; the service serves only files inside the organisation folder."""
    return url_for("document", filename=name)
