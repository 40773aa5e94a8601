"""Server-rendered SVG charts for the dashboard pages (no script, no CDN): a bar chart and a
line chart with axis labels, sized to read on a 1366x768 laptop. Every text is escaped."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 600, 240
LEFT, RIGHT, TOP, BOTTOM = 70, 12, 28, 46


def _range(values: Sequence[int]) -> tuple[int, int]:
    """(low, peak) of the y axis: always includes 0, never empty (all zeros still draw)."""
    low, peak = min([*values, 0]), max([*values, 0])
    return low, peak if peak > low else low + 1


def _frame(
    title: str, labels: Sequence[str], low: int, peak: int, fmt: Callable[[int], str]
) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'preserveAspectRatio="xMinYMin meet" aria-label="{escape(title)}">',
        f'<text class="chart-title" x="{LEFT}" y="16" font-size="14">{escape(title)}</text>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" stroke="#666"/>',
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" '
        'stroke="#666"/>',
    ]
    # A middle label only where it is a distinct value (a count axis of 0..1 has none).
    ticks = (0, 0.5, 1) if peak - low >= 2 else (0, 1)
    for frac in ticks:
        y = TOP + plot_h * (1 - frac)
        value = fmt(round(low + (peak - low) * frac))
        parts.append(
            f'<text class="y-label" x="{LEFT - 6}" y="{y + 4:.1f}" font-size="11" '
            f'text-anchor="end">{escape(value)}</text>'
        )
    step = max(1, len(labels) // 6)  # at most ~6 x labels: they must not overlap
    for i, label in enumerate(labels):
        if i % step == 0 or i == len(labels) - 1:
            x = _x(i, len(labels))
            parts.append(
                f'<text class="x-label" x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" font-size="11" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    return parts


def _x(i: int, n: int) -> float:
    slot = (WIDTH - LEFT - RIGHT) / max(n, 1)
    return LEFT + slot * (i + 0.5)


def _y(value: int, low: int, peak: int) -> float:
    plot_h = HEIGHT - TOP - BOTTOM
    return TOP + plot_h * (1 - (value - low) / (peak - low))


def bar_chart(
    title: str, labels: Sequence[str], values: Sequence[int], fmt: Callable[[int], str] = str
) -> SafeString:
    low, peak = _range(values)
    parts = _frame(title, labels, low, peak, fmt)
    slot = (WIDTH - LEFT - RIGHT) / max(len(values), 1)
    zero = _y(0, low, peak)
    for i, value in enumerate(values):
        top = min(_y(value, low, peak), zero)
        height = abs(_y(value, low, peak) - zero)
        parts.append(
            f'<rect class="bar" x="{_x(i, len(values)) - slot * 0.35:.1f}" y="{top:.1f}" '
            f'width="{slot * 0.7:.1f}" height="{height:.1f}" fill="#3b6fd8">'
            f"<title>{escape(labels[i])}: {escape(fmt(value))}</title></rect>"
        )
    # Every text in parts went through escape(); the rest are numbers we formatted.
    return mark_safe("".join([*parts, "</svg>"]))  # noqa: S308  # nosec B308 B703


def line_chart(
    title: str, labels: Sequence[str], values: Sequence[int], fmt: Callable[[int], str] = str
) -> SafeString:
    low, peak = _range(values)
    parts = _frame(title, labels, low, peak, fmt)
    points = [(_x(i, len(values)), _y(v, low, peak)) for i, v in enumerate(values)]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    parts.append(f'<polyline points="{path}" fill="none" stroke="#d8593b" stroke-width="2"/>')
    for (x, y), label, value in zip(points, labels, values, strict=True):
        parts.append(
            f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#d8593b">'
            f"<title>{escape(label)}: {escape(fmt(value))}</title></circle>"
        )
    # Every text in parts went through escape(); the rest are numbers we formatted.
    return mark_safe("".join([*parts, "</svg>"]))  # noqa: S308  # nosec B308 B703
