"""The 整改跟踪 (corrections follow-up, art. 36) page as a Fava extension.

It shows exactly what `hzledger history` prints: the page calls
`hzledger.history.build_history`, one computation. The result is kept per ledger load and
HEAD commit: a new commit or a reload computes it again (each commit's check then comes
from the results cache), any other request only renders. Like 合规检查, `hzledger serve`
adds it to every ledger (`add_history_page`); any Fava can show it with
`custom "fava-extension" "hzledger.serve.history_page"`.
"""

from __future__ import annotations

import datetime
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from fava.ext import FavaExtensionBase, extension_endpoint
from flask import Response
from markupsafe import Markup, escape

from hzledger.gitrepo import GitError, NotInGit, locate
from hzledger.history import History, build_history
from hzledger.history_chart import chart_svg
from hzledger.serve.clock import local_day, local_time, zone
from hzledger.serve.fava_ext import source_url

if TYPE_CHECKING:
    from fava.core import FavaLedger
    from fava.core.extensions import ExtensionModule

log = logging.getLogger(__name__)

NOT_IN_GIT = (
    "此账本不在 git 仓库中，没有提交历史，无法显示问题由哪次提交引入、何时整改。"
    "账本仓库的建立见 hzledger init 与 docs/workflow.md。"
)


@dataclass(frozen=True)
class HistoryPage:
    """What the template shows: a history and its chart, or why there is none."""

    history: History | None
    chart: Markup
    note: str | None = None
    failure: str | None = None


class HzHistory(FavaExtensionBase):
    """整改跟踪：when each finding appeared, who committed it, and when it was fixed."""

    report_title = "整改跟踪"

    def __init__(self, ledger: FavaLedger, config: str | None = None) -> None:
        super().__init__(ledger, config)
        # `_lock` is held while a history is computed (seconds on a cold cache); a reload must
        # not wait for it under Fava's reload lock, so the load counter has its own.
        self._lock = threading.Lock()
        self._loads_lock = threading.Lock()
        self._generation = 0
        self._kept: tuple[tuple[int, str | None], HistoryPage] | None = None

    def after_load_file(self) -> None:
        with self._loads_lock:
            self._generation += 1

    def page(self) -> HistoryPage:
        """The history for this load and HEAD, computed once and shared by every request."""
        path = Path(self.ledger.beancount_file_path)
        try:
            head = locate(path.parent).head()
        except NotInGit:
            return HistoryPage(history=None, chart=Markup(""), note=NOT_IN_GIT)
        except GitError as exc:
            return HistoryPage(history=None, chart=Markup(""), failure=exc.zh)
        with self._loads_lock:
            key = (self._generation, head)
        with self._lock:
            if self._kept is not None and self._kept[0] == key:
                return self._kept[1]
            try:
                history = build_history(path)
                history.ledger = path.name
                result = HistoryPage(history=history, chart=chart_svg(history.commits, local_day))
            except GitError as exc:
                result = HistoryPage(history=None, chart=Markup(""), failure=exc.zh)
            except Exception as exc:  # a page that says why beats a 500 on every request
                log.exception("findings history failed for %s", path)
                result = HistoryPage(
                    history=None, chart=Markup(""), failure=f"{type(exc).__name__}: {exc}"
                )
            self._kept = (key, result)
            return result

    @staticmethod
    def local(moment: datetime.datetime) -> str:
        """A commit time in the server's zone (`hzledger serve --timezone`), zone shown."""
        return local_time(moment)

    @staticmethod
    def source_url(file: str, line: int | None) -> str:
        """A finding's line in the source view: the 合规检查 page's link, one helper."""
        return source_url(file, line)

    @staticmethod
    def zone_name() -> str:
        return zone().key

    @staticmethod
    def day(moment: datetime.datetime) -> str:
        """A commit's calendar day in the server's zone, as the chart and commit list show it."""
        return local_day(moment)

    @extension_endpoint("chart")  # type: ignore[untyped-decorator,arg-type]
    def chart(self) -> Response:
        """The same chart as an SVG document, for the 合规检查 page's errors-over-time image.

        That page is cached per load; the chart follows commits (HEAD), so the page embeds
        it as an image fetched on its own and never shows an older history.
        """
        page = self.page()
        svg = str(page.chart) if page.history is not None and page.chart else ""
        if not svg:
            svg = _note_svg(page.note or page.failure or "尚无提交")
        response = Response(svg, content_type="image/svg+xml; charset=utf-8")
        response.headers["Cache-Control"] = "no-store"
        return response


def _note_svg(text: str) -> str:
    """Why there is no chart, as an image: the whole text, wrapped, never cut off."""
    per_line = 52  # CJK characters at 13px in the chart's 720px
    lines = [text[i : i + per_line] for i in range(0, len(text), per_line)] or [""]
    height = 10 + 20 * len(lines)
    rows = "".join(
        f'<tspan x="4" dy="{18 if n == 0 else 20}">{escape(line)}</tspan>'
        for n, line in enumerate(lines)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="720" height="{height}" '
        f'viewBox="0 0 720 {height}" role="img" aria-label="{escape(text)}">'
        f'<text font-size="13" fill="#666">{rows}</text></svg>'
    )


def add_history_page(module: ExtensionModule) -> None:
    """Add 整改跟踪 to a ledger's extensions unless the ledger declared it itself.

    Called from `HzExtensionModule.load_file`, before Fava runs the `after_load_file` hooks
    (Fava 1.30 internals, as for 合规检查; pyproject pins fava <1.31).
    """
    if HzHistory not in module._loaded_extensions:
        module._loaded_extensions.add(HzHistory)
        ext = HzHistory(module.ledger)
        module._instances[ext.name] = ext
