"""Imports of the office's spreadsheets (issue 21): the engine (`engine`), reading files
(`reading`) and cells (`values`), the kinds (`directory`) and their templates."""

from safeguarding.services.imports import (  # noqa: F401  (registers the kinds)
    budgets,
    directory,
    disputes,
    findings,
    meetings,
    recommendations,
    reviews,
)
from safeguarding.services.imports.engine import (
    KINDS,
    Kind,
    Report,
    check,
    commit,
    get_kind,
    get_run,
    list_runs,
    recheck,
    resolve_mapping,
    saved_mapping,
)
from safeguarding.services.imports.templates import template_xlsx

__all__ = [
    "KINDS",
    "Kind",
    "Report",
    "check",
    "commit",
    "get_kind",
    "get_run",
    "list_runs",
    "recheck",
    "resolve_mapping",
    "saved_mapping",
    "template_xlsx",
]
