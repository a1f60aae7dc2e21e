"""Every lifecycle's state machine. Importing this package registers them all."""

from safeguarding.workflows import (  # noqa: F401
    actions,
    annual,
    attendance,
    budget,
    disputes,
    meetings,
    partnership,
    reviews,
    workplans,
)
from safeguarding.workflows.base import Lifecycle, Param, Transition, TransitionContext

__all__ = ["Lifecycle", "Param", "Transition", "TransitionContext"]
