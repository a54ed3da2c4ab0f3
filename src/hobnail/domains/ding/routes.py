"""HTTP routes of DING."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from hobnail.api.deps import DB, CurrentActor
from hobnail.api.errors import ERROR_RESPONSES
from hobnail.api.uow import UnitOfWorkRoute
from hobnail.domains.ding import escalation, schemas, service
from hobnail.domains.ding.settings import ding_settings, update_ding_settings

router = APIRouter(prefix="/api/v1", route_class=UnitOfWorkRoute, responses=ERROR_RESPONSES, tags=["ding"])


@router.get("/dings/channels", response_model=dict[str, schemas.ChannelOut])
async def get_channels(actor: CurrentActor) -> dict[str, Any]:
    """Which channels this server can use, and why not when it cannot."""
    return escalation.channels_view()


@router.post("/dings", response_model=schemas.DingOut, status_code=201)
async def post_ding(body: schemas.DingIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Send (or schedule) a DING to people and/or whole departments."""
    fields = body.model_dump()
    if body.policy is not None:
        fields["policy"] = [step.model_dump(exclude_none=True) for step in body.policy]
    return await service.send_ding(session, actor, **fields)


@router.get("/dings/received", response_model=list[schemas.DingOut])
async def get_received(actor: CurrentActor, session: DB) -> list[dict[str, Any]]:
    """DINGs sent to me: unconfirmed first."""
    return await service.list_received(session, actor)


@router.get("/dings/sent", response_model=list[schemas.DingOut])
async def get_sent(actor: CurrentActor, session: DB) -> list[dict[str, Any]]:
    return await service.list_sent(session, actor)


@router.get("/dings/{ding_id}", response_model=schemas.DingOut)
async def get_ding(ding_id: str, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """The sender sees every recipient's timeline; a recipient sees their own state."""
    return await service.get_ding(session, actor, ding_id)


@router.post("/dings/{ding_id}/confirm", response_model=schemas.DingOut)
async def post_confirm(ding_id: str, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """收到 — confirm; clears the alert on all your devices."""
    return await service.confirm(session, actor, ding_id)


@router.post("/dings/{ding_id}/delivered", status_code=204)
async def post_delivered(ding_id: str, actor: CurrentActor, session: DB) -> Response:
    """The client has shown the alert."""
    await service.mark_delivered(session, actor, ding_id)
    return Response(status_code=204)


@router.post("/dings/{ding_id}/replies", response_model=schemas.ReplyOut, status_code=201)
async def post_reply(ding_id: str, body: schemas.ReplyIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    return await service.reply(session, actor, ding_id, body.body)


@router.post("/dings/{ding_id}/remind", response_model=schemas.DingOut)
async def post_remind(ding_id: str, body: schemas.RemindIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Remind those who have not confirmed, on a chosen channel; at most every 5 minutes."""
    return await service.remind(session, actor, ding_id, channel=body.channel, user_ids=body.user_ids)


@router.post("/dings/{ding_id}/recall", status_code=204)
async def post_recall(ding_id: str, actor: CurrentActor, session: DB) -> Response:
    await service.recall(session, actor, ding_id)
    return Response(status_code=204)


@router.get("/ding/settings", response_model=schemas.DingSettingsOut)
async def get_settings(actor: CurrentActor) -> Any:
    return ding_settings(actor.org)


@router.patch("/ding/settings", response_model=schemas.DingSettingsOut)
async def patch_settings(body: schemas.DingSettingsIn, actor: CurrentActor, session: DB) -> Any:
    """Admins: who may DING whom, caps, rate, monthly SMS/voice quotas, critical DINGs, default escalation."""
    changes = body.model_dump()
    if body.default_policy is not None:
        changes["default_policy"] = [step.model_dump(exclude_none=True) for step in body.default_policy]
    return await update_ding_settings(session, actor, changes)


@router.get("/ding/usage")
async def get_usage(actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Admins: this month's SMS and voice use against the quotas."""
    return await service.usage_view(session, actor)
