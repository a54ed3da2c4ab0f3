"""Sending, confirming, reminding and recalling DINGs; the lists and the sender's view."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from hobnail.core import clock
from hobnail.core.errors import Conflict, Forbidden, NotFound, TooManyRequests, ValidationFailed
from hobnail.db.session import Session
from hobnail.domains.accounts import service as accounts_service
from hobnail.domains.accounts.access import Actor
from hobnail.domains.ding import escalation, events, repository
from hobnail.domains.ding.presenters import ding_view, recipient_view, reply_view
from hobnail.domains.ding.settings import check_policy, ding_settings
from hobnail.domains.files import service as files_service
from hobnail.domains.messaging.access import access_message
from hobnail.events.base import topics
from hobnail.events.outbox import record
from hobnail.jobs import queue
from hobnail.models import Ding, DingRecipient, DingReply

REMIND_GAP = timedelta(minutes=5)
MAX_BODY = 2000


class DingNotFound(NotFound):
    code = "ding_not_found"
    message = "No such DING."


class NoRecipients(ValidationFailed):
    code = "no_recipients"
    message = "Choose at least one person (other than yourself) to DING."


class TooManyRecipients(ValidationFailed):
    code = "too_many_recipients"
    message = "Too many recipients for this channel."


class ChannelUnavailable(ValidationFailed):
    code = "channel_unavailable"
    message = "That channel is not available on this server."


class OutOfScope(Forbidden):
    code = "ding_scope"
    message = "Members may DING people in their own departments; ask an admin for others."


class ScheduleInPast(ValidationFailed):
    code = "schedule_in_past"
    message = "Schedule the DING for a future minute."


class QuotaExhausted(Conflict):
    code = "quota_exhausted"
    message = "This month's SMS or voice quota is used up; in-app DING still works."


class RemindTooSoon(TooManyRequests):
    code = "remind_too_soon"
    message = "Wait five minutes between reminders."


class NotTheSender(Forbidden):
    code = "not_the_sender"
    message = "Only the sender may do that."


class DingRecalled(Conflict):
    code = "ding_recalled"
    message = "This DING was recalled."


class AllConfirmed(Conflict):
    code = "all_confirmed"
    message = "Everyone has already confirmed."


class SendingTooMany(TooManyRequests):
    code = "ding_rate_limited"
    message = "You have sent many DINGs in the last hour; wait a while."


def _month_start(now: datetime) -> datetime:
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


async def _recipient_ids(session: Session, actor: Actor, user_ids: list[str], department_ids: list[str]) -> list[str]:
    wanted = list(dict.fromkeys(user_ids))
    found = await accounts_service.active_member_ids(session, actor.org_id, wanted)
    strangers = [u for u in wanted if u not in found]
    if strangers:
        raise ValidationFailed(
            "Some recipients are not active members of this organisation.",
            code="member_not_found",
            details={"user_ids": strangers[:20]},
        )
    if department_ids:
        wanted += await accounts_service.department_member_ids(session, actor.org_id, department_ids)
    return [u for u in dict.fromkeys(wanted) if u != actor.user_id]


async def _check_sendable(
    session: Session, actor: Actor, recipients: list[str], channels: set[str], *, scope_checked: bool = False
) -> None:
    rules = ding_settings(actor.org)
    if not recipients:
        raise NoRecipients()
    if not actor.is_admin and not scope_checked and rules.member_scope == "department":
        outside = set(recipients) - await accounts_service.colleague_ids(session, actor.org_id, actor.user_id)
        if outside:
            raise OutOfScope(details={"user_ids": sorted(outside)[:20]})
    unavailable = escalation.unavailable_channels(channels)
    if unavailable:
        raise ChannelUnavailable(details={"channels": unavailable})
    for channel in channels | {"in_app"}:
        cap = rules.caps.get(channel)
        if cap is not None and len(recipients) > cap:
            raise TooManyRecipients(
                f"At most {cap} recipients when the DING may go by {channel}.",
                details={"channel": channel, "limit": cap},
            )
    used = await repository.usage(session, actor.org_id, _month_start(clock.now()))
    for channel in channels & {"sms", "voice"}:
        if used[channel] + len(recipients) > rules.monthly_quota.get(channel, 0):
            raise QuotaExhausted(details={"channel": channel, "used": used[channel]})
    if await repository.sent_since(session, actor.user_id, clock.now() - timedelta(hours=1)) >= rules.per_hour:
        raise SendingTooMany(retry_after=600)


async def send_ding(
    session: Session,
    actor: Actor,
    *,
    body: str | None,
    user_ids: list[str],
    department_ids: list[str],
    channel: str,
    policy: list[dict[str, Any]] | None,
    critical: bool,
    scheduled_at: datetime | None,
    source_message_id: str | None,
    file_id: str | None = None,
    scope_checked: bool = False,
) -> dict[str, Any]:
    """Send (or schedule) a DING. ``policy`` None takes the organisation's default
    escalation; [] sends without escalation. Departments are expanded now. At most one
    file goes along: ``file_id`` (a file the sender may read) or the DINGed message's.
    ``scope_checked``: the caller vouches the sender may reach these people (a teacher the
    guardians of their class), past the organisation's department scope for members."""
    text = (body or "").strip()
    attachment = await files_service.attachable(session, actor, file_id) if file_id else None
    if source_message_id is not None:
        message, _, _ = await access_message(session, actor, source_message_id)
        text = text or message.body or (message.attachment or {}).get("name", "")
        attachment = attachment or (None if message.recalled_at else message.attachment)
    if not text:
        raise ValidationFailed("A DING needs some text.", code="empty_ding", details={"field": "body"})
    if len(text) > MAX_BODY:
        raise ValidationFailed(f"At most {MAX_BODY} characters.", code="ding_too_long", details={"field": "body"})
    rules = ding_settings(actor.org)
    if critical and not rules.allow_critical:
        raise Forbidden("This organisation does not allow critical DINGs.", code="critical_not_allowed")
    if policy is None:
        # The default ladder, minus channels this server cannot use.
        steps = [s for s in rules.default_policy if not escalation.unavailable_channels({s["channel"]})]
    else:
        steps = check_policy(policy)
    recipients = await _recipient_ids(session, actor, user_ids, department_ids)
    channels = {channel} | {s["channel"] for s in steps} | {s["fallback"] for s in steps if s.get("fallback")}
    await _check_sendable(session, actor, recipients, channels, scope_checked=scope_checked)
    now = clock.now()
    if scheduled_at is not None:
        scheduled_at = clock.ensure_aware(scheduled_at).replace(second=0, microsecond=0)
        if scheduled_at <= now:
            raise ScheduleInPast(details={"field": "scheduled_at"})
    ding = Ding(
        org_id=actor.org_id,
        sender_id=actor.user_id,
        body=text,
        source_message_id=source_message_id,
        file_id=attachment["id"] if attachment else None,
        attachment=attachment,
        channel=channel,
        policy=steps,
        critical=critical,
        status="scheduled" if scheduled_at else "sent",
        scheduled_at=scheduled_at,
        created_at=now,
    )
    session.add(ding)
    await session.flush()
    for user_id in recipients:
        session.add(DingRecipient(ding_id=ding.id, user_id=user_id, org_id=actor.org_id))
    await session.flush()
    if scheduled_at:
        await queue.enqueue(
            session, "ding.release", {"ding_id": ding.id}, run_at=scheduled_at, dedupe_key=f"ding:{ding.id}:release"
        )
    else:
        await escalation.release(session, ding)
    return await sender_view(session, actor, ding)


async def _own(session: Session, actor: Actor, ding_id: str) -> Ding:
    ding = await session.get(Ding, ding_id)
    if ding is None or ding.org_id != actor.org_id:
        raise DingNotFound()
    return ding


async def _visible(session: Session, actor: Actor, ding_id: str) -> tuple[Ding, DingRecipient | None]:
    ding = await _own(session, actor, ding_id)
    mine = await repository.recipient(session, ding.id, actor.user_id)
    if ding.sender_id != actor.user_id and (mine is None or ding.status == "scheduled"):
        raise DingNotFound()
    return ding, mine


async def sender_view(session: Session, actor: Actor, ding: Ding) -> dict[str, Any]:
    people = await accounts_service.users_by_id(session, [ding.sender_id])
    recipients = await repository.recipients(session, ding.id)
    users = await accounts_service.users_by_id(session, [r.user_id for r in recipients])
    attempts = await repository.attempts(session, ding.id)
    confirmed = sum(1 for r in recipients if r.confirmed_at)
    next_remind = (ding.last_reminded_at or ding.sent_at or ding.created_at) + REMIND_GAP
    return {
        **ding_view(ding, people.get(ding.sender_id)),
        "policy": ding.policy,
        "confirmed": confirmed,
        "total": len(recipients),
        "next_remind_at": clock.isoformat(next_remind),
        "recipients": [
            recipient_view(r, users.get(r.user_id), [a for a in attempts if a.user_id == r.user_id]) for r in recipients
        ],
        "replies": await _replies(session, ding.id),
    }


async def _replies(session: Session, ding_id: str, *, only_from: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    rows = [r for r in await repository.replies(session, ding_id) if only_from is None or r.user_id in only_from]
    authors = await accounts_service.users_by_id(session, list({r.user_id for r in rows}))
    return [reply_view(r, authors.get(r.user_id)) for r in rows]


async def get_ding(session: Session, actor: Actor, ding_id: str) -> dict[str, Any]:
    ding, mine = await _visible(session, actor, ding_id)
    if ding.sender_id == actor.user_id:
        return await sender_view(session, actor, ding)
    assert mine is not None
    sender = (await accounts_service.users_by_id(session, [ding.sender_id])).get(ding.sender_id)
    replies = await _replies(session, ding.id, only_from=(actor.user_id, ding.sender_id))
    return {
        **ding_view(ding, sender),
        "confirmed_at": clock.isoformat(mine.confirmed_at) if mine.confirmed_at else None,
        "replies": replies,
    }


async def confirm(session: Session, actor: Actor, ding_id: str) -> dict[str, Any]:
    """收到: the recipient confirms. Clears the alert on all their devices; the sender sees it
    live; when everyone has confirmed, pending escalation steps are cancelled."""
    ding, mine = await _visible(session, actor, ding_id)
    if mine is None:
        raise Forbidden("Only a recipient can confirm a DING.", code="not_a_recipient")
    if ding.status == "recalled":
        raise DingRecalled()
    if mine.confirmed_at is None:
        mine.confirmed_at = clock.now()
        mine.delivered_at = mine.delivered_at or mine.confirmed_at
        await session.flush()
        await record(
            session,
            events.DingConfirmed(
                org_id=actor.org_id,
                audience=(topics.user(actor.user_id),),
                ding_id=ding.id,
                confirmed_at=clock.isoformat(mine.confirmed_at),
            ),
        )
        await escalation.announce_progress(session, ding, mine)
        confirmed, total = await repository.progress(session, ding.id)
        if confirmed == total:
            await escalation.cancel_steps(session, ding)
    return await get_ding(session, actor, ding_id)


async def mark_delivered(session: Session, actor: Actor, ding_id: str) -> None:
    """A client showed the alert (the sender's timeline says "delivered")."""
    ding, mine = await _visible(session, actor, ding_id)
    if mine is not None and mine.delivered_at is None:
        mine.delivered_at = clock.now()
        await session.flush()
        await escalation.announce_progress(session, ding, mine)


async def reply(session: Session, actor: Actor, ding_id: str, body: str) -> dict[str, Any]:
    ding, _ = await _visible(session, actor, ding_id)
    text = body.strip()
    if not text:
        raise ValidationFailed("Write something.", code="empty_reply", details={"field": "body"})
    row = DingReply(ding_id=ding.id, user_id=actor.user_id, body=text[:MAX_BODY], created_at=clock.now())
    session.add(row)
    await session.flush()
    audience = {topics.user(ding.sender_id), topics.user(actor.user_id)}
    await record(
        session,
        events.DingReplied(
            org_id=actor.org_id, audience=tuple(sorted(audience)), ding_id=ding.id, reply=reply_view(row, actor.user)
        ),
    )
    return reply_view(row, actor.user)


async def remind(
    session: Session, actor: Actor, ding_id: str, *, channel: str, user_ids: list[str] | None
) -> dict[str, Any]:
    """The sender reminds (some of) those who have not confirmed, at most every five minutes."""
    ding = await _own(session, actor, ding_id)
    if ding.sender_id != actor.user_id:
        raise NotTheSender()
    if ding.status == "recalled":
        raise DingRecalled()
    if ding.status == "scheduled":
        raise Conflict("The DING has not been sent yet.", code="ding_scheduled")
    ready_at = (ding.last_reminded_at or ding.sent_at or ding.created_at) + REMIND_GAP
    if clock.now() < ready_at:
        raise RemindTooSoon(retry_after=int((ready_at - clock.now()).total_seconds()) + 1)
    targets = await repository.unconfirmed(session, ding.id)
    if user_ids is not None:
        wanted = set(user_ids)
        targets = [t for t in targets if t.user_id in wanted]
    if not targets:
        raise AllConfirmed()
    await _check_sendable(session, actor, [t.user_id for t in targets], {channel})
    ding.last_reminded_at = clock.now()
    await session.flush()
    await escalation.remind(session, ding, targets, channel)
    return await sender_view(session, actor, ding)


async def recall(session: Session, actor: Actor, ding_id: str) -> None:
    ding = await _own(session, actor, ding_id)
    if ding.sender_id != actor.user_id:
        raise NotTheSender()
    if ding.status == "recalled":
        return
    ding.status = "recalled"
    ding.recalled_at = clock.now()
    await session.flush()
    await escalation.cancel_steps(session, ding)
    audience = {topics.user(ding.sender_id)} | {
        topics.user(r.user_id) for r in await repository.recipients(session, ding.id)
    }
    await record(session, events.DingRecalled(org_id=actor.org_id, audience=tuple(sorted(audience)), ding_id=ding.id))


async def list_received(session: Session, actor: Actor, limit: int = 100) -> list[dict[str, Any]]:
    """DINGs I received, unconfirmed first, newest first."""
    rows = await repository.received(session, actor.org_id, actor.user_id, limit)
    senders = await accounts_service.users_by_id(session, list({d.sender_id for d, _ in rows}))
    return [
        {
            **ding_view(d, senders.get(d.sender_id)),
            "confirmed_at": clock.isoformat(r.confirmed_at) if r.confirmed_at else None,
        }
        for d, r in rows
    ]


async def list_sent(session: Session, actor: Actor, limit: int = 100) -> list[dict[str, Any]]:
    """DINGs I sent, newest first, with progress."""
    dings = await repository.sent(session, actor.org_id, actor.user_id, limit)
    progress = await repository.progress_many(session, [d.id for d in dings])
    me = actor.user
    return [
        {**ding_view(d, me), "confirmed": progress.get(d.id, (0, 0))[0], "total": progress.get(d.id, (0, 0))[1]}
        for d in dings
    ]


async def usage_view(session: Session, actor: Actor) -> dict[str, Any]:
    from hobnail.domains.accounts.access import require_admin

    require_admin(actor)
    used = await repository.usage(session, actor.org_id, _month_start(clock.now()))
    quota = ding_settings(actor.org).monthly_quota
    return {channel: {"used": used[channel], "quota": quota.get(channel, 0)} for channel in ("sms", "voice")}
