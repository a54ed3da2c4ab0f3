"""The event's wire form, identical on the WebSocket, the HTTP replay and webhooks:

{"cursor": "42", "type": "department.created", "org_id": "...", "occurred_at": "...Z", "data": {...}}
"""

from __future__ import annotations

from typing import Any

import orjson

from hobnail.core.clock import isoformat
from hobnail.models import EventRecord

INTERNAL_KEYS = ("_resubscribe", "_grant", "_revoke")


def event_to_wire(row: EventRecord) -> dict[str, Any]:
    data = {k: v for k, v in row.data.items() if k not in INTERNAL_KEYS}
    return {
        "cursor": str(row.seq),
        "type": row.type,
        "org_id": row.org_id,
        "occurred_at": isoformat(row.created_at),
        "data": data,
    }


def encode_batch(items: list[dict[str, Any]]) -> bytes:
    """A relay batch for pub/sub: each item has seq, topics, resubscribe and the frame."""
    return orjson.dumps(items)


def decode_batch(message: bytes) -> list[dict[str, Any]]:
    return list(orjson.loads(message))
