"""Apps' event subscriptions: which events an app receives, and the tap that turns events
into deliveries.

An admin subscribes an app to event types (``message.sent``, ``attendance.*``, ``*``),
delivered either as signed HTTP POSTs to a callback URL (``webhooks``) or as EVENT frames
on its Stream-mode connection (``stream``). What an app may receive follows its scopes:
directory, approval, attendance and report events of the whole organisation with the
matching read scope; message and chat events only from chats its bot is in (or of
messages to the bot itself); DING events about DINGs the bot sent.

The tap reads the event log after its own cursor (one row, advanced with a compare-and-
set in the same transaction that stores the deliveries), so each event becomes each
app's delivery exactly once whichever node runs it, and none is missed across restarts.
"""

from __future__ import annotations

import re
import secrets
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from hobnail.core import clock
from hobnail.core.errors import NotFound, ValidationFailed
from hobnail.core.ids import new_id
from hobnail.core.loops import WakeableLoop
from hobnail.db.session import Session
from hobnail.domains.accounts.access import Actor
from hobnail.domains.integrations import webhooks
from hobnail.domains.integrations.apps import access_app
from hobnail.events.wire import event_to_wire
from hobnail.models import (
    App,
    AppDelivery,
    ConversationMember,
    EventRecord,
    EventSubscription,
    EventTapCursor,
    EventTopic,
)

ORG, BOT = "org", "bot"
# Event family → (the scope that grants it, how far it reaches).
EVENT_ACCESS: dict[str, tuple[str, str]] = {
    "organization": ("contacts.read", ORG),
    "department": ("contacts.read", ORG),
    "member": ("contacts.read", ORG),
    "approval": ("approvals.read", ORG),
    "attendance": ("attendance.read", ORG),
    "report": ("reports.read", ORG),
    "message": ("messages.read", BOT),
    "conversation": ("messages.read", BOT),
    "ding": ("ding.send", BOT),
}
_PATTERN = re.compile(r"^(\*|[a-z_]+\.(\*|[a-z_]+))$")
TAP = "apps"
BATCH = 500


class SubscriptionNotFound(NotFound):
    code = "subscription_not_found"
    message = "This app has no event subscription."


def type_matches(patterns: list[str], event_type: str) -> bool:
    family = event_type.split(".", 1)[0]
    return any(p == "*" or p == event_type or p == f"{family}.*" for p in patterns)


def check_event_types(patterns: list[str], scopes: list[str]) -> list[str]:
    """The patterns, deduplicated. Raises ValidationFailed for a malformed pattern, an
    unknown family, or one the app's scopes do not grant."""
    if not patterns:
        raise ValidationFailed("Choose at least one event type.", code="event_types_required")
    for pattern in patterns:
        if not _PATTERN.match(pattern):
            raise ValidationFailed(f"{pattern!r} is not an event type, 'family.*' or '*'.", code="invalid_event_type")
        family = pattern.split(".", 1)[0]
        if family == "*":
            if not any(scope in scopes for scope, _ in EVENT_ACCESS.values()):
                raise ValidationFailed("The app has no scope that grants events.", code="scope_missing")
            continue
        if family not in EVENT_ACCESS:
            families = ", ".join(sorted(EVENT_ACCESS))
            raise ValidationFailed(f"No events of {family!r}; families are {families}.", code="invalid_event_type")
        scope = EVENT_ACCESS[family][0]
        if scope not in scopes:
            raise ValidationFailed(f"{pattern} needs the app's {scope} scope.", code="scope_missing")
    return list(dict.fromkeys(patterns))


def subscription_view(sub: EventSubscription) -> dict[str, Any]:
    return {
        "app_id": sub.app_id, "mode": sub.mode, "url": sub.url, "event_types": sub.event_types,
        "signing_secret": sub.signing_secret, "enabled": sub.enabled,
        "verified_at": clock.isoformat(sub.verified_at) if sub.verified_at else None,
        "created_at": clock.isoformat(sub.created_at),
    }  # fmt: skip


async def get_subscription(session: Session, actor: Actor, app_id: str) -> dict[str, Any]:
    app = await access_app(session, actor, app_id)
    sub = await session.get(EventSubscription, app.id)
    if sub is None:
        raise SubscriptionNotFound()
    return subscription_view(sub)


async def put_subscription(session: Session, actor: Actor, app_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Admins: subscribe an app (or change its subscription). An HTTP callback URL is
    verified first (a signed challenge it must echo), before anything is written; new
    subscriptions receive events from now on. ``rotate_secret`` issues a new signing secret."""
    app = await access_app(session, actor, app_id)
    event_types = check_event_types(list(changes.get("event_types") or []), app.scopes)
    mode = changes.get("mode") or "http"
    existing = await session.get(EventSubscription, app.id)
    keep_secret = existing is not None and not changes.get("rotate_secret")
    secret = existing.signing_secret if existing is not None and keep_secret else "whsec_" + secrets.token_urlsafe(30)
    url: str | None = None
    if mode == "http":
        url = webhooks.check_url(str(changes.get("url") or ""))
        await webhooks.verify_url(url, secret)
    elif mode != "stream":
        raise ValidationFailed("mode is http or stream.", code="invalid_mode")
    now = clock.now()
    if existing is None:
        head = await session.scalar(sa.select(sa.func.coalesce(sa.func.max(EventRecord.seq), 0)))
        existing = EventSubscription(app_id=app.id, org_id=app.org_id, start_seq=int(head or 0), created_at=now)
        session.add(existing)
    existing.mode, existing.url, existing.event_types, existing.signing_secret = mode, url, event_types, secret
    existing.verified_at = now if mode == "http" else None
    existing.enabled = bool(changes.get("enabled", True))
    await session.flush()
    return subscription_view(existing)


async def delete_subscription(session: Session, actor: Actor, app_id: str) -> None:
    app = await access_app(session, actor, app_id)
    sub = await session.get(EventSubscription, app.id)
    if sub is None:
        raise SubscriptionNotFound()
    await session.delete(sub)
    await session.flush()


# --- the tap --------------------------------------------------------------------------


async def _bot_chats(session: Session, bot_ids: list[str]) -> dict[str, set[str]]:
    chats: dict[str, set[str]] = defaultdict(set)
    if bot_ids:
        rows = await session.execute(
            sa.select(ConversationMember.user_id, ConversationMember.conversation_id).where(
                ConversationMember.user_id.in_(bot_ids)
            )
        )
        for user_id, conversation_id in rows:
            chats[user_id].add(f"chat:{conversation_id}")
    return chats


def app_receives(app: App, sub: EventSubscription, event_type: str, topics: set[str], bot_topics: set[str]) -> bool:
    """Whether ``app`` gets an event of its organisation with these audience topics."""
    family = event_type.split(".", 1)[0]
    access = EVENT_ACCESS.get(family)
    if access is None or access[0] not in app.scopes or not type_matches(sub.event_types, event_type):
        return False
    return access[1] == ORG or bool(topics & bot_topics)


async def tap_once(session: Session) -> int:
    """Turn the next batch of numbered events into deliveries. Returns how many events it
    read. Side effects: inserts deliveries and advances the cursor; the caller commits."""
    subscribed = list(
        (
            await session.execute(
                sa.select(EventSubscription, App)
                .join(App, App.id == EventSubscription.app_id)
                .where(EventSubscription.enabled.is_(True), App.enabled.is_(True))
            )
        ).all()
    )
    if not subscribed:
        return 0  # nothing to do, and no write: the cursor catches up when someone subscribes
    cursor = await session.get(EventTapCursor, TAP)
    if cursor is None:  # the first subscription ever: start where it starts
        cursor = EventTapCursor(name=TAP, seq=min(sub.start_seq for sub, _ in subscribed))
        session.add(cursor)
        await session.flush()
    # Events up to a subscription's start are not for it: skip what nobody wants.
    start = max(cursor.seq, min(sub.start_seq for sub, _ in subscribed))
    events = list(
        await session.scalars(
            sa.select(EventRecord)
            .where(EventRecord.seq > start, EventRecord.seq.is_not(None))
            .order_by(EventRecord.seq)
            .limit(BATCH)
        )
    )
    new_seq = (events[-1].seq or start) if events else start
    if new_seq == cursor.seq:
        return 0
    by_org: dict[str, list[tuple[EventSubscription, App]]] = defaultdict(list)
    for sub, app in subscribed:
        by_org[app.org_id].append((sub, app))
    relevant = [e for e in events if e.org_id in by_org]
    topics: dict[int, set[str]] = defaultdict(set)
    if relevant:
        rows = await session.execute(
            sa.select(EventTopic.event_id, EventTopic.topic).where(EventTopic.event_id.in_([e.id for e in relevant]))
        )
        for event_id, topic in rows:
            topics[event_id].add(topic)
    chats = await _bot_chats(session, [app.bot_user_id for _, app in subscribed])
    now = clock.now()
    deliveries: list[dict[str, Any]] = []
    for event in relevant:
        for sub, app in by_org[event.org_id or ""]:
            bot_topics = chats[app.bot_user_id] | {f"user:{app.bot_user_id}"}
            fresh = (event.seq or 0) > sub.start_seq
            if fresh and app_receives(app, sub, event.type, topics[event.id], bot_topics):
                deliveries.append(_delivery_row(app, sub, event, now))
    if deliveries:
        await session.execute(sa.insert(AppDelivery), deliveries)
    moved = await session.execute(
        sa.update(EventTapCursor)
        .where(EventTapCursor.name == TAP, EventTapCursor.seq == cursor.seq)
        .values(seq=new_seq)
    )
    if not moved.rowcount:  # type: ignore[attr-defined]
        raise _TapRaced()
    return len(events)


def _delivery_row(app: App, sub: EventSubscription, event: EventRecord, now: Any) -> dict[str, Any]:
    http = sub.mode == "http"
    return {
        "id": new_id(), "app_id": app.id, "source_id": f"event:{event.seq}", "topic": event.type,
        "frame_type": "EVENT", "payload": event_to_wire(event), "status": "pending", "attempts": 0,
        "next_at": now, "created_at": now, "channel": "http" if http else "stream", "event_seq": event.seq,
    }  # fmt: skip


class _TapRaced(Exception):
    """Another node advanced the cursor first; this pass's work is rolled back."""


class EventTap(WakeableLoop):
    """Per node: woken by every published event batch (and every few seconds)."""

    name = "app-event-tap"

    def __init__(self, sessionmaker: Any, on_deliveries: Callable[[], None], poll_seconds: float = 2.0) -> None:
        super().__init__(poll_seconds)
        self._sessionmaker = sessionmaker
        self._on_deliveries = on_deliveries

    async def on_published(self, _message: bytes) -> None:
        self.wake()

    async def work_pass(self) -> None:
        while True:
            async with self._sessionmaker() as session:
                try:
                    read = await tap_once(session)
                except (_TapRaced, sa.exc.IntegrityError):  # another node took this batch
                    await session.rollback()
                    return
                await session.commit()
            if read:
                self._on_deliveries()
            if read < BATCH:
                return
