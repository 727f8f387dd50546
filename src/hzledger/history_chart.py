"""Errors and warnings per commit as a small inline SVG (no JavaScript, nothing fetched)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from markupsafe import Markup, escape

from hzledger.history import CommitPoint

WIDTH, HEIGHT = 720, 200
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 36
SERIES = (("errors", "错误", "#b3261e"), ("warnings", "警告", "#c98a00"))


def _scale(points: list[CommitPoint]) -> tuple[float, float, int]:
    top = max([p.errors for p in points] + [p.warnings for p in points] + [1])
    step = (WIDTH - LEFT - RIGHT) / max(1, len(points) - 1)
    return step, (HEIGHT - TOP - BOTTOM) / top, top


def _commit_day(moment: datetime.datetime) -> str:
    return f"{moment:%Y-%m-%d}"


def chart_svg(
    points: list[CommitPoint], day: Callable[[datetime.datetime], str] = _commit_day
) -> Markup:
    """The series oldest to newest; commits whose check did not run are left as gaps.

    `day` writes a commit's date: the service passes its `--timezone` (`serve.clock`), so
    the chart agrees with the commit list beside it.
    """
    if not points:
        return Markup("")
    step, unit, top = _scale(points)
    base = HEIGHT - BOTTOM

    def x(i: int) -> float:
        return LEFT + (step * i if len(points) > 1 else (WIDTH - LEFT - RIGHT) / 2)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="hz-history-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'aria-label="各次提交的错误与警告数">',
        f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" stroke="#999"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base}" stroke="#999"/>',
        f'<text x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end" font-size="11">{top}</text>',
        f'<text x="{LEFT - 6}" y="{base + 4}" text-anchor="end" font-size="11">0</text>',
    ]
    first, last = points[0].commit, points[-1].commit
    parts.append(f'<text x="{LEFT}" y="{HEIGHT - 10}" font-size="11">{day(first.date)}</text>')
    if len(points) > 1:
        parts.append(
            f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 10}" text-anchor="end" font-size="11">'
            f"{day(last.date)}</text>"
        )
    for attr, label, colour in SERIES:
        runs: list[list[str]] = [[]]
        for i, point in enumerate(points):
            if point.status == "failed":
                runs.append([])
                continue
            value = getattr(point, attr)
            runs[-1].append(f"{x(i):.1f},{base - value * unit:.1f}")
        for run in runs:
            if len(run) > 1:
                parts.append(
                    f'<polyline class="hz-{attr}" fill="none" stroke="{colour}" '
                    f'stroke-width="2" points="{" ".join(run)}"/>'
                )
        for i, point in enumerate(points):
            if point.status == "failed":
                continue
            value = getattr(point, attr)
            tip = escape(
                f"{point.commit.short} {day(point.commit.date)} {point.commit.author}："
                f"{label} {value}"
            )
            parts.append(
                f'<circle class="hz-{attr}" cx="{x(i):.1f}" cy="{base - value * unit:.1f}" '
                f'r="3" fill="{colour}"><title>{tip}</title></circle>'
            )
    legend_x = WIDTH // 2 - 60
    for n, (_attr, label, colour) in enumerate(SERIES):
        parts.append(
            f'<rect x="{legend_x + 60 * n}" y="{HEIGHT - 19}" width="10" height="10" '
            f'fill="{colour}"/><text x="{legend_x + 60 * n + 14}" y="{HEIGHT - 10}" '
            f'font-size="11">{label}</text>'
        )
    parts.append("</svg>")
    # Safe: every piece is a number, a date, a constant label or passed through escape().
    return Markup("".join(parts))  # noqa: S704
