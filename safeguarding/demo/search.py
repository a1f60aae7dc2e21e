"""The demo's search index: the services index what they write as the story is built;
this last step rebuilds the index once more, so whatever a step wrote in bulk is found
too. Try "self-neglect" as the office: agenda items, a decision, minutes, actions, case
reviews, findings and work plans come up together (a viewer finds the ratified minutes and
the findings' public text only); "safeguarding" finds twelve kinds."""

from __future__ import annotations

from safeguarding.demo import DemoContext, step
from safeguarding.extensions import db
from safeguarding.services import search


@step(99, "search index")
def seed_search(ctx: DemoContext) -> None:
    db.session.flush()
    search.reindex(db.session.connection())
