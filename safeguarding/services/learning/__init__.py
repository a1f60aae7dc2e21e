"""Learning from reviews: findings from every source, the library that searches them,
and recommendations followed to impact (re-audits, impact ratings)."""

from __future__ import annotations

from safeguarding.services.learning import annual_section, reaudits
from safeguarding.services.learning.findings import (
    Source,
    answered_findings,
    findings_of,
    findings_with_tags,
    full_text_visible,
    get_finding,
    link_findings,
    may_read_statement,
    parse_keywords,
    recommendations_answering,
    record_finding,
    source_of,
    tags_and_agencies,
    update_finding,
)
from safeguarding.services.learning.library import (
    PER_PAGE,
    Library,
    LibraryFilters,
    LibraryRow,
    Recurrence,
    by_year,
    recurrence,
    search,
)
from safeguarding.services.learning.report import LearningReport, learning_report, report_csv
from safeguarding.services.learning.sources import AUDIT_GRADES, record_audit, record_learning_review

__all__ = [
    "annual_section",
    "LearningReport",
    "learning_report",
    "report_csv",
    "answered_findings",
    "link_findings",
    "recommendations_answering",
    "reaudits",
    "AUDIT_GRADES",
    "record_audit",
    "record_learning_review",
    "PER_PAGE",
    "Library",
    "LibraryFilters",
    "LibraryRow",
    "Recurrence",
    "Source",
    "by_year",
    "findings_of",
    "findings_with_tags",
    "full_text_visible",
    "get_finding",
    "may_read_statement",
    "parse_keywords",
    "recurrence",
    "record_finding",
    "search",
    "source_of",
    "tags_and_agencies",
    "update_finding",
]
