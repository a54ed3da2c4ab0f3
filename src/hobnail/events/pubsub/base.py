"""Publish/subscribe between the relay and every node's gateway.

One message per relay batch per node, never one per recipient. Implementations:
``memory`` (one process) and ``redis`` (several nodes).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

Handler = Callable[[bytes], Awaitable[None]]


class PubSub(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def publish(self, message: bytes) -> None: ...

    def subscribe(self, handler: Handler) -> None: ...
