"""The annual report: a registry of generated data sections, the narrative sections,
starting a report for a financial year, refreshing and freezing its figures, editing and
assigning sections, the chair's comments, and the statutory distribution on publication.

Data sections are pluggable: a feature registers one function per section::

    from safeguarding.services import annual

    @annual.section("escalations", 85, "Escalations", breakdown=("area",))
    def _escalations(year: int, *, arm: str | None, area: str | None) -> annual.SectionData:
        ...  # count the year's records (exact match on arm/area when given)
        return annual.SectionData(figures=[annual.Figure("raised", "Escalations raised", n)],
                                  tables=[...], charts=[...], summary="...")

`year` is the calendar year the financial year starts in (2025 → 1 April 2025 to 31 March
2026); `arm` is None (whole partnership), "adults" or "children"; `area` None, "north" or
"west". The function is called once for the whole partnership and once per arm and per
area named in `breakdown`; its output is stored as JSON when the report starts, may be
refreshed while drafting, and is frozen once the chair approves.

The package: `common` (roles and states; guards), `queries` (reading reports and their
stored figures; home page counts), `commands` (starting, refreshing, editing, assigning,
the chair's comments, emails), `board` (the Board's agreement of the adults' report),
`distribution` (the distribution list, sending on publication, deliveries) and
`rendering` (figures as shown; the report as a document), `yearly` (the children's
yearly report: the partners' joint sign-off, sending it to the Panel and Foundations);
`lifecycle` registers what the
report's lifecycle needs from them (guards, effects, the loader) when imported here.
Callers import from the package: everything is re-exported here, and importing it
registers the built-in sections (`annual_sections`), as the single module did.

The registry (what a section function returns, the registry of data sections, the
narrative sections, the arms and areas) is `annual_sections.registry`, re-exported here:
the built-in sections register there without importing this package, so the arrow points
one way, from the report to its sections.
"""

from safeguarding.services import annual_sections  # noqa: F401  (registers the built-in sections)
from safeguarding.services.annual import lifecycle  # noqa: F401  (registers the lifecycle's rules)
from safeguarding.services.annual.board import (
    SUBJECT,
    BoardAgreement,
    agreement,
    board_decided,
    put_on_board_agenda,
)
from safeguarding.services.annual.commands import (
    assign_writer,
    comment_on_sections,
    edit_section,
    refresh_figures,
    start_report,
    tell,
)
from safeguarding.services.annual.common import (
    CHAIR,
    EDITABLE,
    FROZEN,
    OFFICE,
    READERS,
    WRITERS,
)
from safeguarding.services.annual.distribution import (
    ROLES,
    Delivery,
    Entry,
    deliveries,
    distribute,
    distribution_list,
    entry_for,
    get_recipient,
    recipients_of,
    send_to_recipient,
    set_contact,
)
from safeguarding.services.annual.queries import (
    breakdown_rows,
    figure,
    get_report,
    get_section,
    list_reports,
    may_edit,
    may_read,
    may_see_draft,
    narrative_missing,
    section_by_key,
    sections_due_select,
    sections_with_comments,
    submitted_count_select,
    title,
    variant,
    year_bounds,
)
from safeguarding.services.annual.rendering import (
    breakdown_cells,
    chart_of,
    document,
    file_name,
    format_value,
    table_cells,
    taken_on,
)
from safeguarding.services.annual.yearly import (
    SEND_WITHIN_DAYS,
    NationalSending,
    decision_of,
    national_sending,
    send_nationally,
    unsent_detail,
    unsent_published_select,
    unsent_select,
)
from safeguarding.services.annual_sections.registry import (
    AREA_LABELS,
    AREAS,
    ARM_LABELS,
    ARMS,
    CHILDREN_NARRATIVE,
    NARRATIVE,
    REPORT_KINDS,
    ChartData,
    Figure,
    NarrativeSpec,
    SectionData,
    SectionFn,
    SectionSpec,
    Table,
    _sections,
    data_sections,
    generate,
    narrative_for,
    section,
)

__all__ = [
    "OFFICE",
    "CHAIR",
    "READERS",
    "WRITERS",
    "EDITABLE",
    "FROZEN",
    "ARMS",
    "AREAS",
    "ARM_LABELS",
    "AREA_LABELS",
    "Figure",
    "Table",
    "ChartData",
    "SectionData",
    "SectionFn",
    "SectionSpec",
    "_sections",
    "section",
    "data_sections",
    "NarrativeSpec",
    "NARRATIVE",
    "generate",
    "title",
    "may_read",
    "list_reports",
    "get_report",
    "may_see_draft",
    "get_section",
    "variant",
    "figure",
    "section_by_key",
    "breakdown_rows",
    "start_report",
    "refresh_figures",
    "may_edit",
    "edit_section",
    "assign_writer",
    "comment_on_sections",
    "sections_with_comments",
    "narrative_missing",
    "tell",
    "recipients_of",
    "SUBJECT",
    "BoardAgreement",
    "agreement",
    "board_decided",
    "put_on_board_agenda",
    "ROLES",
    "Delivery",
    "Entry",
    "deliveries",
    "distribute",
    "distribution_list",
    "entry_for",
    "get_recipient",
    "send_to_recipient",
    "set_contact",
    "submitted_count_select",
    "sections_due_select",
    "year_bounds",
    "format_value",
    "table_cells",
    "breakdown_cells",
    "chart_of",
    "taken_on",
    "document",
    "file_name",
    "REPORT_KINDS",
    "CHILDREN_NARRATIVE",
    "narrative_for",
    "SEND_WITHIN_DAYS",
    "NationalSending",
    "decision_of",
    "national_sending",
    "send_nationally",
    "unsent_select",
    "unsent_published_select",
    "unsent_detail",
]
