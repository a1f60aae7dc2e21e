"""Information governance: subject access requests (`access`), the retention schedule and
holds (`schedule`). See domain.md, "Information governance"."""

from safeguarding.services.records import access, disposal, schedule, sources

__all__ = ["access", "disposal", "schedule", "sources"]
