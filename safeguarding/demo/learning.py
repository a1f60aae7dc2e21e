"""The learning library's demo: ten years of findings (2017–2026) from the demo's case
reviews, a rapid review, four learning reviews and two multi-agency audits, tagged with
the national themes, so that the library, its recurrence ("Self-neglect: 5 sources
since 2021") and its chart by year have something to show."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from safeguarding.demo import DemoContext, at, day, step
from safeguarding.demo.reviews.builder import _Demo
from safeguarding.extensions import db
from safeguarding.models import Area, Reaudit, ReauditState, ReviewRecommendation
from safeguarding.services import learning
from safeguarding.services.learning import reaudits

# (source key, found on, statement, public statement, tags, keywords, agencies)
REVIEW_FINDINGS = [
    (
        "closed",
        (2025, 9, 15),
        "Home care visits to the man were missed eleven times in two months without escalation to the council.",
        "Missed home care visits to an adult who self-neglected were not escalated to the council.",
        ["self_neglect", "organisational_features"],
        "hoarding, missed visits",
        ["north"],
    ),
    (
        "closed",
        (2025, 9, 15),
        "No one assessed his capacity to decide about his living conditions, although the GP had doubts.",
        "Mental capacity to make decisions about living conditions was assumed and not assessed.",
        ["self_neglect", "direct_practice"],
        "mental capacity",
        ["icb", "north"],
    ),
    (
        "published",
        (2026, 4, 20),
        "Police and hospital held information about coercive control that the care agency never received.",
        "Information about coercive control held by two agencies was not shared with the care provider.",
        ["domestic_abuse", "team_around_person"],
        "coercive control, information sharing",
        ["police", "acute"],
    ),
    (
        "published_recently",
        (2026, 6, 1),
        "The fire risk of home oxygen and smoking was known to the clinic but not to the fire service.",
        "Fire risk from home oxygen was not referred for a fire safety visit.",
        ["self_neglect", "neglect", "team_around_person"],
        "fire risk, home oxygen",
        ["fire", "icb"],
    ),
    (
        "signed_off",
        (2026, 9, 1),
        "Repeated hospital discharges happened without a safeguarding referral despite pressure damage.",
        "Hospital discharges went ahead without a safeguarding referral despite signs of neglect.",
        ["neglect", "organisational_features"],
        "discharge, pressure ulcers",
        ["acute"],
    ),
    (
        "cspr_rapid",
        (2026, 10, 1),
        "The baby's father was not known to the health visitor; the home was not seen at night.",
        "Professionals did not know who lived in the household or what the baby's daily life was like.",
        ["daily_life", "safeguarding_infants"],
        "unseen men, safer sleep",
        ["icb", "north"],
    ),
    (
        "cspr_report_sent",
        (2026, 10, 20),
        "Agencies did not share the concerns each held; each referral was assessed alone.",
        "Concerns held by several agencies were not shared, so each referral was assessed in isolation.",
        ["information_sharing", "risk_assessment", "critical_thinking"],
        "strategy discussion",
        ["police", "west", "icb"],
    ),
    (
        "cspr_report_sent",
        (2026, 10, 20),
        "The child's own account was not recorded at any of the five contacts with services.",
        "The child's voice was not heard or recorded when services met the child.",
        ["voice_of_child"],
        "voice of the child",
        ["west"],
    ),
]

LEARNING_REVIEWS = [
    ("LR 2017/01", "dardr", "Domestic abuse related death review, 2017", "adults", "north", (2017, 6, 12)),
    (
        "LR 2019/01",
        "learning_together",
        "Learning-together review of neglect in teenagers",
        "children",
        "west",
        (2019, 3, 4),
    ),
    (
        "LR 2021/01",
        "learning_together",
        "Learning-together review of hoarding and fire risk",
        "adults",
        "both",
        (2021, 11, 8),
    ),
    ("LR 2023/01", "dardr", "Domestic abuse related death review, 2023", "adults", "west", (2023, 5, 22)),
]
LEARNING_FINDINGS = {
    "LR 2017/01": [
        ("Risk assessments were not repeated after the couple reunited.", ["domestic_abuse"], "risk assessment"),
    ],
    "LR 2019/01": [
        (
            "Neglect of older children was seen as their choice rather than as harm.",
            ["risk_assessment", "critical_thinking"],
            "adolescent neglect",
        ),
        ("Schools' concerns did not reach children's social care.", ["information_sharing"], "education"),
    ],
    "LR 2021/01": [
        (
            "Hoarding was treated as a lifestyle choice and fire risk was not assessed.",
            ["self_neglect", "direct_practice"],
            "hoarding, fire risk",
        ),
        (
            "No agency led: each closed the case when the adult declined help.",
            ["self_neglect", "team_around_person"],
            "disengagement",
        ),
    ],
    "LR 2023/01": [
        ("Economic abuse was not recognised as domestic abuse.", ["domestic_abuse", "financial"], "economic abuse"),
    ],
}
AUDITS = [
    (
        "MAA 2023/01",
        "Multi-agency audit of information sharing at the front door",
        "children",
        "both",
        (2023, 2, 14),
        12,
        {"good": 5, "requires_improvement": 6, "inadequate": 1},
    ),
    (
        "MAA 2026/01",
        "Multi-agency audit of self-neglect cases, September 2026",
        "adults",
        "both",
        (2026, 9, 30),
        10,
        {"good": 4, "requires_improvement": 5, "inadequate": 1},
    ),
]
AUDIT_FINDINGS = {
    "MAA 2023/01": [
        (
            "Referrals from schools lacked the information needed to decide on a strategy discussion.",
            ["information_sharing"],
            "referral quality",
        ),
    ],
    "MAA 2026/01": [
        (
            "Self-neglect cases were closed after one refusal of support without a multi-agency meeting.",
            ["self_neglect", "organisational_features"],
            "hoarding, refusal of support",
        ),
        (
            "Records rarely showed the adult's own view of the risks they lived with.",
            ["self_neglect", "direct_practice"],
            "making safeguarding personal",
        ),
    ],
}


@step(76, "learning library")
def seed_learning(ctx: DemoContext) -> None:
    office = ctx.users["office"]
    reviews = ctx.extra.get("reviews", {})
    made: dict[str, object] = {}
    for n, (key, on, statement, public, tags, keywords, orgs) in enumerate(REVIEW_FINDINGS):
        if key not in reviews:
            continue
        with at(day(*on)):
            f = learning.record_finding(
                learning.Source(reviews[key]),
                office,
                statement=statement,
                public_statement=public,
                found_on=day(*on),
                tags=tags,
                keywords=keywords,
                agency_ids=[ctx.orgs[o].id for o in orgs],
            )
        made[f"{key}_{n}"] = f
    sources: dict[str, learning.Source] = {}
    for reference, kind, title, arm, area, on in LEARNING_REVIEWS:
        with at(day(*on)):
            row = learning.record_learning_review(
                office, reference=reference, kind=kind, title=title, arm=arm, area=area, concluded_on=day(*on)
            )
        sources[reference] = learning.Source(row)
    for reference, topic, arm, area, on, cases, grades in AUDITS:
        with at(day(*on)):
            row = learning.record_audit(
                office,
                reference=reference,
                topic=topic,
                arm=arm,
                area=area,
                audited_on=day(*on),
                cases_audited=cases,
                grades=grades,
                group_id=ctx.groups["qp"].id,
            )
        sources[reference] = learning.Source(row)
    for reference, items in {**LEARNING_FINDINGS, **AUDIT_FINDINGS}.items():
        source = sources[reference]
        on: date = source.row.concluded_on if hasattr(source.row, "concluded_on") else source.row.audited_on
        for statement, tags, keywords in items:
            with at(on):
                f = learning.record_finding(
                    source,
                    office,
                    statement=statement,
                    public_statement=statement,
                    found_on=on,
                    tags=tags,
                    keywords=keywords,
                )
            made[f"{reference}_{len(made)}"] = f
    older = _followed_to_impact(ctx)
    ctx.extra["reviews_older"] = {"sar_2024": older["review"]}
    ctx.extra["reaudits"] = older["reaudits"]
    ctx.extra["findings"] = made
    ctx.extra["learning_sources"] = {ref: s.row for ref, s in sources.items()}


# An older SAR followed to impact: its action plan done in 2025, each recommendation
# re-audited six months on, one in each rating (no evidence of impact — a further
# re-audit scheduled —, some, clear).
OLDER_PLAN = [
    (
        "Self-neglect cases are discussed at a multi-agency risk meeting before closure",
        [("Set up the multi-agency risk meeting for self-neglect", "north", (2025, 7, 31))],
        (2025, 7, 21),
        "clear",
        "Ten closed self-neglect cases sampled: every one went to the risk meeting first.",
    ),
    (
        "Fire risk is assessed where hoarding is found",
        [("Add the fire risk referral to the hoarding protocol", "fire", (2025, 8, 29))],
        (2025, 8, 18),
        "some",
        "Referrals to the fire service rose; two of six cases still had no fire safety visit.",
    ),
    (
        "Mental capacity about living conditions is assessed and recorded",
        [("Train practitioners in capacity assessments for self-neglect", "north", (2025, 9, 30))],
        (2025, 9, 15),
        "none",
        "Eight of ten records still assumed capacity; the training reached a third of the teams.",
    ),
]


def _followed_to_impact(ctx: DemoContext) -> dict:
    d = _Demo(ctx)
    review = d.sar(
        "JW",
        "65_74",
        Area.north,
        day(2024, 9, 2),
        day(2024, 9, 23),
        "Died in a house fire; lived alone with severe hoarding and had declined support.",
        "County Fire and Rescue Service",
        "fire",
        ["north", "fire", "icb"],
    )
    d.screen(review, day(2024, 9, 30))
    d.to_decision(review, day(2024, 10, 14))
    d.decide(review, day(2024, 10, 28))
    d.commission(review, day(2024, 11, 11), value=650_000)
    # Signed off at an extraordinary Board meeting in February 2025, before the run of
    # April, June and August meetings whose absences the attendance demo counts.
    d.to_draft(review, day(2025, 1, 27))
    d.board_signs_off([review], day(2025, 2, 3), day(2025, 2, 17))
    d.publish(review, day(2025, 5, 6))
    actions = d.plan(review, [(text, [(t, org, day(*due)) for t, org, due in acts]) for text, acts, *_ in OLDER_PLAN])
    d.fire(review, "start_monitoring", d.office, day(2025, 5, 12))
    office = ctx.users["office"]
    with at(day(2025, 5, 6)):
        f = learning.record_finding(
            learning.Source(review),
            office,
            statement="Each agency closed the case when the man declined help; none assessed the fire risk of the hoarding.",
            public_statement="Agencies closed the case of an adult who hoarded when he declined help, without assessing fire risk.",
            found_on=day(2025, 5, 6),
            tags=["self_neglect", "team_around_person", "organisational_features"],
            keywords="hoarding, fire risk, disengagement",
            agency_ids=[ctx.orgs["north"].id, ctx.orgs["fire"].id],
        )
    made = {}
    for action, (_, _, done, _rating, _evidence) in zip(actions, OLDER_PLAN, strict=True):
        d.complete(action, day(*done), "Done, with evidence sent to the business office")
    recommendations = {a.source_id for a in actions}
    for rec_id in sorted(recommendations):
        learning.link_findings(_rec(rec_id), [f.id], office)
    with at(day(2025, 9, 16)):
        reaudits.schedule_reaudits(day(2025, 9, 16))
    d.fire(review, "close", d.office, day(2025, 9, 22))
    for action, (_, _, _done, rating, evidence) in zip(actions, OLDER_PLAN, strict=True):
        row = _scheduled_for(action.source_id)
        on = row.due_on
        with at(on):
            reaudits.record_reaudit(
                row,
                office,
                version=row.version,
                completed_on=on,
                checked="A sample of cases closed since the action was completed, and the practitioners' records",
                rating=rating,
                evidence=evidence,
            )
        made[rating] = row
    return {"review": review, "reaudits": made}


def _rec(rec_id: int):
    return db.session.get(ReviewRecommendation, rec_id)


def _scheduled_for(rec_id: int):
    return db.session.scalar(
        sa.select(Reaudit).where(Reaudit.recommendation_id == rec_id, Reaudit.state == ReauditState.scheduled)
    )
