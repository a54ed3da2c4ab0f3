"""A background task that does a pass of work when woken, and at least every few seconds."""

from __future__ import annotations

import asyncio
import contextlib
import logging

log = logging.getLogger(__name__)


class WakeableLoop:
    """Subclasses implement ``work_pass``; ``wake()`` (after a commit) runs it soon.

    The poll catches what no wake announced: another node's commits, a crash between a
    commit and its wake, jobs that became due.
    """

    name = "loop"

    def __init__(self, poll_seconds: float = 1.0) -> None:
        self._poll_seconds = poll_seconds
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def work_pass(self) -> None:
        raise NotImplementedError

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            self._wake.clear()
            try:
                await self.work_pass()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("%s pass failed; will retry", self.name)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self._poll_seconds)
