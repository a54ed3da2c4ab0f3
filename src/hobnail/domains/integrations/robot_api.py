"""DingTalk's enterprise-robot API for apps' bots (``x-acs-dingtalk-access-token``):
template messages to groups (``/v1.0/robot/groupMessages/send``) and to people in 1:1
chats (``/v1.0/robot/oToMessages/batchSend``), and robot DING
(``/v1.0/robot/ding/send``, ``/v1.0/robot/ding/recall``).

Errors use DingTalk's new-API shape (an HTTP status, ``code`` and ``message``).
"""

from __future__ import annotations

import json
from typing import Any

from hobnail.core.errors import HobnailError
from hobnail.db.session import Session
from hobnail.domains.accounts import service as accounts_service
from hobnail.domains.accounts.access import Actor
from hobnail.domains.ding import service as ding_service
from hobnail.domains.integrations import dingtalk
from hobnail.domains.integrations.app_access import app_actor
from hobnail.domains.messaging import conversations as messaging_conversations
from hobnail.domains.messaging import messages as messaging_messages
from hobnail.models import App, Conversation


# DingTalk's enterprise-robot message templates (msgKey → the robot message they stand for).
def from_template(key: str, params: dict[str, Any]) -> dict[str, Any] | None:
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


def templated_message(app: App, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The text and card of a ``msgKey``/``msgParam`` template message from ``app``'s bot."""
    try:
        params = json.loads(body.get("msgParam") or "{}")
    except (TypeError, ValueError):
        raise RobotApiError(400, "invalidParameter.msgParam.invalid", "The msgParam must be in JSON format.") from None
    message = from_template(str(body.get("msgKey") or ""), params if isinstance(params, dict) else {})
    if message is None:
        raise RobotApiError(400, "invalidParameter.msgKey.invalid", "The msgKey is invalid.")
    try:
        parsed = dingtalk.parse(json.dumps(message).encode())
    except dingtalk.DingTalkError as error:
        raise RobotApiError(400, "invalidParameter.msgParam.invalid", error.errmsg) from None
    return parsed.body, {**parsed.card, "robot": {"id": app.id, "name": app.name, "app": True}}


MAX_USERS = 20  # DingTalk's limit per batchSend call
# DingTalk's remindType → Hobnail's DING channel
REMIND_TYPES = {1: "in_app", 2: "sms", 3: "voice"}


def _check_app(app: App | None, body: dict[str, Any], scope: str | None) -> App:
    if app is None:
        raise RobotApiError(401, "InvalidAuthentication", "不合法的access_token")
    if body.get("robotCode") not in (None, app.client_id):
        raise RobotApiError(400, "invalidParameter.robotCode.auth", "The robotCode does not belong to this app.")
    if scope is not None and scope not in app.scopes:
        raise RobotApiError(403, "Forbidden.AccessDenied.AccessTokenPermissionDenied", f"The app lacks {scope}.")
    return app


async def _bot(session: Session, app: App) -> Actor:
    actor = await app_actor(session, app)
    if actor is None:
        raise RobotApiError(401, "InvalidAuthentication", "The app's bot is gone.")
    return actor


def _user_ids(body: dict[str, Any], key: str) -> list[str]:
    ids = body.get(key)
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        raise RobotApiError(400, f"invalidParameter.{key}.empty", f"{key} must be a non-empty list of user ids.")
    if len(ids) > MAX_USERS:
        raise RobotApiError(400, f"invalidParameter.{key}.exceed", f"At most {MAX_USERS} users per call.")
    return list(dict.fromkeys(ids))


async def send_group_message(session: Session, app: App | None, body: dict[str, Any]) -> dict[str, Any]:
    """``/v1.0/robot/groupMessages/send``: an app's bot posts to a group it is in."""
    app = _check_app(app, body, None)
    conversation = await session.get(Conversation, str(body.get("openConversationId") or ""))
    if conversation is None or conversation.org_id != app.org_id:
        raise RobotApiError(400, "invalidParameter.openConversationId.invalid", "No such group.")
    if app.bot_user_id not in await messaging_conversations.member_ids(session, conversation.id):
        raise RobotApiError(400, "invalidParameter.robotCode.notInGroup", "The bot is not in this group.")
    text, card = templated_message(app, body)
    view = await messaging_messages.post_as_robot(
        session, app.org_id, conversation.id, sender_id=app.bot_user_id, body=text, card=card, mentions=[],
        mention_all=False,
    )  # fmt: skip
    return {"processQueryKey": view["id"]}


async def batch_send_to_people(session: Session, app: App | None, body: dict[str, Any]) -> dict[str, Any]:
    """``oToMessages/batchSend``: the bot writes to each person in their 1:1 chat with it.
    Ids that are not active members come back in ``invalidStaffIdList``."""
    app = _check_app(app, body, "messages.send")
    user_ids = _user_ids(body, "userIds")
    text, card = templated_message(app, body)
    actor = await _bot(session, app)
    members = await accounts_service.active_member_ids(session, app.org_id, user_ids)
    sent: list[str] = []
    for user_id in user_ids:
        if user_id not in members:
            continue
        chat = await messaging_conversations.open_direct(session, actor, user_id)
        view = await messaging_messages.post_as_robot(
            session, app.org_id, chat["id"], sender_id=app.bot_user_id, body=text, card=card, mentions=[],
            mention_all=False,
        )  # fmt: skip
        sent.append(view["id"])
    return {
        "processQueryKey": sent[0] if sent else "",
        "invalidStaffIdList": [u for u in user_ids if u not in members],
        "flowControlledStaffIdList": [],
    }


async def send_ding(session: Session, app: App | None, body: dict[str, Any]) -> dict[str, Any]:
    """``robot/ding/send``: a DING from the bot (remindType 1 in-app, 2 SMS, 3 phone call),
    escalating by the organisation's rules. Answers ``openDingId`` and ``failedList``."""
    app = _check_app(app, body, "ding.send")
    user_ids = _user_ids(body, "receiverUserIdList")
    channel = REMIND_TYPES.get(body.get("remindType") or 1)
    if channel is None:
        raise RobotApiError(400, "invalidParameter.remindType.invalid", "remindType is 1, 2 or 3.")
    actor = await _bot(session, app)
    actor.membership.role = "admin"  # the ding.send scope, granted by an admin, reaches everyone
    members = await accounts_service.active_member_ids(session, app.org_id, user_ids)
    failed = {u: "not an active member" for u in user_ids if u not in members}
    if not members:
        raise RobotApiError(400, "invalidParameter.receiverUserIdList.invalid", "No recipient is a member.")
    try:
        ding = await ding_service.send_ding(
            session, actor, body=str(body.get("content") or ""), user_ids=[u for u in user_ids if u in members],
            department_ids=[], channel=channel, policy=None if channel == "in_app" else [], critical=False,
            scheduled_at=None, source_message_id=None,
        )  # fmt: skip
    except HobnailError as error:
        raise RobotApiError(error.status, f"invalidParameter.{error.code}", error.message) from None
    return {"openDingId": ding["id"], "failedList": failed}


async def recall_ding(session: Session, app: App | None, body: dict[str, Any]) -> dict[str, Any]:
    """``robot/ding/recall``: the bot takes back a DING it sent."""
    app = _check_app(app, body, "ding.send")
    actor = await _bot(session, app)
    ding_id = str(body.get("openDingId") or "")
    try:
        await ding_service.recall(session, actor, ding_id)
    except HobnailError as error:
        raise RobotApiError(400, "invalidParameter.openDingId.invalid", error.message) from None
    return {"openDingId": ding_id}
