"""Meetings at scale: every group meets about six times a year from April of the first
financial year to the end of the current one (about 2,500 meetings; those after today
are still scheduled), with standing agenda items and a business item, a register row for
every seat on the meeting date, decisions with votes, declarations, actions raised,
minutes (ratified at the next meeting), chair's actions and workflow history."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import (
    Action,
    AgendaItem,
    Attendance,
    ChairAction,
    ChairActionConsultation,
    Decision,
    DecisionVote,
    Declaration,
    Group,
    Meeting,
    MeetingAction,
    Membership,
    Minutes,
    MinutesSection,
    MouSignature,
    Paper,
    StoredFile,
    WorkflowHistory,
)
from safeguarding.models.base import utcnow
from safeguarding.services.meetings import papers_due_date, series_dates

ORDER = 30
STANDING = ["apologies", "declarations", "previous_minutes", "action_log"]


def _ts(d: date, hour: int = 12) -> datetime:
    return datetime.combine(d, time(hour)).astimezone()


def generate(ctx) -> None:
    from bench.generate import FIRST_YEAR, YEARS

    rng = ctx.rng
    now = utcnow()
    on = today()
    groups = db.session.execute(sa.select(Group.id, Group.kind).order_by(Group.id)).all()
    subgroups = [g.id for g in groups if g.kind == "subgroup"]
    memberships = db.session.execute(
        sa.select(
            Membership.id,
            Membership.group_id,
            Membership.person_id,
            Membership.organisation_id,
            Membership.deputy_person_id,
            Membership.start_date,
            Membership.end_date,
        )
    ).all()
    by_group: dict[int, list] = {}
    for m in memberships:
        by_group.setdefault(m.group_id, []).append(m)
    signed = set(db.session.scalars(sa.select(MouSignature.person_id)))
    office_user = 1

    meetings, items, attendance, decisions, votes, declarations = [], [], [], [], [], []
    minutes, sections, history, papers, files, links, actions = [], [], [], [], [], [], []
    next_action = (db.session.scalar(sa.select(sa.func.max(Action.id))) or 0) + 1
    ids = {
        "meeting": 0,
        "item": 0,
        "attendance": 0,
        "decision": 0,
        "vote": 0,
        "declaration": 0,
        "minutes": 0,
        "section": 0,
        "history": 0,
        "paper": 0,
    }

    def nid(kind: str) -> int:
        ids[kind] += 1
        return ids[kind]

    last_year = FIRST_YEAR + YEARS  # up to the end of the current financial year
    for group in groups:
        seats = by_group.get(group.id, [])
        first = date(FIRST_YEAR, 4, 1) + timedelta(days=rng.randint(7, 27))
        count = (last_year - FIRST_YEAR + 1) * 6
        previous_minutes = None
        for k, day in enumerate(series_dates(first, count, 2)):
            if day > date(last_year + 1, 3, 31):
                break
            held = day < on
            roll = rng.random()
            state = (
                "scheduled" if not held else "cancelled" if roll < 0.01 else "inquorate" if roll < 0.03 else "closed"
            )
            mid = nid("meeting")
            meetings.append(
                {
                    "id": mid,
                    "group_id": group.id,
                    "kind": "ordinary",
                    "meeting_date": day,
                    "starts_at": time(10),
                    "ends_at": time(12),
                    "location": "Committee Room 2",
                    "papers_due_on": papers_due_date(day),
                    "papers_published_on": papers_due_date(day) if held else None,
                    "state": state,
                    "created_by_id": office_user,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            titles = [
                ("Apologies", "apologies"),
                ("Declarations of interest", "declarations"),
                ("Minutes of the previous meeting", "previous_minutes"),
                ("Action log", "action_log"),
            ]
            if group.kind == "board":
                titles.append(("Chair's actions taken since the last meeting (for ratification)", "chair_actions"))
                titles += [(f"Report from sub-group {g}", "subgroup_report") for g in subgroups]
            titles.append((f"Item {k + 1} for decision", "business"))
            meeting_items = []
            for position, (title, kind) in enumerate(titles, start=1):
                iid = nid("item")
                meeting_items.append(iid)
                items.append(
                    {
                        "id": iid,
                        "meeting_id": mid,
                        "position": position,
                        "title": title,
                        "kind": kind,
                        "group_id": None,
                        "withdrawn": False,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
            business = meeting_items[-1]
            fid = nid("paper")
            files.append(
                {
                    "id": fid,
                    "purpose": "meeting_paper",
                    "original_name": "paper.pdf",
                    "content_type": "application/pdf",
                    "size": 2048,
                    "sha256": "0" * 64,
                    "storage_key": f"bench/{fid}.pdf",
                    "uploaded_at": now,
                }
            )
            papers.append(
                {
                    "id": fid,
                    "meeting_id": mid,
                    "agenda_item_id": business,
                    "stored_file_id": fid,
                    "title": f"Paper for item {k + 1}",
                    "added_at": now,
                }
            )
            for trigger, source, dest in (
                ("publish_papers", "scheduled", "papers_published"),
                ("open", "papers_published", "in_session"),
                ("close", "in_session", state),
            ):
                if not held or state == "cancelled":
                    break
                if state == "inquorate" and trigger == "close":
                    trigger, source = "record_inquorate", "in_session"
                history.append(
                    {
                        "id": nid("history"),
                        "lifecycle": "meeting",
                        "entity_id": mid,
                        "trigger": trigger,
                        "from_state": source,
                        "to_state": dest,
                        "actor_label": "office@bench.example",
                        "at": _ts(day),
                        "data": {},
                    }
                )
            if not held or state == "cancelled":
                continue
            current = [m for m in seats if m.start_date <= day and (m.end_date is None or m.end_date >= day)]
            voters = {}
            for m in current:
                r = rng.random()
                status = (
                    "deputy_present"
                    if r < 0.08 and m.deputy_person_id
                    else "apologies"
                    if r < 0.16
                    else "absent"
                    if r < 0.2
                    else "present"
                )
                attendance.append(
                    {
                        "id": nid("attendance"),
                        "meeting_id": mid,
                        "membership_id": m.id,
                        "status": status,
                        "deputy_person_id": m.deputy_person_id if status == "deputy_present" else None,
                        "recorded_by_id": office_user,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                voter = m.person_id if status == "present" else m.deputy_person_id
                if status in ("present", "deputy_present") and voter in signed and m.organisation_id:
                    voters.setdefault(m.organisation_id, voter)
            if state == "inquorate":
                continue
            did = nid("decision")
            ballot = list(voters.items())
            choices = [rng.choice(["for", "for", "for", "against", "abstain"]) for _ in ballot]
            n_for, n_against = choices.count("for"), choices.count("against")
            # the constitution: carried when for > E / 2; on equal for and against the chair's
            # casting vote (given "for" here) decides only when for + 1 > E / 2
            tie = n_for == n_against and 2 * (n_for + 1) > len(ballot)
            decisions.append(
                {
                    "id": did,
                    "meeting_id": mid,
                    "agenda_item_id": business,
                    "method": "vote" if ballot else "consensus",
                    "outcome": ("carried" if (2 * n_for > len(ballot) or tie) else "not_carried")
                    if ballot
                    else "agreed",
                    "text": "The recommendations were agreed.",
                    "quorate": True,
                    "interim": False,
                    "votes_for": n_for,
                    "votes_against": n_against,
                    "abstentions": choices.count("abstain"),
                    "casting_vote": "for" if ballot and tie else None,
                    "recorded_by_id": office_user,
                    "recorded_at": _ts(day),
                }
            )
            for (org_id, person_id), choice in zip(ballot, choices, strict=True):
                votes.append(
                    {
                        "id": nid("vote"),
                        "decision_id": did,
                        "organisation_id": org_id,
                        "voter_person_id": person_id,
                        "vote": choice,
                    }
                )
            if current and rng.random() < 0.2:
                person = rng.choice(current).person_id
                declarations.append(
                    {
                        "id": nid("declaration"),
                        "meeting_id": mid,
                        "agenda_item_id": business,
                        "person_id": person,
                        "nature": "A family member works for a provider",
                        "declared_at": _ts(day - timedelta(days=3)),
                        "recorded_by_id": office_user,
                    }
                )
            if current and rng.random() < 0.5:
                owner = rng.choice(current)
                if owner.organisation_id:
                    actions.append(
                        {
                            "id": next_action,
                            "title": f"Action from meeting {mid}",
                            "source_type": "meeting",
                            "source_id": mid,
                            "source_label": f"Meeting {mid}",
                            "group_id": group.id,
                            "owner_organisation_id": owner.organisation_id,
                            "due_date": day + timedelta(days=60),
                            "status": "completed" if day + timedelta(days=90) < on else "open",
                            "area": "both",
                            "arm": "both",
                            "restricted": False,
                            "version": 1,
                            "created_at": now,
                            "updated_at": now,
                        }
                    )
                    links.append({"meeting_id": mid, "agenda_item_id": business, "action_id": next_action})
                    next_action += 1
            mins_id = nid("minutes")
            recent = day > on - timedelta(days=60)
            minutes.append(
                {
                    "id": mins_id,
                    "meeting_id": mid,
                    "state": "approved" if recent else "ratified",
                    "drafted_by_id": office_user,
                    "submitted_on": day + timedelta(days=7),
                    "approved_on": day + timedelta(days=14),
                    "approved_by_id": 2,
                    "ratified_on": None,
                    "ratified_at_meeting_id": None,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            if previous_minutes is not None and previous_minutes["state"] == "ratified":
                previous_minutes["ratified_on"] = day
                previous_minutes["ratified_at_meeting_id"] = mid
            previous_minutes = minutes[-1]
            for iid in meeting_items:
                sections.append(
                    {
                        "id": nid("section"),
                        "minutes_id": mins_id,
                        "agenda_item_id": iid,
                        "text": "Members discussed the item and noted the report.",
                    }
                )
        if previous_minutes is not None and previous_minutes["ratified_on"] is None:
            previous_minutes["state"] = "approved"

    ctx.insert(Meeting.__table__, meetings, "meetings")
    ctx.insert(AgendaItem.__table__, items, "agenda items")
    ctx.insert(StoredFile.__table__, files, "meeting papers (files)")
    ctx.insert(Paper.__table__, papers, "meeting papers")
    ctx.insert(Attendance.__table__, attendance, "attendance")
    ctx.insert(Decision.__table__, decisions, "decisions")
    ctx.insert(DecisionVote.__table__, votes, "votes")
    ctx.insert(Declaration.__table__, declarations, "declarations")
    ctx.insert(Action.__table__, actions, "actions from meetings")
    ctx.insert(MeetingAction.__table__, links, "meeting actions")
    ctx.insert(Minutes.__table__, minutes, "minutes")
    ctx.insert(MinutesSection.__table__, sections, "minutes sections")
    ctx.insert(WorkflowHistory.__table__, history, "meeting history")

    chair_actions, consultations = [], []
    statutory = ctx.ids["organisations"][:3]
    for i, year in enumerate(range(FIRST_YEAR, last_year + 1)):
        decided = date(year, 9, 1)
        if decided >= on:
            break
        chair_actions.append(
            {
                "id": i + 1,
                "group_id": 1,
                "title": f"Urgent decision {year}",
                "decision": "Agreed",
                "urgency": "Could not wait",
                "decided_on": decided,
                "decided_by_person_id": 1,
                "status": "ratified",
                "ratified_on": decided + timedelta(days=50),
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
        consultations += [
            {"chair_action_id": i + 1, "organisation_id": org, "consulted_on": decided, "view": "Agrees"}
            for org in statutory
        ]
    ctx.insert(ChairAction.__table__, chair_actions, "chair's actions")
    ctx.insert(ChairActionConsultation.__table__, consultations, "consultations")
    ctx.ids["meetings"] = [m["id"] for m in meetings]
    ctx.ids["attendance"] = [a["id"] for a in attendance]
