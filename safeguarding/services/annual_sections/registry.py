"""The annual report's registry of generated data sections, its narrative sections, and the
arms and areas a section is broken down by.

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

It lives beside the built-in sections, which register here, and imports nothing of the
annual report service, which re-exports it (`safeguarding.services.annual.section` and the
rest): so the sections need nothing from the service and the service imports the
sections, not the other way round."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

REPORT_KINDS = ("adults", "children")  # the adults' annual report; the children's yearly report
ARMS = ("adults", "children")
AREAS = ("north", "west")
ARM_LABELS = {"adults": "Adults", "children": "Children"}
AREA_LABELS = {"north": "North", "west": "West"}

# --- what a section function returns -------------------------------------------------------


@dataclass
class Figure:
    key: str
    label: str
    value: int | None
    format: str = "number"  # number, money (pence), percent, days


@dataclass
class Table:
    caption: str
    head: list[str]
    rows: list[list[Any]]
    formats: list[str] = field(default_factory=list)  # per column: text, number, money, percent, days


@dataclass
class ChartData:
    title: str
    categories: list[str]
    series: list[tuple[str, list[int | float]]]
    format: str = "number"


@dataclass
class SectionData:
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[ChartData] = field(default_factory=list)
    summary: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "figures": [asdict(f) for f in self.figures],
            "tables": [asdict(t) for t in self.tables],
            "charts": [
                {
                    "title": c.title,
                    "categories": c.categories,
                    "format": c.format,
                    "series": [{"name": n, "values": v} for n, v in c.series],
                }
                for c in self.charts
            ],
            "summary": self.summary,
        }


SectionFn = Callable[..., SectionData]


@dataclass(frozen=True)
class SectionSpec:
    key: str
    order: int
    heading: str
    fn: SectionFn
    breakdown: tuple[str, ...]  # "arm", "area"
    arms: tuple[str, ...] = ARMS
    reports: tuple[str, ...] = ("adults",)  # the kinds of report it is part of


_sections: dict[str, SectionSpec] = {}


def section(
    key: str,
    order: int,
    heading: str,
    *,
    breakdown: Sequence[str] = ("arm", "area"),
    arms: Sequence[str] = ARMS,
    reports: Sequence[str] = ("adults",),
) -> Callable[[SectionFn], SectionFn]:
    """Register a generated data section (see the module docstring). `reports`: the kinds
    of report it belongs to — the adults' annual report (the default) and/or the
    children's yearly report."""

    def register(fn: SectionFn) -> SectionFn:
        if key in _sections or key in NARRATIVE or key in CHILDREN_NARRATIVE:
            raise ValueError(f"annual report section {key!r} is registered twice")
        _sections[key] = SectionSpec(key, order, heading, fn, tuple(breakdown), tuple(arms), tuple(reports))
        return fn

    return register


def data_sections(kind: str = "adults") -> list[SectionSpec]:
    """The data sections of a kind of report, in order."""
    return sorted((s for s in _sections.values() if kind in s.reports), key=lambda s: s.order)


@dataclass(frozen=True)
class NarrativeSpec:
    key: str
    order: int
    heading: str
    guidance: str


NARRATIVE = {
    n.key: n
    for n in (
        NarrativeSpec("foreword", 10, "Chair's foreword", "The Independent Chair's introduction to the year."),
        NarrativeSpec(
            "priorities",
            20,
            "Strategic priorities and what we did to achieve them",
            "What the partnership did during the year to achieve its objective and to implement its strategy "
            "(Care Act 2014 Schedule 2 paragraph 4 (a) and (b)), for each council area.",
        ),
        NarrativeSpec(
            "next_year",
            100,
            "Priorities for next year",
            "The partnership's priorities for the coming year and how they respond to this year's learning.",
        ),
    )
}


# The children's yearly report: what Working Together 2023 asks it to cover, written by
# people where no records hold it (the data sections are registered in annual_sections/children.py).
CHILDREN_NARRATIVE = {
    n.key: n
    for n in (
        NarrativeSpec(
            "impact",
            10,
            "What the safeguarding partners did and its impact on outcomes for children",
            "What the safeguarding partners and relevant agencies did during the year under the arrangements, "
            "and the evidence of its impact on outcomes for children and families, for each council area "
            "(Working Together 2023).",
        ),
        NarrativeSpec(
            "little_progress",
            20,
            "Areas of little or no progress",
            "Where the partnership made little or no progress, why, and what the partners will do about it.",
        ),
        NarrativeSpec(
            "voice",
            50,
            "Feedback from children and families",
            "What children, young people and families told the partnership about its work and how it "
            "changed what the partners do.",
        ),
        NarrativeSpec(
            "scrutiny",
            60,
            "The independent scrutineer's assessment",
            "The independent scrutineer's assessment of how well the arrangements work and the "
            "partners' response to it.",
        ),
        NarrativeSpec(
            "agencies",
            70,
            "How education settings and other relevant agencies took part",
            "How schools, colleges and other education settings, and the other relevant agencies named in the "
            "published arrangements, took part in the arrangements during the year.",
        ),
    )
}


def narrative_for(kind: str) -> dict[str, NarrativeSpec]:
    """The narrative sections of a kind of report."""
    return CHILDREN_NARRATIVE if kind == "children" else NARRATIVE


def generate(spec: SectionSpec, year: int) -> dict[str, Any]:
    """Run a section's function for the whole partnership and each arm and area."""
    variants = [
        {"label": "Whole partnership", "arm": None, "area": None, **spec.fn(year, arm=None, area=None).as_json()}
    ]
    if "arm" in spec.breakdown:
        for arm in spec.arms:
            variants.append(
                {"label": ARM_LABELS[arm], "arm": arm, "area": None, **spec.fn(year, arm=arm, area=None).as_json()}
            )
    if "area" in spec.breakdown:
        for area in AREAS:
            variants.append(
                {
                    "label": f"{AREA_LABELS[area]} Council area",
                    "arm": None,
                    "area": area,
                    **spec.fn(year, arm=None, area=area).as_json(),
                }
            )
    return {"variants": variants}
