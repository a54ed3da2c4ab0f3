"""Idempotency-Key: a retried write returns the first response instead of running again.

The key is scoped to the credential (cookie or bearer token), method and path, so one
client's key can never replay another's response. Only successful responses are kept;
a failed request may be retried with the same key.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hobnail.api.errors import error_response
from hobnail.core import clock
from hobnail.db.session import Session
from hobnail.models import IdempotentResponse

HEADER = b"idempotency-key"
IN_FLIGHT_TIMEOUT = timedelta(minutes=1)
KEEP_FOR = timedelta(hours=24)


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH", "DELETE"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        raw_key = headers.get(HEADER)
        if not raw_key:
            await self.app(scope, receive, send)
            return
        if len(raw_key) > 200:
            await error_response(400, "invalid_idempotency_key", "Idempotency-Key is at most 200 characters.")(
                scope, receive, send
            )
            return
        credential = headers.get(b"authorization", b"") + b"|" + headers.get(b"cookie", b"")
        digest = hashlib.sha256(
            b"\0".join([credential, scope["method"].encode(), scope["path"].encode(), raw_key])
        ).hexdigest()
        sessionmaker = scope["app"].state.sessionmaker

        async with sessionmaker() as session:
            existing = await session.get(IdempotentResponse, digest)
            if existing is not None and existing.status is not None:
                replayed = Response(
                    content=existing.body or b"",
                    status_code=existing.status,
                    media_type=existing.content_type,
                    headers={"Idempotent-Replayed": "true"},
                )
                await replayed(scope, receive, send)
                return
            if existing is not None and clock.now() - existing.created_at < IN_FLIGHT_TIMEOUT:
                await error_response(
                    409,
                    "idempotency_in_progress",
                    "A request with this Idempotency-Key is still running; retry shortly.",
                )(scope, receive, send)
                return
            if existing is not None:
                await session.delete(existing)
                await session.flush()
            session.add(IdempotentResponse(key=digest, created_at=clock.now()))
            try:
                await session.commit()
            except sa.exc.IntegrityError:
                await error_response(
                    409,
                    "idempotency_in_progress",
                    "A request with this Idempotency-Key is still running; retry shortly.",
                )(scope, receive, send)
                return

        status = 500
        content_type: str | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal status, content_type
            if message["type"] == "http.response.start":
                status = message["status"]
                for name, value in message.get("headers", []):
                    if name.lower() == b"content-type":
                        content_type = value.decode("latin-1")
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            async with sessionmaker() as session:
                row = await session.get(IdempotentResponse, digest)
                if row is not None:
                    if status < 400:
                        row.status, row.body, row.content_type = status, b"".join(chunks), content_type
                    else:
                        await session.delete(row)
                    await session.commit()


async def prune_idempotency_keys(session: Session, _payload: dict[str, Any]) -> None:
    """Periodic job: forget keys older than a day."""
    await session.execute(sa.delete(IdempotentResponse).where(IdempotentResponse.created_at < clock.now() - KEEP_FOR))
