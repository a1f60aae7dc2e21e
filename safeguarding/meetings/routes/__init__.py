"""Pages for meetings: the list and calendar feed, scheduling, a meeting's agenda and
papers, the register with its live quorum panel, apologies and deputies, declarations,
decisions and votes, actions, minutes and chair's actions.

`common` defines the blueprint; each module registers its pages on it when imported, here
in the order the pages had when they were one module (the home page counts last)."""

from safeguarding.meetings.routes.common import bp

# isort: off
from safeguarding.meetings.routes import meetings, agenda, register, declarations, decisions  # noqa: F401
from safeguarding.meetings.routes import minutes, chair_actions, calendar, interests, panels  # noqa: F401


__all__ = ["bp"]
