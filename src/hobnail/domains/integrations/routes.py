"""HTTP routes of the open platform: managing group robots under /api/v1, and the
DingTalk-compatible webhook at /robot/send (the path DingTalk's clients already use)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from hobnail.api.deps import DB, CurrentActor
from hobnail.api.errors import ERROR_RESPONSES
from hobnail.api.uow import UnitOfWorkRoute
from hobnail.domains.integrations import robots, schemas

router = APIRouter(prefix="/api/v1", route_class=UnitOfWorkRoute, responses=ERROR_RESPONSES, tags=["robots"])
dingtalk = APIRouter(route_class=UnitOfWorkRoute, tags=["dingtalk-compatible"])


@router.get("/conversations/{conversation_id}/robots")
async def get_robots(conversation_id: str, actor: CurrentActor, session: DB) -> list[dict[str, Any]]:
    """A group's robots (webhook and secret only for the group's admins)."""
    return await robots.list_robots(session, actor, conversation_id)


@router.post("/conversations/{conversation_id}/robots", status_code=201)
async def post_robot(conversation_id: str, body: schemas.RobotIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Group admins: add a custom robot (at least one of keywords, signing, IP allow-list)."""
    return await robots.create_robot(session, actor, conversation_id, body.model_dump())


@router.delete("/conversations/{conversation_id}/robots/{robot_id}", status_code=204)
async def delete_robot(conversation_id: str, robot_id: str, actor: CurrentActor, session: DB) -> Response:
    await robots.delete_robot(session, actor, conversation_id, robot_id)
    return Response(status_code=204)


@dingtalk.post("/robot/send")
async def robot_send(
    request: Request,
    session: DB,
    access_token: Annotated[str | None, Query(max_length=100)] = None,
    timestamp: Annotated[str | None, Query(max_length=20)] = None,
    sign: Annotated[str | None, Query(max_length=200)] = None,
) -> dict[str, Any]:
    """DingTalk's custom robot webhook: text, markdown, link, actionCard, feedCard (and
    image), with ``at``. Always HTTP 200 with ``{"errcode", "errmsg"}``, as DingTalk answers."""
    body = await request.body()
    client_ip = request.client.host if request.client else ""
    return await robots.receive(
        session, token=access_token, timestamp=timestamp, signature=sign, client_ip=client_ip, body=body
    )
