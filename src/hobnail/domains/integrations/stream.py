"""Stream mode: DingTalk's long-lived WebSocket for apps, so a bot needs no public URL.

An app opens a connection with a one-time ticket (``POST /v1.0/gateway/connections/open``)
and receives frames — ``CALLBACK`` on the chatbot topic for now — each of which it
acknowledges with ``code`` 200. An acknowledgement whose data says ``LATER``, another
code, or none within a minute puts the frame back for redelivery (backoff 5 s, 10 s,
20 s … up to 10 minutes; after 12 tries it is marked failed). When an app holds several
connections, each frame goes to one of them (DingTalk's cluster mode).

Deliveries live in the database (``app_deliveries``), so any node can push them: each
node polls for the apps connected to it and claims a frame with a compare-and-set, so
two nodes never send the same frame at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

import sqlalchemy as sa

from hobnail.core import clock
from hobnail.core.ids import new_id
from hobnail.domains.integrations import apps
from hobnail.models import App, AppDelivery

log = logging.getLogger(__name__)
POLL_SECONDS = 0.3
ACK_TIMEOUT = timedelta(minutes=1)
MAX_ATTEMPTS = 12
BATCH = 20


class StreamSocket(Protocol):
    """What the gateway needs of a WebSocket (the route hands in Starlette's)."""

    async def accept(self) -> None: ...
    async def receive_text(self) -> str: ...
    async def send_text(self, data: str) -> None: ...
    async def close(self, code: int = 1000, reason: str | None = None) -> None: ...


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(600, 5 * 2 ** max(0, attempts - 1)))


@dataclass
class Connection:
    id: str
    app_id: str
    client_id: str
    origin: str
    websocket: StreamSocket
    callbacks: set[str]
    events: bool
    in_flight: set[str] = field(default_factory=set)

    def wants(self, frame_type: str, topic: str) -> bool:
        return topic in self.callbacks if frame_type == "CALLBACK" else self.events


class StreamGateway:
    """Per node: the apps' open connections, and a loop pushing their due frames."""

    def __init__(self, sessionmaker: Any) -> None:
        self._sessionmaker = sessionmaker
        self._connections: dict[str, list[Connection]] = {}
        self._task: asyncio.Task[None] | None = None

    @property
    def connected_apps(self) -> list[str]:
        return [a for a, conns in self._connections.items() if conns]

    async def serve(self, websocket: StreamSocket, ticket: str) -> None:
        await websocket.accept()
        async with self._sessionmaker() as session:
            used = await apps.use_ticket(session, ticket)
            app = await session.get(App, used.app_id) if used else None
            await session.commit()
        if used is None or app is None or not app.enabled:
            await websocket.close(code=4401, reason="invalid ticket")
            return
        subscriptions = [s for s in used.subscriptions if isinstance(s, dict)]
        connection = Connection(
            id=new_id(), app_id=app.id, client_id=app.client_id, origin=used.origin.rstrip("/"), websocket=websocket,
            callbacks={s.get("topic", "") for s in subscriptions if s.get("type") == "CALLBACK"},
            events=any(s.get("type") == "EVENT" for s in subscriptions),
        )  # fmt: skip
        self._connections.setdefault(app.id, []).append(connection)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._push_loop())
        try:
            while True:
                text = await websocket.receive_text()
                await self._on_ack(connection, text)
        except Exception as error:  # however the connection ended, the app is gone from here
            log.debug("stream connection %s ended: %r", connection.id, error)
        finally:
            self._connections[app.id].remove(connection)
            await self._release(connection)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _push_loop(self) -> None:
        while self.connected_apps:
            try:
                await self.push_due()
            except Exception:  # a database hiccup must not end the loop
                log.exception("stream push failed")
            await asyncio.sleep(POLL_SECONDS)

    async def push_due(self) -> int:
        """Claim and send the due frames of the apps connected here. Returns how many."""
        sent = 0
        now = clock.now()
        async with self._sessionmaker() as session:
            # Frames sent but never acknowledged go back in the queue.
            await session.execute(
                sa.update(AppDelivery)
                .where(
                    AppDelivery.channel == "stream",
                    AppDelivery.status == "sending",
                    AppDelivery.claimed_at < now - ACK_TIMEOUT,
                )
                .values(status="pending", next_at=now)
            )
            for app_id in self.connected_apps:
                due = list(
                    await session.scalars(
                        sa.select(AppDelivery)
                        .where(
                            AppDelivery.app_id == app_id,
                            AppDelivery.channel == "stream",
                            AppDelivery.status == "pending",
                            AppDelivery.next_at <= now,
                        )
                        .order_by(AppDelivery.created_at)
                        .limit(BATCH)
                    )
                )
                for delivery in due:
                    targets = [
                        c for c in self._connections.get(app_id, []) if c.wants(delivery.frame_type, delivery.topic)
                    ]
                    if not targets:
                        continue
                    claimed = await session.execute(
                        sa.update(AppDelivery)
                        .where(AppDelivery.id == delivery.id, AppDelivery.status == "pending")
                        .values(status="sending", claimed_at=now, attempts=AppDelivery.attempts + 1)
                    )
                    if not claimed.rowcount:  # type: ignore[attr-defined]
                        continue  # another node took it
                    await session.commit()
                    target = random.choice(targets)
                    target.in_flight.add(delivery.id)
                    try:
                        await target.websocket.send_text(json.dumps(_frame(target, delivery)))
                        sent += 1
                    except Exception:
                        target.in_flight.discard(delivery.id)
            await session.commit()
        return sent

    async def _on_ack(self, connection: Connection, text: str) -> None:
        try:
            ack = json.loads(text)
            delivery_id = str(ack["headers"]["messageId"])
        except (ValueError, KeyError, TypeError):
            return
        if delivery_id not in connection.in_flight:
            return  # an acknowledgement of a SYSTEM frame, or of something not ours
        connection.in_flight.discard(delivery_id)
        later = ack.get("code") != 200 or _status(ack.get("data")) == "LATER"
        now = clock.now()
        async with self._sessionmaker() as session:
            delivery = await session.get(AppDelivery, delivery_id)
            if delivery is None or delivery.status != "sending":
                return
            if not later:
                delivery.status, delivery.delivered_at = "delivered", now
            elif delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = "failed"
            else:
                delivery.status, delivery.next_at = "pending", now + backoff(delivery.attempts)
            await session.commit()

    async def _release(self, connection: Connection) -> None:
        if not connection.in_flight:
            return
        async with self._sessionmaker() as session:
            await session.execute(
                sa.update(AppDelivery)
                .where(AppDelivery.id.in_(connection.in_flight), AppDelivery.status == "sending")
                .values(status="pending", next_at=clock.now())
            )
            await session.commit()


def _status(data: Any) -> str:
    try:
        parsed = json.loads(data) if isinstance(data, str) else data
    except ValueError:
        return ""
    if isinstance(parsed, dict):
        response = parsed.get("response")
        if isinstance(response, dict) and "status" in response:
            return str(response["status"])
        return str(parsed.get("status", ""))
    return ""


def _frame(connection: Connection, delivery: AppDelivery) -> dict[str, Any]:
    payload = dict(delivery.payload)
    if isinstance(payload.get("sessionWebhook"), str) and payload["sessionWebhook"].startswith("/"):
        payload["sessionWebhook"] = connection.origin + payload["sessionWebhook"]
    now: datetime = clock.now()
    headers = {
        "appId": connection.client_id,
        "connectionId": connection.id,
        "contentType": "application/json",
        "messageId": delivery.id,
        "time": str(int(now.timestamp() * 1000)),
        "topic": delivery.topic,
    }
    if delivery.frame_type == "EVENT":  # DingTalk's event headers; the data is the stream's wire event
        born = payload.get("occurred_at")
        headers |= {
            "eventType": delivery.topic, "eventId": str(payload.get("cursor", delivery.id)),
            "eventCorpId": str(payload.get("org_id", "")), "eventUnifiedAppId": connection.client_id,
            "eventBornTime": str(int(datetime.fromisoformat(born).timestamp() * 1000)) if born else headers["time"],
        }  # fmt: skip
    return {
        "specVersion": "1.0",
        "type": delivery.frame_type,
        "headers": headers,
        "data": json.dumps(payload, ensure_ascii=False),
    }
