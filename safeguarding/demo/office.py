"""The meeting office's tools in the demo: the Board of 15 December 2026 has its papers
with report cover sheets — including a restricted item (Part B) with its paper and a Word
paper — so that its agenda pack can be downloaded in both versions; the risk register has
8 risks, red, amber and green, each with its score history (April, July and October 2026
assessments) and some with mitigating actions in the action log; the 2026/27 forward plan
is built and placed on the Board's agendas."""

from __future__ import annotations

import io

import docx
from werkzeug.datastructures import FileStorage

from safeguarding.calendar import financial_year_start
from safeguarding.demo import DemoContext, as_of, at, day, paper, step
from safeguarding.models import Meeting
from safeguarding.services import agenda_pack, forward_plan, risks, storage
from safeguarding.services import meetings as svc


def _docx(title: str, lines: list[str]) -> bytes:
    document = docx.Document()
    document.add_heading(title, level=1)
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _latest_paper(meeting: Meeting, item_id: int):
    return [p for p in svc.papers_of(meeting) if p.agenda_item_id == item_id][-1]


def _pack(ctx: DemoContext) -> None:
    office = ctx.users["office"]
    board: Meeting = ctx.extra["meetings"]["board_upcoming"]
    items = svc.agenda_of(board)
    budget = next(i for i in items if i.title.startswith("Draft budget"))
    budget_paper = _latest_paper(board, budget.id)
    with at(day(2026, 11, 25)):
        agenda_pack.save_cover_sheet(
            budget_paper,
            user=office,
            purpose="decision",
            asked_to="Approve the draft budget and the partner contributions it proposes, "
            "subject to the councils' budget setting in February.",
            author="Partnership Business Manager",
            sponsor_organisation_id=ctx.orgs["north"].id,
            risks="A late local government finance settlement may change the councils' contributions "
            "(likelihood 3, impact 3).",
        )
        private = svc.add_agenda_item(
            board,
            title="Commissioning an independent reviewer for a Safeguarding Adults Review",
            presenter="SAR sub-group chair",
            description="For decision",
            restricted=True,
        )
        paper(ctx, private, "Reviewer tender evaluation", "reviewer-tender-evaluation.pdf")
        agenda_pack.save_cover_sheet(
            _latest_paper(board, private.id),
            user=office,
            purpose="decision",
            asked_to="Agree the preferred reviewer and the fee, within the SAR authors' budget line.",
            author="SAR sub-group chair",
            sponsor_organisation_id=ctx.orgs["west"].id,
            risks="A delay in commissioning puts the review's six-month target at risk.",
        )
        comms = svc.add_agenda_item(
            board, title="Communications and engagement plan 2027", presenter="Healthwatch", description="For assurance"
        )
        upload = FileStorage(
            stream=io.BytesIO(
                _docx(
                    "Communications and engagement plan 2027",
                    ["Demonstration material: a paper written in Word, listed in the agenda pack."],
                )
            ),
            filename="communications-plan-2027.docx",
        )
        stored = storage.save_upload(upload, purpose="meeting_paper", uploaded_by_id=office.id)
        svc.attach_paper(comms, stored, title="Communications and engagement plan 2027", added_by_id=office.id)
        agenda_pack.save_cover_sheet(
            _latest_paper(board, comms.id),
            user=office,
            purpose="assurance",
            asked_to="Be assured that the plan reaches both councils' communities.",
            author="Communications and Engagement sub-group chair",
        )
    ctx.extra.setdefault("agenda_items", {})["board_private_december"] = private
    ctx.extra.setdefault("papers", {})["board_december_budget"] = budget_paper


# (reference key, title, cause, effect, owner, scores at each assessment: (inherent L, I,
# residual L, I), the review date, mitigating actions (title, owner, due))
RISKS = [
    (
        "funding",
        "Partner contributions do not cover the budget",
        "Councils' budget pressures and a late settlement",
        "The Board cannot commission the reviews and training it has agreed",
        "north",
        [(4, 4, 3, 4), (4, 5, 4, 4), (4, 5, 4, 5)],
        (2027, 1, 15),
        [("Agree the 2027/28 contributions at the Executive", "north", (2027, 2, 28))],
    ),
    (
        "sar_capacity",
        "Safeguarding Adults Reviews are not completed within six months",
        "Few independent reviewers; agencies slow to return chronologies",
        "Learning is delayed and the Board fails its own standard",
        "west",
        [(5, 4, 3, 4), (5, 4, 4, 4)],
        (2026, 12, 31),
        [("Build a framework of three independent reviewers", "west", (2027, 3, 31))],
    ),
    (
        "attendance",
        "Statutory partners are not represented at Board meetings",
        "Competing pressures on senior leaders",
        "The Board is inquorate and cannot take decisions",
        "police",
        [(3, 5, 3, 4), (3, 5, 3, 5)],
        (2026, 11, 30),
        [],
    ),
    (
        "data",
        "Performance data from health partners is incomplete",
        "Different recording systems in the integrated care board's providers",
        "The Board cannot see whether adults at risk are safer",
        "icb",
        [(4, 4, 4, 4), (4, 4, 3, 4)],
        (2027, 1, 31),
        [("Agree a common data set with the acute trust", "icb", (2027, 1, 31))],
    ),
    (
        "training",
        "Multi-agency training does not reach the voluntary sector",
        "Courses are booked by statutory staff first",
        "Concerns are missed where adults are best known",
        "west",
        [(3, 4, 2, 4)],
        (2027, 3, 1),
        [],
    ),
    (
        "discharge",
        "Unsafe hospital discharges of adults with care needs",
        "Winter pressure on beds",
        "Adults are harmed at home without support",
        "acute",
        [(4, 4, 4, 3), (4, 4, 4, 4), (4, 4, 3, 3)],
        (2027, 1, 20),
        [("Re-audit discharge summaries", "acute", (2027, 2, 15))],
    ),
    (
        "website",
        "The partnership's website is out of date",
        "No named owner for its content",
        "Professionals follow superseded procedures",
        "north",
        [(3, 3, 2, 3), (3, 3, 2, 2)],
        (2027, 4, 30),
        [],
    ),
    (
        "records",
        "Case review records are kept longer than the retention schedule allows",
        "No routine disposal review",
        "A breach of UK GDPR storage limitation",
        "north",
        [(2, 4, 2, 3)],
        (2027, 6, 30),
        [],
    ),
]
ASSESSED = [(2026, 4, 14), (2026, 7, 14), (2026, 10, 20)]


def _risks(ctx: DemoContext) -> None:
    office = ctx.users["office"]
    made = {}
    for key, title, cause, effect, owner, scores, review, mitigations in RISKS:
        first, *later = scores
        with at(day(*ASSESSED[0])):
            risk = risks.create_risk(
                user=office,
                title=title,
                cause=cause,
                effect=effect,
                owner_organisation_id=ctx.orgs[owner].id,
                review_date=day(*review),
                controls="Reported to the Board at each meeting",
                note="Entered on the register",
                **dict(zip(risks.SCORES, first, strict=True)),
            )
        for when, values in zip(ASSESSED[1:], later, strict=False):
            with at(day(*when)):
                risks.update_risk(
                    risk,
                    user=office,
                    note="Reviewed by the Executive",
                    **dict(zip(risks.SCORES, values, strict=True)),
                )
        with at(day(*ASSESSED[-1])):
            for action_title, action_owner, due in mitigations:
                risks.add_mitigation(
                    risk,
                    user=office,
                    title=action_title,
                    owner_organisation_id=ctx.orgs[action_owner].id,
                    due_date=day(*due),
                )
        made[key] = risk
    ctx.extra["risks"] = made


def _forward_plan(ctx: DemoContext) -> None:
    """The 2026/27 forward plan, built by the office in the spring and placed on the Board's
    agendas: linked to the held meetings' agendas where the business was there, added to
    December's and February's."""
    with at(day(2026, 11, 26)):
        forward_plan.build_year(financial_year_start(as_of()), user=ctx.users["office"])


@step(86, "meeting office")
def seed_office(ctx: DemoContext) -> None:
    _pack(ctx)
    _risks(ctx)
    _forward_plan(ctx)
