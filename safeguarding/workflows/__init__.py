"""Every lifecycle's state machine. Importing this package registers them all."""

from safeguarding.workflows import actions, budget, disputes, meetings, partnership, reviews  # noqa: F401
from safeguarding.workflows.base import Lifecycle, Param, Transition, TransitionContext

__all__ = ["Lifecycle", "Param", "Transition", "TransitionContext"]
