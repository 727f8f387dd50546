"""报表: every `hzledger report` kind as pages of each organisation (art. 17, 20, 26, 35).

The page and its downloads run the CLI's own code: `REPORTS[kind]` on a
`ReportLedger` built from this load's check (`hzledger.reports.source.report_ledger`,
as `load_ledger` builds it for the CLI), rendered by the CLI's renderers, so the
xlsx and JSON are byte for byte what `hzledger report KIND main.beancount --year Y`
writes when run in the organisation's folder. File names in the report are relative
to that folder (no server paths). Rendered files are kept per load, kind, year and
format; a reload drops them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from fava.ext import FavaExtensionBase, extension_endpoint
from flask import Response, abort, request, url_for

from hzledger.reports import REPORTS, ReportContext
from hzledger.reports.common import ReportError, resolve_period
from hzledger.reports.render import render_html, render_xlsx
from hzledger.reports.source import ReportLedger, report_ledger
from hzledger.serve.compliance import _rel
from hzledger.serve.not_found import ZhNotFound

if TYPE_CHECKING:
    from fava.core import FavaLedger
    from fava.core.extensions import ExtensionModule

KIND_TITLES = {
    "funds": "基金收支",
    "balance": "资产负债",
    "budget": "预算执行",
    "solvency": "偿付能力",
    "statistics": "业务统计",
    "disclosure": "会员信息公开",
    "submission": "向上级报送",
}
FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "html": "text/html; charset=utf-8",
}
# Read back by `hzledger rollup`: the CLI writes a submission only as JSON.
JSON_ONLY = frozenset({"submission"})
MAX_KEPT = 64


@dataclass(frozen=True)
class Rendered:
    """A report rendered for download: the bytes the CLI would write and their type."""

    data: bytes
    content_type: str


class HzReports(FavaExtensionBase):
    """报表：`hzledger report` 的各类报表，按会计年度，可下载 xlsx / JSON，披露可打印。"""

    report_title = "报表"

    def __init__(self, ledger: FavaLedger, config: str | None = None) -> None:
        super().__init__(ledger, config)
        self._lock = threading.Lock()
        self._source: ReportLedger | None = None
        self._kept: dict[tuple[str, int, str], Rendered] = {}

    def after_load_file(self) -> None:
        with self._lock:
            self._source = None
            self._kept = {}

    def source(self) -> ReportLedger | None:
        """This load's ledger as the reports read it, org-relative, built once per load."""
        comp = getattr(self.ledger, "compliance", None)
        result = comp.result if comp is not None else None
        if result is None:
            return None
        with self._lock:
            if self._source is None:
                main = Path(self.ledger.beancount_file_path)
                src = report_ledger(result, main.name)
                # Error lines as the CLI prints them when run in the organisation folder.
                src.findings = [
                    f.model_copy(update={"file": _rel(f.file, main.parent)}) if f.file else f
                    for f in src.findings
                ]
                self._source = src
            return self._source

    def years(self) -> list[int]:
        src = self.source()
        if src is None:
            return []
        return sorted({int(y) for y in self.ledger.attributes.years}, reverse=True)

    def selected(self) -> tuple[str, int | None]:
        kind = request.args.get("kind", "funds")
        if kind not in REPORTS:
            raise ZhNotFound("未知报表类型（可选：" + "、".join(REPORTS) + "）")
        year = request.args.get("year", "")
        years = self.years()
        if year:
            # The query's text is not echoed: only a year the request named, as a number.
            if not year.isdigit() or len(year) > 4:
                raise ZhNotFound("年度无效：应为四位数字的会计年度，如 2025")
            if int(year) not in years:
                raise ZhNotFound(f"该账本没有 {int(year)} 年度的数据")
            return kind, int(year)
        return kind, (years[0] if years else None)

    def render(self, kind: str, year: int | None, fmt: str) -> Rendered:
        src = self.source()
        if src is None or year is None:
            abort(404)
        key = (kind, year, fmt)
        with self._lock:
            kept = self._kept.get(key)
        if kept is not None:
            return kept
        try:
            period = resolve_period(src.entries, year=year)
            report = REPORTS[kind](ReportContext(src, period, None))
        except ReportError as exc:
            return Rendered(exc.zh.encode("utf-8"), "text/plain; charset=utf-8")
        data: bytes
        # Exactly the CLI's `_emit` (hzledger.cli.report).
        if fmt == "xlsx":
            data = render_xlsx(report.header, report.tables(), "zh")
        elif fmt == "json":
            data = (report.model_dump_json(indent=2) + "\n").encode("utf-8")
        else:
            html = getattr(report, "html", None)
            text = html() if callable(html) else render_html(report.header, report.tables(), "zh")
            data = text.encode("utf-8")
        rendered = Rendered(data, FORMATS[fmt])
        with self._lock:
            if len(self._kept) >= MAX_KEPT:
                self._kept.clear()
            self._kept[key] = rendered
        return rendered

    # -- used by templates/HzReports.html ------------------------------------------------------

    def page(self) -> dict[str, Any]:
        kind, year = self.selected()
        return {
            "kind": kind,
            "year": year,
            "years": self.years(),
            "kinds": KIND_TITLES,
            "download": {
                fmt: url_for("index")
                + f"extension/{self.name}/download?"
                + urlencode({"kind": kind, "year": year, "format": fmt})
                for fmt in self.formats(kind)
            },
        }

    @staticmethod
    def formats(kind: str) -> list[str]:
        """What a kind downloads as: a submission only as JSON, like the CLI writes it."""
        return [f for f in FORMATS if not (kind in JSON_ONLY and f == "xlsx")]

    @extension_endpoint("download")  # type: ignore[untyped-decorator,arg-type]
    def download(self) -> Response:
        kind, year = self.selected()
        fmt = request.args.get("format", "json")
        if fmt not in self.formats(kind):
            abort(404)
        rendered = self.render(kind, year, fmt)
        response = Response(rendered.data, content_type=rendered.content_type)
        if fmt != "html":
            name = f"{kind}-{year}.{fmt}"
            response.headers["Content-Disposition"] = f"attachment; filename={name}"
        return response


def add_reports_page(module: ExtensionModule) -> None:
    """Add 报表 to a ledger's extensions (as for 合规检查; Fava 1.30 internals)."""
    if HzReports not in module._loaded_extensions:
        module._loaded_extensions.add(HzReports)
        ext = HzReports(module.ledger)
        module._instances[ext.name] = ext
