"""The generated text of a learning briefing's sections: plain sentences from a source's
public findings (their anonymised public statements and themes) and its recommendations,
cut to fit the one page. Never a finding's statement or a review's summary."""

from __future__ import annotations

from typing import Any

from safeguarding.documents import Report, Section
from safeguarding.formatting import long_date
from safeguarding.models import LearningReview, MultiAgencyAudit, Review

# A question for practitioners per theme (the library's tag labels); others get the generic one.
QUESTIONS: dict[str, str] = {
    "Self-neglect": "When someone declines support, who do you bring together before the case is closed?",
    "Neglect or acts of omission": "How do you check that care planned is care delivered?",
    "Domestic abuse": "Do you ask about domestic abuse, and do you share what you learn with other agencies?",
    "Financial or material abuse": "Would you recognise economic abuse as domestic abuse?",
    "The team around the person": "Who else works with this person, and when did you last speak to them?",
    "Organisational features": "What would you escalate, and to whom, when a service is not delivered?",
    "Direct practice with the individual": "Have you assessed mental capacity rather than assumed it?",
    "Multi-agency information sharing": "Who else needs to know what you know, and have you told them?",
    "Risk assessment and decision making": "Does your risk assessment consider the whole history, not one referral?",
    "Hearing the voice of the child": "Have you recorded what the child told you, in their words?",
    "Critical thinking and challenge": "When did you last challenge another agency's view, and how?",
    "Understanding what the child's daily life is like": "Do you know who lives in the household?",
    "Safeguarding infants and safer sleep": "Have you talked to both parents about safer sleep?",
}
GENERIC_QUESTION = "What does this learning mean for your own practice and your team's?"
RESOURCES = (
    "The partnership's learning library: the findings of every review and audit, by theme.\n"
    "Your organisation's safeguarding lead and the partnership's multi-agency procedures."
)


def _fit(lines: list[str], max_lines: int, per_line: int = 85) -> str:
    """The lines joined, cut at a whole line to `max_lines` printed lines of `per_line`
    characters (an ellipsis line when something was left out: the office edits it)."""
    out: list[str] = []
    used = 0
    for line in lines:
        need = max(1, -(-len(line) // per_line))
        if used + need > max_lines - 1:
            out.append("…")
            break
        out.append(line)
        used += need
    return "\n".join(out)


def _background(source: Any, label: str) -> str:
    row = source.row
    if isinstance(row, Review):
        when = f", published on {long_date(row.published_on)}" if row.published_on else ""
        return (
            f"This briefing shares the learning from {label} {row.reference}{when}. "
            "It is for practitioners and managers in every partner organisation: read it together in a team meeting."
        )
    if isinstance(row, LearningReview):
        return (
            f"This briefing shares the learning from {label.lower()} {row.reference}, "
            f"concluded on {long_date(row.concluded_on)}: {row.title}."
        )
    assert isinstance(row, MultiAgencyAudit)
    grades = ", ".join(f"{n} {g.replace('_', ' ')}" for g, n in row.grades.items() if n)
    return (
        f"The Quality and Performance sub-group audited {row.cases_audited} cases in {row.reference} "
        f"({long_date(row.audited_on)}): {row.topic}." + (f" Grades: {grades}." if grades else "")
    )


def draft_sections(
    source: Any, *, label: str, findings: list[tuple[str, list[str]]], recommendations: list[str], lines: int
) -> dict[str, str]:
    row = source.row
    if isinstance(row, Review):
        title = f"7-minute briefing: {row.kind.short} {row.reference}"
    elif isinstance(row, LearningReview):
        title = f"7-minute briefing: {row.title}"
    else:
        title = f"7-minute briefing: {row.topic}"
    themes: list[str] = []
    for _, labels in findings:
        themes += [t for t in labels if t not in themes]
    what_happened = [f"- {public}" for public, _ in findings] or ["(No findings recorded yet.)"]
    learning = ([f"Themes: {', '.join(themes)}."] if themes else []) + [
        f"Recommendation {n}: {text}" for n, text in enumerate(recommendations, 1)
    ]
    questions = [f"- {QUESTIONS[t]}" for t in themes if t in QUESTIONS][:4] or [f"- {GENERIC_QUESTION}"]
    return {
        "title": title[:120],
        "background": _fit([_background(source, label)], 5),
        "what_happened": _fit(what_happened, lines),
        "learning": _fit(learning or ["(No recommendations recorded yet.)"], lines),
        "what_to_do": _fit(questions, 5),
        "resources": RESOURCES,
    }


def document(briefing: Any, on: Any) -> Any:
    """The one-page briefing as a documents.Report (rendered to HTML, PDF and DOCX)."""
    return Report(
        title=briefing.title,
        subtitle=f"{briefing.source_label} {briefing.source_reference}",
        date=briefing.published_on or on,
        reference=briefing.reference,
        draft=briefing.state.value == "draft",
        compact=True,
        sections=[
            Section(heading, [line for line in text.split("\n") if line.strip()])
            for _, heading, text in briefing.sections
            if text.strip()
        ],
    )
