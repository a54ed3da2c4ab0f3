"""One error shape for every failure: {"error": {"code", "message", "details"}}."""

from __future__ import annotations

import logging
from typing import Any

import orjson
import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from hobnail.core.errors import HobnailError

log = logging.getLogger(__name__)


class FastJSONResponse(JSONResponse):
    """JSON rendered with orjson (handles datetimes; faster than the standard library)."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


class ErrorBody(BaseModel):
    code: str
    message: str
    details: dict[str, Any] = {}


class ErrorResponse(BaseModel):
    error: ErrorBody


def error_response(
    status: int, code: str, message: str, details: dict[str, Any] | None = None, headers: dict[str, str] | None = None
) -> FastJSONResponse:
    return FastJSONResponse(
        {"error": {"code": code, "message": message, "details": details or {}}}, status_code=status, headers=headers
    )


_HTTP_CODES = {
    400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 406: "not_acceptable", 409: "conflict", 413: "payload_too_large",
    415: "unsupported_media_type", 422: "validation_failed", 429: "too_many_requests",
}  # fmt: skip


def _clean(errors: list[Any]) -> list[dict[str, Any]]:
    return [
        {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
        for e in errors
    ]


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HobnailError)
    async def _hobnail(_request: Request, error: HobnailError) -> FastJSONResponse:
        return error_response(error.status, error.code, error.message, error.details, error.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, error: RequestValidationError) -> FastJSONResponse:
        problems = _clean(list(error.errors()))
        first = problems[0] if problems else {"loc": [], "msg": ""}
        field = ".".join(p for p in first["loc"] if p not in ("body", "query", "path"))
        message = f"{field}: {first['msg']}" if field else "The request body is not valid JSON of the expected shape."
        return error_response(422, "validation_failed", message, {"errors": problems})

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, error: StarletteHTTPException) -> FastJSONResponse:
        code = _HTTP_CODES.get(error.status_code, "http_error")
        message = error.detail if isinstance(error.detail, str) else code
        return error_response(error.status_code, code, message, headers=getattr(error, "headers", None))

    @app.exception_handler(sa.exc.OperationalError)
    async def _database(_request: Request, error: sa.exc.OperationalError) -> FastJSONResponse:
        # SQLite under a burst of writes: nothing was written (the unit of work rolled back),
        # so the client may simply try again (with its Idempotency-Key or client_msg_id).
        if "locked" in str(error.orig) or "busy" in str(error.orig):
            log.warning("database busy", extra={"error": str(error.orig)})
            return error_response(
                503, "database_busy", "The server is busy; try again in a moment.", headers={"Retry-After": "1"}
            )
        log.exception("database error")
        return error_response(500, "internal_error", "Something went wrong on the server; it has been logged.")

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, error: Exception) -> FastJSONResponse:
        log.exception("unhandled error")
        return error_response(500, "internal_error", "Something went wrong on the server; it has been logged.")


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": description}
    for status, description in {
        400: "Bad request", 401: "Not signed in", 403: "Forbidden", 404: "Not found (or not yours)",
        409: "Conflict", 422: "Invalid input", 429: "Rate limited (see Retry-After)",
    }.items()
}  # fmt: skip
