"""Custom group robots: a group's owner or admins (or the organisation's admins) add a
robot and get a DingTalk-style webhook URL; anything that can post to DingTalk's
``/robot/send`` posts into the group by changing the base URL.

Security as DingTalk has it — at least one of: keywords (a message must contain one),
signing (``timestamp`` + ``sign``), an IP allow-list — and its limit of 20 messages a
minute per robot (then 10 minutes' pause). Each robot posts as its own bot user, which
is in no department and no chat, so the directory and read receipts never count it.
"""

from __future__ import annotations

import ipaddress
import secrets
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from hobnail.core import clock
from hobnail.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from hobnail.db.session import Session
from hobnail.domains.accounts import service as accounts_service
from hobnail.domains.accounts.access import Actor
from hobnail.domains.integrations import dingtalk
from hobnail.domains.messaging import messages as messaging_messages
from hobnail.domains.messaging.access import access_conversation, require_group_admin
from hobnail.models import GroupRobot, Message, User

RATE_LIMIT, RATE_WINDOW, PAUSE = 20, timedelta(minutes=1), timedelta(minutes=10)
MAX_ROBOTS_PER_GROUP = 10


class RobotNotFound(NotFound):
    code = "robot_not_found"
    message = "No such robot."


class InvalidRobot(ValidationFailed):
    code = "invalid_robot"


def robot_view(robot: GroupRobot) -> dict[str, Any]:
    return {
        "id": robot.id, "conversation_id": robot.conversation_id, "name": robot.name, "bot_user_id": robot.bot_user_id,
        "webhook_path": f"/robot/send?access_token={robot.token}", "secret": robot.secret, "keywords": robot.keywords,
        "ip_allow": robot.ip_allow, "created_by": robot.created_by, "created_at": clock.isoformat(robot.created_at),
    }  # fmt: skip


def _check_security(changes: dict[str, Any]) -> tuple[list[str], list[str], bool]:
    keywords = [k.strip() for k in changes.get("keywords") or [] if isinstance(k, str) and k.strip()]
    if len(keywords) > 10 or any(len(k) > 20 for k in keywords):
        raise InvalidRobot("At most 10 keywords of up to 20 characters.", details={"field": "keywords"})
    networks = []
    for value in changes.get("ip_allow") or []:
        try:
            networks.append(str(ipaddress.ip_network(str(value).strip(), strict=False)))
        except ValueError:
            raise InvalidRobot(f"Not an IP address or range: {value}", details={"field": "ip_allow"}) from None
    if len(networks) > 10:
        raise InvalidRobot("At most 10 addresses or ranges.", details={"field": "ip_allow"})
    signed = bool(changes.get("sign"))
    if not (keywords or networks or signed):
        raise InvalidRobot(
            "Choose at least one safeguard: keywords, signing, or an IP allow-list.", code="robot_security_required"
        )
    return keywords, networks, signed


async def _group(session: Session, actor: Actor, conversation_id: str) -> Any:
    conversation, member = await access_conversation(session, actor, conversation_id)
    if conversation.kind == "direct":
        raise InvalidRobot("Robots live in group chats.", code="robot_needs_group")
    require_group_admin(actor, conversation, member)
    return conversation


async def create_robot(session: Session, actor: Actor, conversation_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    """A robot in a group the actor administers; the secret is shown to group admins."""
    conversation = await _group(session, actor, conversation_id)
    keywords, networks, signed = _check_security(changes)
    count = await session.scalar(sa.select(sa.func.count()).where(GroupRobot.conversation_id == conversation.id))
    if (count or 0) >= MAX_ROBOTS_PER_GROUP:
        raise InvalidRobot(f"At most {MAX_ROBOTS_PER_GROUP} robots in a group.", code="too_many_robots")
    name = changes["name"].strip()
    bot = User(name=name, kind="bot", created_at=clock.now())
    accounts_service.set_user_name(bot, name)
    session.add(bot)
    await session.flush()
    robot = GroupRobot(
        org_id=actor.org_id, conversation_id=conversation.id, bot_user_id=bot.id, name=name,
        token=secrets.token_hex(32), secret=("SEC" + secrets.token_hex(32)) if signed else None,
        keywords=keywords, ip_allow=networks, created_by=actor.user_id, created_at=clock.now(),
    )  # fmt: skip
    session.add(robot)
    await session.flush()
    return robot_view(robot)


async def list_robots(session: Session, actor: Actor, conversation_id: str) -> list[dict[str, Any]]:
    """Members see the robots; only group admins see their webhook and secret."""
    conversation, member = await access_conversation(session, actor, conversation_id)
    rows = await session.scalars(
        sa.select(GroupRobot).where(GroupRobot.conversation_id == conversation.id).order_by(GroupRobot.created_at)
    )
    views = [robot_view(r) for r in rows]
    try:
        require_group_admin(actor, conversation, member)
    except Forbidden:
        for view in views:
            view["webhook_path"] = view["secret"] = None
    return views


async def delete_robot(session: Session, actor: Actor, conversation_id: str, robot_id: str) -> None:
    conversation = await _group(session, actor, conversation_id)
    robot = await session.scalar(
        sa.select(GroupRobot).where(GroupRobot.id == robot_id, GroupRobot.conversation_id == conversation.id)
    )
    if robot is None:
        raise RobotNotFound()
    await session.delete(robot)
    await session.flush()


async def receive(
    session: Session, *, token: str | None, timestamp: str | None, signature: str | None, client_ip: str, body: bytes
) -> dict[str, Any]:
    """A DingTalk-style robot request. Returns DingTalk's answer (``errcode`` 0 when posted)."""
    try:
        await _receive(session, token, timestamp, signature, client_ip, body)
    except dingtalk.DingTalkError as error:
        return {"errcode": error.errcode, "errmsg": error.errmsg}
    return {"errcode": 0, "errmsg": "ok"}


async def _receive(
    session: Session, token: str | None, timestamp: str | None, signature: str | None, client_ip: str, body: bytes
) -> None:
    robot = await session.scalar(sa.select(GroupRobot).where(GroupRobot.token == token)) if token else None
    if robot is None:
        raise dingtalk.DingTalkError(dingtalk.TOKEN_NOT_EXIST, "token is not exist")
    now = clock.now()
    if robot.secret:
        dingtalk.check_signature(robot.secret, timestamp, signature, int(now.timestamp() * 1000))
    if robot.ip_allow and not _allowed(client_ip, robot.ip_allow):
        raise dingtalk.DingTalkError(dingtalk.SECURITY_FAILED, f"ip {client_ip} not in whitelist")
    message = dingtalk.parse(body)
    if robot.keywords and not any(k in message.body or k in str(message.card) for k in robot.keywords):
        raise dingtalk.DingTalkError(dingtalk.SECURITY_FAILED, "keywords not in content")
    if robot.throttled_until is not None and now < robot.throttled_until:
        raise dingtalk.DingTalkError(dingtalk.TOO_FAST, "send too fast, exceed 20 times per minute")
    recent = await session.scalar(
        sa.select(sa.func.count())
        .select_from(Message)
        .where(Message.sender_id == robot.bot_user_id, Message.created_at > now - RATE_WINDOW)
    )
    if (recent or 0) >= RATE_LIMIT:
        robot.throttled_until = now + PAUSE
        await session.flush()
        raise dingtalk.DingTalkError(dingtalk.TOO_FAST, "send too fast, exceed 20 times per minute")
    mentions = [u for u in message.at_user_ids]
    for mobile in message.at_mobiles:
        user = await accounts_service.member_by_phone(session, robot.org_id, mobile)
        if user is not None:
            mentions.append(user.id)
    card = {**message.card, "robot": {"id": robot.id, "name": robot.name}}
    try:
        await messaging_messages.post_as_robot(
            session, robot.org_id, robot.conversation_id, sender_id=robot.bot_user_id, body=message.body, card=card,
            mentions=mentions, mention_all=message.at_all,
        )  # fmt: skip
    except NotFound:
        raise dingtalk.DingTalkError(dingtalk.GROUP_GONE, "group not found") from None
    except Conflict:  # dissolved
        raise dingtalk.DingTalkError(dingtalk.GROUP_GONE, "群已被解散 the group was dissolved") from None


def _allowed(client_ip: str, networks: list[str]) -> bool:
    try:
        address = ipaddress.ip_address(client_ip)
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(n) for n in networks)
