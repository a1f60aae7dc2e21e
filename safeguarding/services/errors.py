"""Errors services raise; pages turn them into GOV.UK error summaries and the API into
RFC 9457 problem JSON with the matching status."""

from __future__ import annotations


class ServiceError(Exception):
    status = 400
    title = "Bad request"

    def __init__(self, message: str, *, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class NotFound(ServiceError):
    """Also used where a user may not know the thing exists (need-to-know)."""

    status = 404
    title = "Not found"


class Gone(ServiceError):
    """It existed and was removed for good (disposed of under the retention schedule)."""

    status = 410
    title = "Gone"


class Forbidden(ServiceError):
    status = 403
    title = "Forbidden"


class Conflict(ServiceError):
    """Not allowed from the current state, or someone else changed the record."""

    status = 409
    title = "Conflict"


class StaleVersion(Conflict):
    def __init__(self, message: str = "This record was changed by someone else. Reload it and try again.") -> None:
        super().__init__(message)


class ValidationFailed(ServiceError):
    """Input that is well-formed but breaks a rule; `errors` maps field names to
    GOV.UK-style messages, `reasons` lists messages that belong to no field."""

    status = 422
    title = "Unprocessable content"

    def __init__(
        self,
        message: str = "There is a problem",
        *,
        errors: dict[str, str] | None = None,
        reasons: list[str] | None = None,
    ) -> None:
        super().__init__(message, errors=errors)
        self.reasons = reasons or []

    @property
    def messages(self) -> list[str]:
        return [*self.reasons, *self.errors.values()]


class Throttled(ServiceError):
    """Too many attempts: refused until `retry_after` seconds have passed."""

    status = 429
    title = "Too Many Requests"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, int(retry_after))
