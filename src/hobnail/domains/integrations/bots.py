"""Chat bots: a message that @mentions an app's bot becomes a Stream-mode callback on
DingTalk's chatbot topic, with a ``sessionWebhook`` the bot answers through.

A durable subscriber of ``message.sent`` (filtered in the relay to messages that mention
a bot, so other messages cost nothing) stores one delivery per app and message; the
Stream gateway pushes it to one of the app's connections until it is acknowledged.
"""

from __future__ import annotations

import json
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
from hobnail.domains.messaging import conversations as messaging_conversations
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


# DingTalk's enterprise-robot message templates (msgKey → the robot message they stand for).
def _from_template(key: str, params: dict[str, Any]) -> dict[str, Any] | None:
    if key == "sampleText":
        return {"msgtype": "text", "text": {"content": params.get("content")}}
    if key == "sampleMarkdown":
        return {"msgtype": "markdown", "markdown": {"title": params.get("title"), "text": params.get("text")}}
    if key == "sampleLink":
        return {"msgtype": "link", "link": {k: params.get(k) for k in ("title", "text", "picUrl", "messageUrl")}}
    if key == "sampleImageMsg":
        return {"msgtype": "image", "image": {"picURL": params.get("photoURL")}}
    if key == "sampleActionCard":
        card = {k: params.get(k) for k in ("title", "text", "singleTitle", "singleURL")}
        return {"msgtype": "actionCard", "actionCard": card}
    if key.startswith("sampleActionCard") and key[len("sampleActionCard") :].isdigit():
        buttons = [
            {"title": params.get(f"actionTitle{i}"), "actionURL": params.get(f"actionURL{i}")}
            for i in range(1, 7)
            if params.get(f"actionTitle{i}")
        ]
        card = {"title": params.get("title"), "text": params.get("text"), "btns": buttons, "btnOrientation": "0"}
        return {"msgtype": "actionCard", "actionCard": card}
    return None


class RobotApiError(Exception):
    """DingTalk's new-API error: an HTTP status, a code and a message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


async def send_group_message(session: Session, app: App | None, body: dict[str, Any]) -> dict[str, Any]:
    """``/v1.0/robot/groupMessages/send``: an app's bot posts to a group it is in."""
    if app is None:
        raise RobotApiError(401, "InvalidAuthentication", "不合法的access_token")
    if body.get("robotCode") not in (None, app.client_id):
        raise RobotApiError(400, "invalidParameter.robotCode.auth", "The robotCode does not belong to this app.")
    conversation = await session.get(Conversation, str(body.get("openConversationId") or ""))
    if conversation is None or conversation.org_id != app.org_id:
        raise RobotApiError(400, "invalidParameter.openConversationId.invalid", "No such group.")
    if app.bot_user_id not in await messaging_conversations.member_ids(session, conversation.id):
        raise RobotApiError(400, "invalidParameter.robotCode.notInGroup", "The bot is not in this group.")
    try:
        params = json.loads(body.get("msgParam") or "{}")
    except (TypeError, ValueError):
        raise RobotApiError(400, "invalidParameter.msgParam.invalid", "The msgParam must be in JSON format.") from None
    message = _from_template(str(body.get("msgKey") or ""), params if isinstance(params, dict) else {})
    if message is None:
        raise RobotApiError(400, "invalidParameter.msgKey.invalid", "The msgKey is invalid.")
    try:
        parsed = dingtalk.parse(json.dumps(message).encode())
    except dingtalk.DingTalkError as error:
        raise RobotApiError(400, "invalidParameter.msgParam.invalid", error.errmsg) from None
    card = {**parsed.card, "robot": {"id": app.id, "name": app.name, "app": True}}
    view = await messaging_messages.post_as_robot(
        session, app.org_id, conversation.id, sender_id=app.bot_user_id, body=parsed.body, card=card, mentions=[],
        mention_all=False,
    )  # fmt: skip
    return {"processQueryKey": view["id"]}
