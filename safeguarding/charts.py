"""Accessible charts as inline SVG, drawn on the server (no JavaScript): every chart
carries a title and a text description, labels its values in text (colour is never the
only signal), and comes with the table it was drawn from for a text alternative.

    chart = bar_chart("Budget and actual spend by line", ["Salaries", "Chair"],
                      [Series("Budget", [7_980_000, 2_000_000]), Series("Actual", [...])],
                      value_format=formatting.money)
    {{ chart.svg }}  {{ chart.table_html }}
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

# GOV.UK Frontend colours with enough contrast on white for adjacent bars.
PALETTE = ["#1d70b8", "#f47738", "#00703c", "#4c2c92", "#d4351c", "#505a5f"]
_ids = itertools.count(1)


@dataclass(frozen=True)
class Series:
    """One series of values; a value of None means "no data" (no bar, and "–" in the
    table), never zero."""

    name: str
    values: Sequence[int | float | None]
    colour: str | None = None


NO_DATA = "–"


def _fmt(fmt: Callable[[float], str], value: float | None) -> str:
    return NO_DATA if value is None else fmt(value)


def _label_lines(text: str, per_line: int = 22) -> list[str]:
    """A category label on at most two lines of about `per_line` characters, split at
    spaces, so that nothing is cut off at the chart's left edge."""
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > per_line:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    return [ln if len(ln) <= per_line + 4 else ln[: per_line + 3] + "…" for ln in lines]


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    svg: Markup
    table_html: Markup


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _table(title: str, categories: Sequence[str], series: Sequence[Series], fmt: Callable[[float], str]) -> Markup:
    head = "".join(
        f'<th scope="col" class="govuk-table__header govuk-table__header--numeric">{_esc(s.name)}</th>' for s in series
    )
    rows = []
    for i, cat in enumerate(categories):
        cells = "".join(
            f'<td class="govuk-table__cell govuk-table__cell--numeric">{_esc(_fmt(fmt, s.values[i]))}</td>'
            for s in series
        )
        rows.append(
            f'<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{_esc(cat)}</th>{cells}</tr>'
        )
    return Markup(
        f'<table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--s">{_esc(title)}</caption>'
        f'<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">'
        f'<span class="govuk-visually-hidden">Category</span></th>{head}</tr></thead>'
        f'<tbody class="govuk-table__body">{"".join(rows)}</tbody></table>'
    )


def bar_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    value_format: Callable[[float], str] = lambda v: f"{v:,}",
    stacked: bool = False,
    width: int = 640,
) -> Chart:
    """Horizontal bars, one group per category (or one stacked bar per category)."""
    if any(len(s.values) != len(categories) for s in series):
        raise ValueError("every series needs one value per category")
    uid = next(_ids)
    label_w, value_w, bar_h, gap = 180, 110, 18, 10
    per_cat = 1 if stacked else max(1, len(series))
    labels = [_label_lines(cat) for cat in categories]
    group_h = max(per_cat * bar_h, 36 if any(len(lines) > 1 for lines in labels) else 0) + gap
    legend_h = 24 * ((len(series) + 2) // 3)
    height = legend_h + max(1, len(categories)) * group_h + 10
    plot_w = width - label_w - value_w
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(categories))] if stacked else []
    peak = max([*(totals or [v for s in series for v in s.values if v is not None]), 0]) or 1
    parts = [f'<rect width="{width}" height="{height}" fill="#ffffff"/>']
    for i, s in enumerate(series):
        colour = s.colour or PALETTE[i % len(PALETTE)]
        x, y = (i % 3) * 200, (i // 3) * 24
        parts.append(
            f'<rect x="{x}" y="{y + 4}" width="14" height="14" fill="{colour}"/>'
            f'<text x="{x + 20}" y="{y + 16}" font-size="14">{_esc(s.name)}</text>'
        )
    for c, lines in enumerate(labels):
        top = legend_h + c * group_h
        parts.append(
            f'<text x="{label_w - 8}" y="{top + bar_h - 4}" font-size="14" text-anchor="end">'
            + "".join(
                f'<tspan x="{label_w - 8}" dy="{0 if n == 0 else 16}">{_esc(line)}</tspan>'
                for n, line in enumerate(lines)
            )
            + "</text>"
        )
        offset = 0.0
        for i, s in enumerate(series):
            colour = s.colour or PALETTE[i % len(PALETTE)]
            value = s.values[c]
            w = max(0.0, plot_w * (value or 0) / peak)
            if stacked:
                parts.append(
                    f'<rect x="{label_w + offset:.1f}" y="{top}" width="{w:.1f}" height="{bar_h}" '
                    f'fill="{colour}" stroke="#ffffff"/>'
                )
                offset += w
            else:
                y = top + i * bar_h
                parts.append(
                    f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h - 2}" fill="{colour}"/>'
                    f'<text x="{label_w + w + 4:.1f}" y="{y + bar_h - 5}" font-size="13">'
                    f"{_esc(_fmt(value_format, value) if value is not None else 'no data')}</text>"
                )
        if stacked:
            parts.append(
                f'<text x="{label_w + offset + 4:.1f}" y="{top + bar_h - 4}" font-size="13">'
                f"{_esc(value_format(totals[c]))}</text>"
            )
    description = (
        "; ".join(
            f"{cat}: "
            + ", ".join(
                f"{s.name} {'no data' if s.values[i] is None else value_format(s.values[i])}"  # type: ignore[arg-type]
                for s in series
            )
            for i, cat in enumerate(categories)
        )
        or "No data"
    )
    svg = Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="100%" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="chart-{uid}-title chart-{uid}-desc" font-family="system-ui, Arial, sans-serif" '
        f'style="max-width:{width}px">'
        f'<title id="chart-{uid}-title">{_esc(title)}</title><desc id="chart-{uid}-desc">{_esc(description)}</desc>'
        f"{''.join(parts)}</svg>"
    )
    return Chart(title, description, svg, _table(title, categories, series, value_format))
