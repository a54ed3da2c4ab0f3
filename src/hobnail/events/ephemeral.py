"""Best-effort events that skip the outbox (typing, presence): no cursor, no replay."""

from __future__ import annotations

from typing import Any

import orjson

from hobnail.events.pubsub.base import PubSub
from hobnail.events.wire import encode_batch

_pubsub: PubSub | None = None


def set_pubsub(pubsub: PubSub | None) -> None:
    global _pubsub
    _pubsub = pubsub


async def publish(event_type: str, *, org_id: str, audience: tuple[str, ...], data: dict[str, Any]) -> None:
    """Send now to whoever is connected; lost if nobody is. Never raises."""
    if _pubsub is None:
        return
    frame = orjson.dumps({"type": event_type, "org_id": org_id, "data": data}).decode()
    try:
        await _pubsub.publish(
            encode_batch([{"seq": None, "org_id": org_id, "topics": list(audience), "resubscribe": [], "frame": frame}])
        )
    except Exception:  # best effort by definition
        return
