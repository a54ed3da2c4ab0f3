"""In-process pub/sub for a single node."""

from __future__ import annotations

import logging

from hobnail.events.pubsub.base import Handler

log = logging.getLogger(__name__)


class MemoryPubSub:
    def __init__(self) -> None:
        self._handlers: list[Handler] = []

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        self._handlers.clear()

    def subscribe(self, handler: Handler) -> None:
        self._handlers.append(handler)

    async def publish(self, message: bytes) -> None:
        for handler in list(self._handlers):
            try:
                await handler(message)
            except Exception:
                log.exception("pubsub handler failed")
