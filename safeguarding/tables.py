"""The GOV.UK table component's markup, rendered in Python for the `app_table` macro
(templates/macros/app.html): the same HTML `govukTable` writes — caption, head cells with
their format, rows with a first-cell header, colspan, rowspan, classes and attributes — at
a fraction of the cost. `govukTable` calls a Jinja macro per cell for its attributes, which
made a page of many tables (the annual report: about 200 tables, 3,000 cells) spend most
of its time in the template.

A cell is a dict: `text` (escaped) or `html` (as given, like the component's `| safe`),
and optionally `format` ("numeric"), `classes`, `colspan`, `rowspan`, `attributes`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from markupsafe import Markup, escape


def _attributes(attributes: Mapping[str, Any] | None) -> str:
    if not attributes:
        return ""
    out = []
    for name, value in attributes.items():
        if isinstance(value, Mapping):  # the component's {value, optional} form
            if value.get("optional") and value.get("value") in (None, False):
                continue
            value = value.get("value")
        if value is True:
            out.append(f" {escape(name)}")
        elif value not in (None, False):
            out.append(f' {escape(name)}="{escape(value)}"')
    return "".join(out)


def _content(cell: Mapping[str, Any]) -> str:
    html = cell.get("html")
    if html:
        return str(html)
    text = cell.get("text")
    return "" if text is None else str(escape(text))


def _spans(cell: Mapping[str, Any]) -> str:
    out = ""
    if cell.get("colspan"):
        out += f' colspan="{escape(cell["colspan"])}"'
    if cell.get("rowspan"):
        out += f' rowspan="{escape(cell["rowspan"])}"'
    return out


def _classes(base: str, *extra: Any) -> str:
    return " ".join([base, *(str(e) for e in extra if e)])


def render_table(
    caption: Any,
    head: Iterable[Mapping[str, Any]] | None,
    rows: Iterable[Iterable[Mapping[str, Any]] | None],
    *,
    caption_classes: str = "",
    first_cell_is_header: bool = False,
    classes: str | None = None,
    attributes: Mapping[str, Any] | None = None,
) -> Markup:
    parts = [f'<table class="{_classes("govuk-table", classes)}"{_attributes(attributes)}>']
    if caption:
        caption_text = caption if isinstance(caption, Markup) else escape(caption)
        parts.append(f'<caption class="{_classes("govuk-table__caption", caption_classes)}">{caption_text}</caption>')
    if head:
        parts.append('<thead class="govuk-table__head"><tr class="govuk-table__row">')
        for item in head:
            fmt = f"govuk-table__header--{item['format']}" if item.get("format") else ""
            parts.append(
                f'<th scope="col" class="{_classes("govuk-table__header", fmt, item.get("classes"))}"'
                f"{_spans(item)}{_attributes(item.get('attributes'))}>{_content(item)}</th>"
            )
        parts.append("</tr></thead>")
    parts.append('<tbody class="govuk-table__body">')
    for row in rows:
        if not row:
            continue
        parts.append('<tr class="govuk-table__row">')
        for n, cell in enumerate(row):
            common = f"{_spans(cell)}{_attributes(cell.get('attributes'))}"
            if n == 0 and first_cell_is_header:
                parts.append(
                    f'<th scope="row" class="{_classes("govuk-table__header", cell.get("classes"))}"{common}>'
                    f"{_content(cell)}</th>"
                )
            else:
                fmt = f"govuk-table__cell--{cell['format']}" if cell.get("format") else ""
                parts.append(
                    f'<td class="{_classes("govuk-table__cell", fmt, cell.get("classes"))}"{common}>'
                    f"{_content(cell)}</td>"
                )
        parts.append("</tr>")
    parts.append("</tbody></table>")
    return Markup("\n".join(parts))


def register(app: Any) -> None:
    app.add_template_global(render_table)
