"""Redis pub/sub between nodes. A node that loses Redis reconnects; clients that missed
frames meanwhile recover them by resuming from their cursor."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import redis.asyncio as aioredis

from hobnail.events.pubsub.base import Handler

log = logging.getLogger(__name__)

CHANNEL = "hobnail:events"


class RedisPubSub:
    def __init__(self, url: str, channel: str = CHANNEL) -> None:
        self._url = url
        self._channel = channel
        self._handlers: list[Handler] = []
        self._client: aioredis.Redis | None = None
        self._task: asyncio.Task[None] | None = None
        self._subscribed = asyncio.Event()

    def subscribe(self, handler: Handler) -> None:
        self._handlers.append(handler)

    async def start(self) -> None:
        self._client = aioredis.from_url(self._url)
        self._task = asyncio.create_task(self._listen(), name="redis-pubsub")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._subscribed.wait(), timeout=5)

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        if self._client:
            await self._client.aclose()

    async def publish(self, message: bytes) -> None:
        assert self._client is not None, "start() first"
        await self._client.publish(self._channel, message)

    async def _listen(self) -> None:
        assert self._client is not None
        while True:
            try:
                pubsub = self._client.pubsub()
                await pubsub.subscribe(self._channel)
                self._subscribed.set()
                async for item in pubsub.listen():
                    if item.get("type") != "message":
                        continue
                    for handler in list(self._handlers):
                        try:
                            await handler(item["data"])
                        except Exception:
                            log.exception("pubsub handler failed")
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("redis pubsub connection lost; reconnecting")
                await asyncio.sleep(1)
