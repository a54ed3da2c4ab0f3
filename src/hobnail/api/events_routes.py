"""The event stream: one WebSocket per client, and the same events over HTTP for replay."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Query, WebSocket
from pydantic import BaseModel

from hobnail.api.deps import DB, CurrentActor, resolve_principal
from hobnail.api.errors import ERROR_RESPONSES
from hobnail.api.uow import UnitOfWorkRoute
from hobnail.core.errors import BadRequest, HobnailError
from hobnail.db.session import begin_read
from hobnail.domains.accounts import auth
from hobnail.realtime import replay
from hobnail.realtime import topics as realtime_topics

log = logging.getLogger(__name__)

router = APIRouter(prefix="/api/v1", route_class=UnitOfWorkRoute, responses=ERROR_RESPONSES, tags=["events"])
ws_router = APIRouter(prefix="/api/v1")


class InvalidStreamCursor(BadRequest):
    code = "invalid_cursor"
    message = "The event cursor must be a number from an earlier event."


def parse_cursor(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise InvalidStreamCursor()
    return int(raw)


class EventOut(BaseModel):
    cursor: str
    type: str
    org_id: str | None
    occurred_at: str
    data: dict[str, Any]


class EventPage(BaseModel):
    events: list[EventOut]
    cursor: str
    resync: bool


@router.get("/events", response_model=EventPage)
async def get_events(
    actor: CurrentActor,
    session: DB,
    after: Annotated[
        str | None, Query(description="Cursor of the last event you have; omit for the current head")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> dict[str, Any]:
    """Events after a cursor, for clients that poll or catch up over HTTP.

    ``resync: true`` means the cursor is older than the retention window: fetch state afresh.
    """
    cursor = parse_cursor(after)
    head = await replay.head_cursor(session)
    if cursor is None:
        return {"events": [], "cursor": str(head), "resync": False}
    if cursor < await replay.pruned_through(session):
        return {"events": [], "cursor": str(head), "resync": True}
    topics = await realtime_topics.resolve(session, actor.user_id, actor.org_id) or set()
    events = await replay.events_after(session, after=cursor, topics=topics, org_id=actor.org_id, limit=limit)
    last = int(events[-1]["cursor"]) if len(events) == limit else max(head, cursor)
    return {"events": events, "cursor": str(last), "resync": False}


@ws_router.websocket("/events")
async def events_socket(websocket: WebSocket, cursor: str | None = None, token: str | None = None) -> None:
    """WebSocket stream. Authenticate by session cookie (same origin), ``Authorization:
    Bearer`` or ``?token=``. Resume with ``?cursor=`` (the last cursor received)."""
    app = websocket.app
    # Accept first so that browsers, which cannot read a refused handshake's status,
    # see the close code: 4400 bad cursor, 4401 not signed in, 4403 not allowed.
    await websocket.accept()
    try:
        start = parse_cursor(cursor)
        authorization = websocket.headers.get("authorization") or (f"Bearer {token}" if token else None)
        cookie = websocket.cookies.get(auth.SESSION_COOKIE)
        if cookie and not authorization and not _same_origin(websocket):
            await websocket.close(code=4403, reason="cross_origin")
            return
        async with app.state.sessionmaker() as session:
            await begin_read(session)
            principal = await resolve_principal(session, authorization=authorization, cookie=cookie, touch=False)
            if principal is None:
                await websocket.close(code=4401, reason="not_authenticated")
                return
            actor = await auth.actor_for(session, principal)
            await session.commit()
    except HobnailError as error:
        code = {400: 4400, 401: 4401}.get(error.status, 4403)
        await websocket.close(code=code, reason=error.code)
        return
    await app.state.gateway.serve(websocket, user_id=actor.user_id, org_id=actor.org_id, cursor=start)


def _same_origin(websocket: WebSocket) -> bool:
    """Cookie-authenticated sockets must come from our own pages (no cross-site hijacking)."""
    origin = websocket.headers.get("origin")
    return origin is None or origin.split("://", 1)[-1] == websocket.headers.get("host", "")
