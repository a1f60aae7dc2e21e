"""Papers published → each member of the group and each named deputy is emailed once, with
the list of papers and a link; a paper added afterwards is emailed as an addition."""

from __future__ import annotations

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import OutboxMessage
from safeguarding.services import meetings as svc
from tests.reviews.helpers import stored
from tests.support.meetings import business, publish, schedule


def _messages(prefix: str) -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.dedupe_key.like(f"{prefix}%"))))


def test_publishing_the_papers_emails_each_member_and_deputy_once(demo):
    m = schedule(demo)
    item = business(m, title="Self-neglect procedure")
    svc.attach_paper(item, stored(demo.user("office"), "meeting_paper"), title="Draft procedure v3")
    assert _messages(f"papers-published:{m.id}:") == []  # nothing before publication
    assert _messages("paper-added:") == []  # nor for papers added before it
    publish(m, demo)
    messages = _messages(f"papers-published:{m.id}:")
    addresses = [a for msg in messages for a in msg.to_addrs]
    assert len(addresses) == len(set(addresses)) and all(len(msg.to_addrs) == 1 for msg in messages)
    assert {demo.person(k).email for k in ("police_lead", "west_dass", "police_deputy")} <= set(addresses)
    assert demo.person("north_dcs").email not in addresses  # not on the Board
    police = next(msg for msg in messages if msg.to_addrs == [demo.person("police_lead").email])
    assert police.subject == f"Papers published: {m.name}"
    assert "Draft procedure v3" in police.body and f"/meetings/{m.id}" in police.body
    assert "Ch Supt" not in police.subject  # no names in subjects
    # publishing again (or a retried job) sends nothing new
    assert svc.circulate_papers(m) == len(messages)
    assert len(_messages(f"papers-published:{m.id}:")) == len(messages)


def test_a_paper_added_after_publication_is_emailed_as_an_addition(demo):
    m = schedule(demo)
    item = business(m)
    publish(m, demo)
    published = len(_messages(f"papers-published:{m.id}:"))
    paper = svc.attach_paper(item, stored(demo.user("office"), "meeting_paper"), title="Late briefing note")
    added = _messages(f"paper-added:{paper.id}:")
    assert len(added) == published
    note = next(msg for msg in added if msg.to_addrs == [demo.person("police_lead").email])
    assert note.subject == f"Additional paper: {m.name}"
    assert "A paper has been added" in note.body and "Late briefing note" in note.body
    assert len(_messages(f"papers-published:{m.id}:")) == published  # the first email is not sent again
