from __future__ import annotations

from safeguarding.forms import FlaskForm


class ConfirmForm(FlaskForm):
    """A confirmation page's form: only the CSRF token."""
