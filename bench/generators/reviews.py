"""Case reviews over 10 years: 500 reviews (SARs and CSPRs) moved along their lifecycle by
simulated durations up to 23 November 2026, with information requests, pauses,
recommendations and 20,000 actions in the shared log (some completed, some accepted as
not implemented with reasons, the rest open)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from dateutil.relativedelta import relativedelta

from safeguarding.models import (
    Action,
    InformationRequest,
    Review,
    ReviewAgency,
    ReviewPause,
    ReviewRecommendation,
    WorkflowHistory,
)
from safeguarding.models.base import utcnow

ORDER = 50
TODAY = date(2026, 11, 23)
SAR_BANDS = ["18_24", "25_44", "45_64", "65_74", "75_84", "85_plus"]
CHILD_BANDS = ["under_1", "1_4", "5_10", "11_15", "16_17"]
AREAS = ["north", "west", "both"]
LETTERS = "ABCDEFGHJKLMNPRSTW"


def generate(ctx) -> None:
    from bench.generate import FIRST_YEAR

    rng = ctx.rng
    now = utcnow()
    org_ids = ctx.ids["organisations"]
    sar_group, cspr_group = ctx.ids["groups"][2], ctx.ids["groups"][3]
    start = date(FIRST_YEAR, 4, 1)
    span = (TODAY - start).days
    n_reviews = ctx.n(500)
    n_actions = ctx.n(20_000)

    reviews, agencies, requests, pauses, recs = [], [], [], [], []
    sequences: dict[tuple[str, int], int] = {}
    finished = []  # (review id, area, arm, reference, group, published date) of reviews with an action plan
    for i in range(n_reviews):
        rid = i + 1
        kind = "sar" if rng.random() < 0.7 else "cspr"
        received = start + timedelta(days=int(span * i / n_reviews) + rng.randint(0, 5))
        received = min(received, TODAY - timedelta(days=1))
        seq = sequences[(kind, received.year)] = sequences.get((kind, received.year), 0) + 1
        reference = f"{'SAR' if kind == 'sar' else 'CSPR'}-{received.year}-{seq:03d}"
        area = rng.choice(AREAS)
        row = {
            "id": rid,
            "kind": kind,
            "year": received.year,
            "sequence": seq,
            "reference": reference,
            "group_id": sar_group if kind == "sar" else cspr_group,
            "area": area,
            "initials": rng.choice(LETTERS) + rng.choice(LETTERS),
            "age_band": rng.choice(SAR_BANDS if kind == "sar" else CHILD_BANDS),
            "harm_date": received - timedelta(days=rng.randint(3, 40)),
            "summary": "Benchmark case",
            "received_on": received,
            "referral_source": "Benchmark referrer",
            "received_by_email": rng.random() < 0.5,
            "parallel_processes": [],
            "lcspr_criteria": [],
            "commitment_recorded": False,
            "paused_days": 0,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        # Milestones by simulated durations; the review stops at the first one still ahead.
        commissioned = rng.random() < (0.8 if kind == "sar" else 0.7)
        route = ("mandatory" if rng.random() < 0.6 else "discretionary") if kind == "sar" else "lcspr"
        decided = received + timedelta(days=rng.randint(30, 120))
        paused_days = rng.randint(60, 240) if commissioned and rng.random() < 0.12 else 0
        started = decided + timedelta(days=rng.randint(7, 40))
        draft = started + timedelta(days=rng.randint(120, 260) + paused_days)
        signed = draft + timedelta(days=rng.randint(20, 60))
        published = signed + timedelta(days=rng.randint(10, 60))
        monitoring = published + timedelta(days=rng.randint(1, 14))
        closed = monitoring + timedelta(days=rng.randint(400, 900))
        if kind == "sar":
            row.update(
                s44_in_area=True,
                s44_in_area_reason="Benchmark",
                s44_needs=True,
                s44_needs_reason="Benchmark",
                s44_died=True,
                s44_abuse=True,
                s44_abuse_reason="Benchmark",
                s44_concern=route == "mandatory",
                s44_concern_reason="Benchmark",
                screening_outcome=route if commissioned else "discretionary",
                screened_on=received + timedelta(days=10),
            )
            early = [
                ("referred", received),
                ("screening", received + timedelta(days=3)),
                ("information_gathering", received + timedelta(days=14)),
                ("awaiting_decision", decided - timedelta(days=10)),
            ]
        else:
            row.update(
                notified_on=received + timedelta(days=rng.randint(1, 6)),
                partners_told_on=received + timedelta(days=rng.randint(0, 4)),
                rapid_review_sent_on=received + timedelta(days=rng.randint(14, 25)),
                rapid_review_reasons="Benchmark",
                lcspr_criteria=["improvements_needed"],
            )
            early = [
                ("notified", received),
                ("rapid_review", received + timedelta(days=2)),
                ("awaiting_decision", row["rapid_review_sent_on"]),
            ]
        state = early[0][0]
        for name, when in early:
            if when <= TODAY:
                state = name
        if decided <= TODAY:
            row.update(
                recommendation=route if commissioned else "not_commissioned",
                recommended_on=decided - timedelta(days=10),
                recommendation_reason="Benchmark",
                decision=route if commissioned else "not_commissioned",
                decision_reason="Benchmark",
                decided_on=decided,
            )
            if not commissioned:
                state = "not_commissioned" if kind == "sar" else "no_lcspr"
            else:
                state = "commissioned" if kind == "sar" else "lcspr_commissioned"
                row["report_due_on"] = decided + relativedelta(months=6)
                row.update(
                    terms_of_reference="Benchmark",
                    methodology="learning_together",
                    reviewer="Reviewer",
                    contract_value_pence=rng.randint(400, 1200) * 1000,
                )
                for name, when, extra in (
                    (
                        "in_review",
                        started,
                        {
                            "review_started_on": started,
                            "period_from": received - timedelta(days=700),
                            "period_to": received,
                        },
                    ),
                    ("draft_report", draft, {"draft_received_on": draft, "family_invited": True}),
                    (
                        "signed_off",
                        signed,
                        {
                            "quality_checked_on": signed,
                            "quality_check_passed": True,
                            "quality_check_notes": "Benchmark",
                            "signed_off_on": signed,
                        },
                    ),
                    (
                        "published",
                        published,
                        {
                            "published": True,
                            "publication_decided_on": published,
                            "published_on": published,
                            "family_informed": "yes",
                            "publication_url": "https://partnership.example/report",
                        },
                    ),
                    ("action_monitoring", monitoring, {"monitoring_started_on": monitoring}),
                    ("closed", closed, {"closed_on": closed}),
                ):
                    if when > TODAY:
                        break
                    state = name
                    row.update(extra)
                if paused_days:
                    pause_start = started + timedelta(days=30)
                    if pause_start <= TODAY:
                        pause_end = pause_start + timedelta(days=paused_days)
                        ended = pause_end if pause_end <= TODAY else None
                        if ended is None and state == "in_review":
                            state = "paused"
                        if ended is None:
                            row["paused_since"] = pause_start
                        else:
                            row["paused_days"] = paused_days
                        pauses.append(
                            {
                                "review_id": rid,
                                "started_on": pause_start,
                                "ended_on": ended,
                                "process": "criminal_trial",
                                "reason": "Benchmark trial",
                                "expected_resume_on": pause_end,
                            }
                        )
                if state in ("published", "action_monitoring", "closed"):
                    finished.append(
                        (
                            rid,
                            area,
                            "adults" if kind == "sar" else "children",
                            reference,
                            row["group_id"],
                            published,
                            state,
                        )
                    )
        row["state"] = state
        reviews.append(row)
        named = rng.sample(org_ids, k=4)
        agencies += [{"review_id": rid, "organisation_id": o, "added_on": received} for o in named]
        if state not in ("referred", "notified", "screening"):
            for o in named[:3]:
                sent = received + timedelta(days=14)
                returned = rng.random() < 0.85 or state in ("closed", "published", "action_monitoring")
                requests.append(
                    {
                        "review_id": rid,
                        "organisation_id": o,
                        "request": "Chronology",
                        "sent_on": sent,
                        "due_on": sent + timedelta(days=28),
                        "condition_1": True,
                        "condition_2": True,
                        "condition_3": True,
                        "condition_4": False,
                        "status": "returned" if returned else "sent",
                        "response": "Benchmark" if returned else None,
                        "returned_on": sent + timedelta(days=20) if returned else None,
                        "chase_count": 0,
                        "version": 1,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
    columns = [c.name for c in Review.__table__.columns]
    reviews = [{c: r.get(c) for c in columns} for r in reviews]  # one shape for the bulk insert
    ctx.insert(Review.__table__, reviews, "reviews")
    ctx.insert(ReviewAgency.__table__, agencies, "review agencies")
    ctx.insert(InformationRequest.__table__, requests, "information requests")
    ctx.insert(ReviewPause.__table__, pauses, "review pauses")
    ctx.ids["reviews"] = [r["id"] for r in reviews]

    # Recommendations and the actions that implement them.
    rec_id = 0
    rec_meta = []
    for rid, area, arm, reference, group, published, state in finished:
        for number in range(1, 6):
            rec_id += 1
            recs.append(
                {
                    "id": rec_id,
                    "review_id": rid,
                    "number": number,
                    "text": f"Recommendation {number}",
                    "created_at": now,
                    "updated_at": now,
                }
            )
            rec_meta.append((rec_id, area, arm, reference, group, published, state))
    ctx.insert(ReviewRecommendation.__table__, recs, "review recommendations")
    actions, history = [], []
    first_action = 1_000_000
    for j in range(n_actions if rec_meta else 0):
        rec, area, arm, reference, group, published, state = rec_meta[j % len(rec_meta)]
        due = published + timedelta(days=rng.randint(60, 540))
        roll = rng.random()
        if state == "closed":
            status = "completed" if roll < 0.93 else "not_implemented"
        else:
            status = (
                "completed"
                if (due < TODAY and roll < 0.6)
                else ("not_implemented" if roll > 0.97 else rng.choice(["open", "in_progress"]))
            )
        aid = first_action + j
        actions.append(
            {
                "id": aid,
                "title": f"Benchmark review action {j}",
                "source_type": "review",
                "source_id": rec,
                "source_label": reference,
                "group_id": group,
                "owner_organisation_id": rng.choice(org_ids),
                "due_date": due,
                "status": status,
                "area": area,
                "arm": arm,
                "restricted": True,
                "completed_on": min(due, TODAY) if status == "completed" else None,
                "closure_reason": "Superseded by national guidance" if status == "not_implemented" else None,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
        if status == "not_implemented":
            closed_at = datetime.combine(min(due, TODAY), datetime.min.time(), UTC)
            history.append(
                {
                    "lifecycle": "action",
                    "entity_id": aid,
                    "trigger": "close_not_implemented",
                    "from_state": "in_progress",
                    "to_state": "not_implemented",
                    "actor_label": "bench",
                    "at": closed_at,
                    "comment": "Superseded by national guidance",
                    "data": {},
                }
            )
    ctx.insert(Action.__table__, actions, "review actions")
    ctx.insert(WorkflowHistory.__table__, history, "action history")
    ctx.ids["review_actions"] = [a["id"] for a in actions]
