"""Errors that carry their own HTTP status and machine-readable code.

Everything below ``routes.py`` raises these; the API turns them into
``{"error": {"code", "message", "details"}}``.
"""

from __future__ import annotations

from typing import Any


class HobnailError(Exception):
    status: int = 400
    code: str = "bad_request"
    message: str = "The request could not be processed."

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.message = message or self.message
        if code:
            self.code = code
        self.details = details or {}
        self.headers = headers or {}
        super().__init__(self.message)


class BadRequest(HobnailError):
    status = 400
    code = "bad_request"


class ValidationFailed(HobnailError):
    status = 422
    code = "validation_failed"
    message = "Some fields are not valid."


class NotAuthenticated(HobnailError):
    status = 401
    code = "not_authenticated"
    message = "Sign in first."


class Forbidden(HobnailError):
    status = 403
    code = "forbidden"
    message = "You may not do that."


class NotFound(HobnailError):
    """Also used for rows the actor may not see, so ids cannot be probed."""

    status = 404
    code = "not_found"
    message = "Not found."


class Conflict(HobnailError):
    status = 409
    code = "conflict"
    message = "That conflicts with the current state."


class PayloadTooLarge(HobnailError):
    status = 413
    code = "payload_too_large"
    message = "The upload is too large."


class TooManyRequests(HobnailError):
    status = 429
    code = "too_many_requests"
    message = "Too many requests; try again later."

    def __init__(self, message: str | None = None, *, retry_after: int, **kwargs: Any) -> None:
        headers = dict(kwargs.pop("headers", None) or {})
        headers["Retry-After"] = str(max(1, retry_after))
        details = dict(kwargs.pop("details", None) or {})
        details.setdefault("retry_after", max(1, retry_after))
        super().__init__(message, headers=headers, details=details, **kwargs)


class ServiceUnavailable(HobnailError):
    """A backing service (storage, a provider) failed; the client may retry."""

    status = 503
    code = "service_unavailable"
    message = "A backing service is unavailable; try again shortly."

    def __init__(self, message: str | None = None, **kwargs: Any) -> None:
        headers = dict(kwargs.pop("headers", None) or {})
        headers.setdefault("Retry-After", "5")
        super().__init__(message, headers=headers, **kwargs)
