"""HTTP routes of messaging."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, UploadFile

from hobnail.api.deps import DB, AppSettings, CurrentActor
from hobnail.api.errors import ERROR_RESPONSES
from hobnail.api.uow import UnitOfWorkRoute
from hobnail.domains.messaging import attachments, conversations, messages, schemas
from hobnail.domains.messaging.settings import messaging_settings, update_messaging_settings

MAX_SEQ = 2**62

router = APIRouter(prefix="/api/v1", route_class=UnitOfWorkRoute, responses=ERROR_RESPONSES, tags=["messaging"])


@router.get("/messaging/settings", response_model=schemas.MessagingSettingsOut)
async def get_settings(actor: CurrentActor) -> Any:
    return messaging_settings(actor.org)


@router.patch("/messaging/settings", response_model=schemas.MessagingSettingsOut)
async def patch_settings(body: schemas.MessagingSettingsIn, actor: CurrentActor, session: DB) -> Any:
    """Admins: read receipts on/off, edit window, group size limit, message length limit."""
    return await update_messaging_settings(session, actor, body.model_dump())


@router.get("/conversations", response_model=schemas.ConversationList)
async def get_conversations(actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Every chat of the signed-in member, most recent first, with unread and @mention counts."""
    return await conversations.list_conversations(session, actor)


@router.post("/conversations/direct", response_model=schemas.ConversationOut)
async def post_direct(body: schemas.DirectIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Open (or create) the 1:1 chat with someone."""
    return await conversations.open_direct(session, actor, body.user_id)


@router.post("/conversations/groups", response_model=schemas.ConversationOut, status_code=201)
async def post_group(body: schemas.GroupIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    return await conversations.create_group(session, actor, name=body.name, member_ids=body.member_ids)


@router.get("/conversations/{conversation_id}", response_model=schemas.ConversationOut)
async def get_conversation(conversation_id: str, actor: CurrentActor, session: DB) -> dict[str, Any]:
    return await conversations.get_conversation(session, actor, conversation_id)


@router.patch("/conversations/{conversation_id}", response_model=schemas.ConversationOut)
async def patch_conversation(
    conversation_id: str, body: schemas.GroupUpdateIn, actor: CurrentActor, session: DB
) -> dict[str, Any]:
    """Group owner/admins: name, announcement, who may add members or @all, mute all but admins."""
    return await conversations.update_group(session, actor, conversation_id, body.model_dump())


@router.delete("/conversations/{conversation_id}", status_code=204)
async def delete_conversation(conversation_id: str, actor: CurrentActor, session: DB) -> Response:
    """Dissolve a group (owner). It stays readable; nobody can send."""
    await conversations.dissolve(session, actor, conversation_id)
    return Response(status_code=204)


@router.put("/conversations/{conversation_id}/avatar", response_model=schemas.ConversationOut)
async def put_avatar(
    request: Request, conversation_id: str, file: UploadFile, actor: CurrentActor, session: DB, settings: AppSettings
) -> dict[str, Any]:
    """The group's picture (multipart ``file``; PNG, JPEG, GIF or WebP). Group owner/admins."""
    data = await file.read(settings.avatar_max_bytes + 1)
    return await conversations.set_group_avatar(
        session, actor, conversation_id, data=data, storage=request.app.state.storage,
        max_bytes=settings.avatar_max_bytes,
    )  # fmt: skip


@router.get("/conversations/{conversation_id}/members", response_model=list[schemas.MemberOut])
async def get_members(
    conversation_id: str,
    actor: CurrentActor,
    session: DB,
    q: Annotated[str | None, Query(max_length=100, description="Name, pinyin or initials")] = None,
    limit: Annotated[int | None, Query(ge=1, le=10_000)] = None,
) -> list[dict[str, Any]]:
    """Members, owner and admins first; ``q`` filters (the @mention picker)."""
    return await conversations.list_members(session, actor, conversation_id, query=q, limit=limit)


@router.post("/conversations/{conversation_id}/members", response_model=schemas.ConversationOut)
async def post_members(
    conversation_id: str, body: schemas.MembersIn, actor: CurrentActor, session: DB
) -> dict[str, Any]:
    return await conversations.add_members(session, actor, conversation_id, body.user_ids)


@router.delete("/conversations/{conversation_id}/members/{user_id}", status_code=204)
async def delete_member(conversation_id: str, user_id: str, actor: CurrentActor, session: DB) -> Response:
    """Remove someone (group admins), or yourself (leave)."""
    await conversations.remove_member(session, actor, conversation_id, user_id)
    return Response(status_code=204)


@router.put("/conversations/{conversation_id}/members/{user_id}/role", status_code=204)
async def put_role(
    conversation_id: str, user_id: str, body: schemas.RoleIn, actor: CurrentActor, session: DB
) -> Response:
    await conversations.set_role(session, actor, conversation_id, user_id, body.role)
    return Response(status_code=204)


@router.post("/conversations/{conversation_id}/transfer", response_model=schemas.ConversationOut)
async def post_transfer(
    conversation_id: str, body: schemas.TransferIn, actor: CurrentActor, session: DB
) -> dict[str, Any]:
    return await conversations.transfer_ownership(session, actor, conversation_id, body.user_id)


@router.put("/conversations/{conversation_id}/mute", response_model=schemas.ConversationOut)
async def put_mute(conversation_id: str, body: schemas.MuteIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    return await conversations.set_muted(session, actor, conversation_id, body.muted)


@router.post("/conversations/{conversation_id}/read")
async def post_read(conversation_id: str, body: schemas.ReadIn, actor: CurrentActor, session: DB) -> dict[str, int]:
    """The client has shown the messages up to ``seq``; returns what is left unread."""
    return await messages.mark_read(session, actor, conversation_id, body.seq)


@router.post("/conversations/{conversation_id}/typing", status_code=204)
async def post_typing(conversation_id: str, actor: CurrentActor, session: DB) -> Response:
    await messages.typing(session, actor, conversation_id)
    return Response(status_code=204)


@router.get("/conversations/{conversation_id}/messages", response_model=schemas.HistoryOut)
async def get_messages(
    conversation_id: str,
    actor: CurrentActor,
    session: DB,
    before: Annotated[int | None, Query(ge=1, le=MAX_SEQ, description="Messages with a smaller seq")] = None,
    after: Annotated[int | None, Query(ge=0, le=MAX_SEQ, description="Messages with a larger seq")] = None,
    around: Annotated[str | None, Query(max_length=40, description="A message id to centre on")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> dict[str, Any]:
    return await messages.history(
        session, actor, conversation_id, before=before, after=after, around=around, limit=limit
    )


@router.post("/conversations/{conversation_id}/messages", response_model=schemas.MessageOut, status_code=201)
async def post_message(
    conversation_id: str, body: schemas.SendIn, actor: CurrentActor, session: DB, response: Response
) -> dict[str, Any]:
    """Send a message. Retrying with the same ``client_msg_id`` returns the first one (200)."""
    message, created = await messages.send_message(session, actor, conversation_id, **body.model_dump())
    if not created:
        response.status_code = 200
    return message


@router.get("/conversations/{conversation_id}/files", response_model=schemas.ConversationFilesOut)
async def get_conversation_files(
    conversation_id: str,
    actor: CurrentActor,
    session: DB,
    q: Annotated[str | None, Query(max_length=100, description="Part of the file name")] = None,
    before: Annotated[int | None, Query(ge=1, le=MAX_SEQ, description="next_before of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> dict[str, Any]:
    """The chat's Files view: every file shared there (not recalled), newest first."""
    return await attachments.conversation_files(session, actor, conversation_id, q=q, before=before, limit=limit)


@router.get("/conversations/{conversation_id}/pins", response_model=list[schemas.MessageOut])
async def get_pins(conversation_id: str, actor: CurrentActor, session: DB) -> list[dict[str, Any]]:
    return await messages.pinned_messages(session, actor, conversation_id)


@router.patch("/messages/{message_id}", response_model=schemas.MessageOut)
async def patch_message(message_id: str, body: schemas.EditIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    return await messages.edit_message(session, actor, message_id, body=body.body, mentions=body.mentions)


@router.post("/messages/{message_id}/recall", response_model=schemas.MessageOut)
async def post_recall(message_id: str, actor: CurrentActor, session: DB) -> dict[str, Any]:
    return await messages.recall_message(session, actor, message_id)


@router.put("/messages/{message_id}/pin", response_model=schemas.MessageOut)
async def put_pin(message_id: str, actor: CurrentActor, session: DB) -> dict[str, Any]:
    return await messages.set_pinned(session, actor, message_id, True)


@router.delete("/messages/{message_id}/pin", response_model=schemas.MessageOut)
async def delete_pin(message_id: str, actor: CurrentActor, session: DB) -> dict[str, Any]:
    return await messages.set_pinned(session, actor, message_id, False)


@router.post("/messages/{message_id}/forward", response_model=list[schemas.MessageOut], status_code=201)
async def post_forward(
    message_id: str, body: schemas.ForwardIn, actor: CurrentActor, session: DB
) -> list[dict[str, Any]]:
    return await messages.forward_message(session, actor, message_id, body.conversation_ids)


@router.get("/messages/{message_id}/receipts", response_model=schemas.ReceiptListOut)
async def get_receipts(message_id: str, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Who has read your message and who has not (only for the sender)."""
    return await messages.receipt_lists(session, actor, message_id)


@router.get("/messages/search", response_model=schemas.SearchOut)
async def get_search(
    actor: CurrentActor,
    session: DB,
    q: Annotated[str, Query(min_length=1, max_length=200)],
    conversation_id: str | None = None,
    sender_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    """Search the messages you can see by words, in Chinese or English."""
    return await messages.search_messages(
        session, actor, query=q, conversation_id=conversation_id, sender_id=sender_id,
        since=since, until=until, cursor=cursor, limit=limit,
    )  # fmt: skip
