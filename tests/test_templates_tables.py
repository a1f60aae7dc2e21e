"""Tables go through one macro (issue 19): `app_table` in templates/macros/app.html renders the
GOV.UK table component (`govukTable`) inside the focusable, named scroll box that keeps a wide
table from making the page scroll sideways at 320 px. No page template writes `<table` by hand,
except the documents (letters and reports rendered to PDF and DOCX keep their own macro) and
the exceptions listed here with their reason. An exception that no longer writes a table fails
too, so the list stays true."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "safeguarding" / "templates"

# Templates still allowed to write a table by hand, and why.
EXCEPTIONS: dict[str, str] = {
    "budget/monitoring.html": "a line over budget marks its whole row (a class on the <tr>), which the component cannot",
}

HAND_TABLE = re.compile(r"<table\b", re.IGNORECASE)


def _hand_tables() -> set[str]:
    found = set()
    for path in TEMPLATES.rglob("*.html"):
        name = path.relative_to(TEMPLATES).as_posix()
        if name.startswith("documents/"):
            continue
        if HAND_TABLE.search(path.read_text(encoding="utf-8")):
            found.add(name)
    return found


def test_no_template_writes_a_table_by_hand():
    unexpected = sorted(_hand_tables() - set(EXCEPTIONS))
    assert not unexpected, f"use app_table (macros/app.html) instead of a hand-written <table> in {unexpected}"


def test_every_exception_is_still_needed():
    stale = sorted(set(EXCEPTIONS) - _hand_tables())
    assert not stale, f"these templates no longer write a table by hand: drop them from EXCEPTIONS: {stale}"


def test_the_macro_wraps_the_component_in_the_named_scroll_box(app):
    with app.test_request_context():
        html = app.jinja_env.from_string(
            '{% from "macros/app.html" import app_table %}'
            "{{ app_table('Meetings', [{'text': 'Date'}, {'text': 'Count', 'format': 'numeric', 'colspan': 2}],"
            " [], empty='No meetings match.', caption_size='hidden') }}"
        ).render()
    assert '<div class="app-table-scroll" tabindex="0" role="region" aria-label="Meetings">' in html
    assert '<caption class="govuk-table__caption govuk-visually-hidden">Meetings</caption>' in html
    assert 'govuk-table__header govuk-table__header--numeric" colspan="2"' in html
    # The empty row spans every column (the colspans counted).
    assert re.search(r'<td class="govuk-table__cell" colspan="3">\s*No meetings match.\s*</td>', html)


def test_the_macro_escapes_text_and_keeps_html(app):
    with app.test_request_context():
        html = app.jinja_env.from_string(
            '{% from "macros/app.html" import app_table %}'
            '{% set link %}<a class="govuk-link" href="/x">X</a>{% endset %}'
            "{{ app_table('Caption <b>', [{'text': 'A'}, {'text': 'B'}], [[{'text': '<script>'}, {'html': link}]],"
            " scroll=false, first_cell_is_header=true) }}"
        ).render()
    assert "app-table-scroll" not in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert '<a class="govuk-link" href="/x">X</a>' in html
    assert '<th scope="row" class="govuk-table__header">' in html
    assert "govuk-table__caption--m" in html
