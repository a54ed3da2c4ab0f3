"""The delivery log: what was sent to an app, each attempt's status code and latency,
redelivery by an admin, and failed events an app pulls itself."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from hobnail.core import clock
from hobnail.core.errors import NotFound, ValidationFailed
from hobnail.db.session import Session
from hobnail.domains.accounts.access import Actor
from hobnail.domains.integrations.apps import access_app
from hobnail.jobs import registry
from hobnail.models import App, AppDelivery, AppDeliveryAttempt

STATUSES = ("pending", "sending", "delivered", "failed", "pulled")
KEEP_DONE = timedelta(days=7)  # the delivery log of what arrived
KEEP_FAILED = timedelta(days=30)  # what failed, for the admin to redeliver and the app to pull


class DeliveryNotFound(NotFound):
    code = "delivery_not_found"
    message = "No such delivery."


def _iso(moment: datetime | None) -> str | None:
    return clock.isoformat(moment) if moment else None


def delivery_view(delivery: AppDelivery, attempts: list[AppDeliveryAttempt] | None = None) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": delivery.id, "channel": delivery.channel, "frame_type": delivery.frame_type, "topic": delivery.topic,
        "cursor": str(delivery.event_seq) if delivery.event_seq is not None else None, "status": delivery.status,
        "attempts": delivery.attempts, "next_at": _iso(delivery.next_at) if delivery.status == "pending" else None,
        "last_status_code": delivery.last_status_code, "last_latency_ms": delivery.last_latency_ms,
        "last_error": delivery.last_error, "created_at": _iso(delivery.created_at),
        "delivered_at": _iso(delivery.delivered_at),
    }  # fmt: skip
    if attempts is not None:
        view["attempt_log"] = [
            {"at": _iso(a.at), "status_code": a.status_code, "latency_ms": a.latency_ms, "error": a.error}
            for a in attempts
        ]
        view["event"] = delivery.payload if delivery.frame_type == "EVENT" else None
    return view


async def list_deliveries(
    session: Session, actor: Actor, app_id: str, *, status: str | None, before: str | None, limit: int
) -> dict[str, Any]:
    """Admins: newest first, ``limit`` at a time (``before`` is the last id of a page)."""
    app = await access_app(session, actor, app_id)
    if status is not None and status not in STATUSES:
        raise ValidationFailed(f"status is one of {', '.join(STATUSES)}.", code="invalid_status")
    query = sa.select(AppDelivery).where(AppDelivery.app_id == app.id)
    if status:
        query = query.where(AppDelivery.status == status)
    if before:
        query = query.where(AppDelivery.id < before)
    rows = list(await session.scalars(query.order_by(AppDelivery.id.desc()).limit(limit)))
    counts = dict(
        (
            await session.execute(
                sa.select(AppDelivery.status, sa.func.count())
                .where(AppDelivery.app_id == app.id)
                .group_by(AppDelivery.status)
            )
        ).all()
    )
    return {
        "deliveries": [delivery_view(d) for d in rows],
        "counts": {s: int(counts.get(s, 0)) for s in STATUSES},
        "next_before": rows[-1].id if len(rows) == limit else None,
    }


async def _access_delivery(session: Session, app: App, delivery_id: str) -> AppDelivery:
    delivery = await session.get(AppDelivery, delivery_id)
    if delivery is None or delivery.app_id != app.id:
        raise DeliveryNotFound()
    return delivery


async def get_delivery(session: Session, actor: Actor, app_id: str, delivery_id: str) -> dict[str, Any]:
    app = await access_app(session, actor, app_id)
    delivery = await _access_delivery(session, app, delivery_id)
    attempts = list(
        await session.scalars(
            sa.select(AppDeliveryAttempt)
            .where(AppDeliveryAttempt.delivery_id == delivery.id)
            .order_by(AppDeliveryAttempt.at, AppDeliveryAttempt.id)
        )
    )
    return delivery_view(delivery, attempts)


async def redeliver(session: Session, actor: Actor, app_id: str, delivery_id: str) -> dict[str, Any]:
    """Admins: send it again now, with a fresh retry schedule (whatever its status, except
    while an attempt is under way)."""
    app = await access_app(session, actor, app_id)
    delivery = await _access_delivery(session, app, delivery_id)
    if delivery.status != "sending":
        delivery.status, delivery.attempts, delivery.next_at = "pending", 0, clock.now()
        delivery.delivered_at = None
        await session.flush()
    return delivery_view(delivery)


async def failed_events(session: Session, app: App, *, limit: int) -> dict[str, Any]:
    """What an app failed to receive (oldest first), for the app to pull with its token."""
    rows = list(
        await session.scalars(
            sa.select(AppDelivery)
            .where(AppDelivery.app_id == app.id, AppDelivery.status == "failed", AppDelivery.frame_type == "EVENT")
            .order_by(AppDelivery.created_at, AppDelivery.id)
            .limit(limit)
        )
    )
    return {"events": [{"delivery_id": d.id, "event": d.payload} for d in rows], "more": len(rows) == limit}


async def acknowledge_failed(session: Session, app: App, delivery_ids: list[str]) -> int:
    """The app has the events now: they leave the failed list. Returns how many changed."""
    if not delivery_ids:
        return 0
    result = await session.execute(
        sa.update(AppDelivery)
        .where(AppDelivery.app_id == app.id, AppDelivery.id.in_(delivery_ids), AppDelivery.status == "failed")
        .values(status="pulled", delivered_at=clock.now())
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def prune(session: Session, _payload: dict[str, Any]) -> None:
    """Periodic job: forget deliveries a week after they arrived, and failed ones 30 days
    after they were created (their attempts go with them)."""
    now = clock.now()
    await session.execute(
        sa.delete(AppDelivery).where(
            sa.or_(
                sa.and_(
                    AppDelivery.status.in_(("delivered", "pulled")),
                    sa.func.coalesce(AppDelivery.delivered_at, AppDelivery.created_at) < now - KEEP_DONE,
                ),
                sa.and_(AppDelivery.status == "failed", AppDelivery.created_at < now - KEEP_FAILED),
            )
        )
    )


def register_jobs() -> None:
    registry.register("integrations.prune_deliveries", prune, every=timedelta(hours=1))
