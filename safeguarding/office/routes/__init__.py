"""Pages of the meeting office's tools: the agenda pack and cover sheets (`pack`), the
risk register (`risks`), the forward plan (`forward_plan`). `common` defines the blueprint."""

from safeguarding.office.routes.common import bp

# isort: off
from safeguarding.office.routes import forward_plan, pack, risks  # noqa: F401

__all__ = ["bp"]
