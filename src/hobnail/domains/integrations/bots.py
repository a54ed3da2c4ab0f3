"""Chat bots: a message that @mentions an app's bot becomes a Stream-mode callback on
DingTalk's chatbot topic, with a ``sessionWebhook`` the bot answers through.

A durable subscriber of ``message.sent`` (filtered in the relay to messages that mention
a bot, so other messages cost nothing) stores one delivery per app and message; the
Stream gateway pushes it to one of the app's connections until it is acknowledged.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from hobnail.core import clock
from hobnail.core.errors import Conflict, NotFound, ValidationFailed
from hobnail.db.session import Session
from hobnail.domains.accounts import service as accounts_service
from hobnail.domains.integrations import dingtalk
from hobnail.domains.integrations.apps import is_bot_id
from hobnail.domains.messaging import messages as messaging_messages
from hobnail.events.subscribers import subscribe
from hobnail.models import App, AppDelivery, Conversation, Membership, SessionWebhook

CHATBOT_TOPIC = "/v1.0/im/bot/messages/get"
SESSION_LIFETIME = timedelta(minutes=90)


def mentions_a_bot(wire: dict[str, Any]) -> bool:
    """The relay's filter: only messages that @mention a bot start a job."""
    message = wire.get("data", {}).get("message") or {}
    return any(is_bot_id(m) for m in message.get("mentions") or [])


def _ms(moment: Any) -> int:
    return int(moment.timestamp() * 1000)


async def on_message_sent(session: Session, event: dict[str, Any]) -> None:
    message = event["data"]["message"]
    bots = [m for m in message.get("mentions") or [] if is_bot_id(m)]
    if not bots or not message.get("sender_id") or is_bot_id(message["sender_id"]):
        return
    apps = list(await session.scalars(sa.select(App).where(App.bot_user_id.in_(bots), App.enabled.is_(True))))
    conversation = await session.get(Conversation, message["conversation_id"])
    if not apps or conversation is None:
        return
    sender = (await accounts_service.users_by_id(session, [message["sender_id"]])).get(message["sender_id"])
    membership = await session.scalar(
        sa.select(Membership).where(
            Membership.org_id == conversation.org_id, Membership.user_id == message["sender_id"]
        )
    )
    now = clock.now()
    for app in apps:
        if await session.scalar(
            sa.select(AppDelivery.id).where(AppDelivery.app_id == app.id, AppDelivery.source_id == message["id"])
        ):
            continue  # a retried job
        token = secrets.token_urlsafe(32)
        session.add(
            SessionWebhook(
                token=token, app_id=app.id, conversation_id=conversation.id, expires_at=now + SESSION_LIFETIME
            )
        )
        text = message.get("body") or ""
        payload = {
            "conversationId": conversation.id, "chatbotCorpId": conversation.org_id, "chatbotUserId": app.bot_user_id,
            "msgId": message["id"], "senderNick": sender.name if sender else "",
            "isAdmin": bool(membership and membership.role in ("owner", "admin")),
            "senderStaffId": message["sender_id"], "senderId": message["sender_id"],
            "senderCorpId": conversation.org_id, "sessionWebhookExpiredTime": _ms(now + SESSION_LIFETIME),
            "createAt": _ms(now), "conversationType": "1" if conversation.kind == "direct" else "2",
            "conversationTitle": conversation.name, "isInAtList": True, "robotCode": app.client_id,
            "msgtype": "text", "text": {"content": text}, "atUsers": [{"dingtalkId": app.bot_user_id}],
            # The gateway turns this into an absolute URL on the host the app connected to.
            "sessionWebhook": f"/robot/sendBySession?session={token}",
        }  # fmt: skip
        session.add(
            AppDelivery(
                app_id=app.id, source_id=message["id"], topic=CHATBOT_TOPIC, payload=payload, next_at=now,
                created_at=now,
            )
        )  # fmt: skip
    await session.flush()


async def reply(session: Session, token: str | None, body: bytes) -> dict[str, Any]:
    """A bot's answer through its session webhook: DingTalk's robot message, posted as the
    bot into the chat it was called from."""
    hook = await session.get(SessionWebhook, token) if token else None
    if hook is None or hook.expires_at <= clock.now():
        return {"errcode": dingtalk.TOKEN_NOT_EXIST, "errmsg": "session webhook is not exist or expired"}
    app = await session.get(App, hook.app_id)
    if app is None or not app.enabled:
        return {"errcode": dingtalk.TOKEN_NOT_EXIST, "errmsg": "app is disabled"}
    try:
        message = dingtalk.parse(body)
    except dingtalk.DingTalkError as error:
        return {"errcode": error.errcode, "errmsg": error.errmsg}
    mentions = list(message.at_user_ids)
    card = {**message.card, "robot": {"id": app.id, "name": app.name, "app": True}}
    try:
        await messaging_messages.post_as_robot(
            session, app.org_id, hook.conversation_id, sender_id=app.bot_user_id, body=message.body, card=card,
            mentions=mentions, mention_all=message.at_all,
        )  # fmt: skip
    except (NotFound, Conflict, ValidationFailed):
        return {"errcode": dingtalk.GROUP_GONE, "errmsg": "the chat is gone"}
    return {"errcode": 0, "errmsg": "ok"}


def register() -> None:
    subscribe("message.sent", "integrations.chatbot", on_message_sent, when=mentions_a_bot)
