"""Signed HTTP event deliveries to apps' callback URLs.

Each POST carries one event in the stream's wire form, with headers

- ``X-Hobnail-Event``: the event type; ``X-Hobnail-Delivery``: the delivery id (the same
  on every retry, so a receiver can drop duplicates);
- ``X-Hobnail-Timestamp``: Unix seconds when this attempt was signed;
- ``X-Hobnail-Signature``: ``v1=`` + hex HMAC-SHA256 of ``timestamp + "." + body`` with
  the subscription's signing secret.

A 2xx answer within ten seconds delivers it. Anything else is retried after 10 s, 30 s,
2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h and 8 h — about 24 hours in all — and then marked
failed, where the admin can redeliver it and the app can pull it. Every attempt is logged
with its status code and latency.

The sender never holds a database transaction while waiting for a receiver, sends at
most a few requests per app at once, and runs apart from the user event stream, so a
receiver that hangs or fails delays nobody else.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import secrets
import time
from collections import defaultdict
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
import sqlalchemy as sa

from hobnail.core import clock
from hobnail.core.errors import ValidationFailed
from hobnail.core.ids import new_id
from hobnail.core.loops import WakeableLoop
from hobnail.models import AppDelivery, AppDeliveryAttempt, EventSubscription

log = logging.getLogger(__name__)
RETRY_DELAYS = tuple(
    timedelta(seconds=s) for s in (10, 30, 120, 600, 1800, 3600, 7200, 14400, 28800, 28800)
)  # fmt: skip
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
TIMEOUT_SECONDS = 10.0
VERIFY_TIMEOUT_SECONDS = 5.0
PER_APP_IN_FLIGHT = 4
TOTAL_IN_FLIGHT = 64
STALE_CLAIM = timedelta(minutes=2)
USER_AGENT = "Hobnail-Webhooks/1"


class VerificationFailed(ValidationFailed):
    code = "callback_verification_failed"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"v1={digest}"


def signed_headers(secret: str, body: bytes, *, event_type: str, delivery_id: str) -> dict[str, str]:
    timestamp = str(int(clock.now().timestamp()))
    return {
        "Content-Type": "application/json", "User-Agent": USER_AGENT, "X-Hobnail-Event": event_type,
        "X-Hobnail-Delivery": delivery_id, "X-Hobnail-Timestamp": timestamp,
        "X-Hobnail-Signature": sign(secret, timestamp, body),
    }  # fmt: skip


def check_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 500:
        raise ValidationFailed("The callback URL must be an http(s) URL of up to 500 characters.", code="invalid_url")
    return url.strip()


async def verify_url(url: str, secret: str) -> None:
    """POST a signed ``url_verification`` challenge; the receiver must answer 2xx with the
    challenge (as ``{"challenge": …}`` or the bare string). Raises VerificationFailed."""
    challenge = secrets.token_urlsafe(16)
    body = json.dumps({"type": "url_verification", "challenge": challenge}).encode()
    headers = signed_headers(secret, body, event_type="url_verification", delivery_id=new_id())
    try:
        async with httpx.AsyncClient(timeout=VERIFY_TIMEOUT_SECONDS) as client:
            response = await client.post(url, content=body, headers=headers)
    except httpx.HTTPError as error:
        raise VerificationFailed(f"The callback URL did not answer ({type(error).__name__}).") from None
    if not 200 <= response.status_code < 300:
        raise VerificationFailed(f"The callback URL answered HTTP {response.status_code}.")
    text = response.text.strip()
    try:
        answered = json.loads(text).get("challenge") if text.startswith("{") else text
    except (ValueError, AttributeError):
        answered = None
    if answered != challenge:
        raise VerificationFailed("The callback URL did not echo the challenge.")


def next_attempt_delay(attempts: int) -> timedelta | None:
    """How long after failed attempt number ``attempts`` (1-based) to try again; None: give up."""
    return RETRY_DELAYS[attempts - 1] if attempts <= len(RETRY_DELAYS) else None


class WebhookSender(WakeableLoop):
    """Per node: claims due HTTP deliveries and posts them, each in its own task."""

    name = "webhook-sender"

    def __init__(self, sessionmaker: Any, poll_seconds: float = 1.0, timeout_seconds: float = TIMEOUT_SECONDS) -> None:
        super().__init__(poll_seconds)
        self._sessionmaker = sessionmaker
        self._client = httpx.AsyncClient(timeout=timeout_seconds, follow_redirects=False)
        self._in_flight: dict[str, set[str]] = defaultdict(set)  # app id → delivery ids
        self._tasks: set[asyncio.Task[None]] = set()

    async def stop(self) -> None:
        await super().stop()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._client.aclose()

    def in_flight(self, app_id: str) -> int:
        return len(self._in_flight[app_id])

    async def drain(self) -> None:
        """Wait for the requests under way (tests; shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def work_pass(self) -> None:
        room = TOTAL_IN_FLIGHT - sum(len(ids) for ids in self._in_flight.values())
        if room <= 0:
            return
        now = clock.now()
        async with self._sessionmaker() as session:
            # Claims a crashed node left behind go back in the queue.
            await session.execute(
                sa.update(AppDelivery)
                .where(
                    AppDelivery.channel == "http", AppDelivery.status == "sending",
                    AppDelivery.claimed_at < now - STALE_CLAIM,
                )
                .values(status="pending")
            )  # fmt: skip
            due = list(
                (
                    await session.execute(
                        sa.select(AppDelivery.id, AppDelivery.app_id)
                        .where(AppDelivery.channel == "http", AppDelivery.status == "pending")
                        .where(AppDelivery.next_at <= now)
                        .order_by(AppDelivery.next_at)
                        .limit(room * 2)
                    )
                ).all()
            )
            claimed: list[tuple[str, str]] = []
            for delivery_id, app_id in due:
                if len(self._in_flight[app_id]) >= PER_APP_IN_FLIGHT or len(claimed) >= room:
                    continue  # a slow app waits its turn; others go on
                result = await session.execute(
                    sa.update(AppDelivery)
                    .where(AppDelivery.id == delivery_id, AppDelivery.status == "pending")
                    .values(status="sending", claimed_at=now, attempts=AppDelivery.attempts + 1)
                )
                if result.rowcount:  # type: ignore[attr-defined]
                    claimed.append((delivery_id, app_id))
                    self._in_flight[app_id].add(delivery_id)
            await session.commit()
        for delivery_id, app_id in claimed:
            task = asyncio.create_task(self._send(delivery_id, app_id))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _send(self, delivery_id: str, app_id: str) -> None:
        try:
            async with self._sessionmaker() as session:
                delivery = await session.get(AppDelivery, delivery_id)
                sub = await session.get(EventSubscription, app_id)
                await session.commit()
            if delivery is None:
                return
            if sub is None or not sub.enabled or sub.mode != "http" or not sub.url:
                await self._record(delivery_id, None, 0, "the app has no HTTP subscription", give_up=True)
                return
            body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
            headers = signed_headers(sub.signing_secret, body, event_type=delivery.topic, delivery_id=delivery.id)
            started = time.perf_counter()
            status: int | None = None
            error: str | None = None
            try:
                response = await self._client.post(sub.url, content=body, headers=headers)
                status = response.status_code
                if not 200 <= status < 300:
                    error = f"HTTP {status}"
            except httpx.HTTPError as failure:
                error = type(failure).__name__
            latency_ms = int((time.perf_counter() - started) * 1000)
            await self._record(delivery_id, status, latency_ms, error)
        except Exception:
            log.exception("webhook delivery %s failed", delivery_id)
        finally:
            self._in_flight[app_id].discard(delivery_id)
            self.wake()

    async def _record(
        self, delivery_id: str, status: int | None, latency_ms: int, error: str | None, give_up: bool = False
    ) -> None:
        now = clock.now()
        async with self._sessionmaker() as session:
            delivery = await session.get(AppDelivery, delivery_id)
            if delivery is None or delivery.status != "sending":
                return
            session.add(
                AppDeliveryAttempt(
                    delivery_id=delivery_id, at=now, status_code=status, latency_ms=latency_ms, error=error
                )
            )
            delivery.last_status_code, delivery.last_latency_ms, delivery.last_error = status, latency_ms, error
            delay = None if give_up else next_attempt_delay(delivery.attempts)
            if error is None:
                delivery.status, delivery.delivered_at = "delivered", now
            elif delay is None:
                delivery.status = "failed"
            else:
                delivery.status, delivery.next_at = "pending", now + delay
            await session.commit()
