"""Serving a rendered document: a download with a safe name, never cached."""

from __future__ import annotations

import pytest

from safeguarding.documents import safe_filename, send_file


@pytest.mark.parametrize(
    ("given", "safe"),
    [
        ("ESC-2026-004-letter.pdf", "ESC-2026-004-letter.pdf"),
        ("ESC 2026/004 letter.PDF", "ESC-2026-004-letter.pdf"),
        ("../../etc/passwd", "etc-passwd"),
        ("Réponse d’attente.docx", "Reponse-d-attente.docx"),
        ("\r\nSet-Cookie: x.pdf", "Set-Cookie-x.pdf"),
        (".pdf", "document.pdf"),
    ],
)
def test_file_names_are_made_safe(given, safe):
    assert safe_filename(given) == safe


def test_a_document_is_sent_as_a_download_that_is_not_cached(app):
    with app.test_request_context("/"):
        response = send_file(b"%PDF-1.7 x", "ESC 2026 004.pdf")
        response.direct_passthrough = False
        assert response.get_data() == b"%PDF-1.7 x"
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == "attachment; filename=ESC-2026-004.pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    with app.test_request_context("/"):
        word = send_file(b"PK", "letter.docx", as_attachment=False)
    assert word.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert word.headers["Content-Disposition"].startswith("inline")
