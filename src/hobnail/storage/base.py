"""The storage interface every backend implements.

An object is written in two phases. While it is incomplete (a tus upload in progress),
``write`` appends bytes at an offset and returns backend state that the caller persists
with the offset in the same database transaction; the database row is the truth, so a
backend must cope with bytes it wrote but that were never recorded (it overwrites them on
the next write at the recorded offset). ``complete`` makes the object readable under its
key; ``abort`` reclaims an incomplete one.

Nothing here holds a whole object in memory: bytes move as an async stream of chunks.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterable, AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

# Backend state stored as JSON on the upload row (e.g. an S3 multipart upload id and parts).
State = dict[str, Any]


@dataclass(frozen=True)
class WriteResult:
    offset: int  # bytes of the object now safely held
    state: State = field(default_factory=dict)


class StorageError(Exception):
    """The backend failed (disk full, S3 unreachable); the caller answers 503."""


class Storage(ABC):
    name: str

    @abstractmethod
    async def begin(self, key: str) -> State:
        """Prepare an incomplete object under ``key``; returns the state to persist."""

    @abstractmethod
    async def write(
        self,
        key: str,
        state: State,
        *,
        offset: int,
        length: int,
        chunks: AsyncIterable[bytes],
        accept: Callable[[], bool],
    ) -> WriteResult:
        """Append the bytes of ``chunks`` at ``offset`` (the persisted offset) of an object
        whose total size will be ``length``.

        The stream may end early (the client went away). When it ends, ``accept()`` says
        whether to keep what arrived (False: a checksum did not match, so the bytes of this
        call are discarded and the old offset and state come back). The caller never passes
        more than ``length - offset`` bytes.
        """

    @abstractmethod
    async def held(self, key: str, state: State, offset: int) -> int:
        """How many of the first ``offset`` bytes are really held (≤ offset). Lets HEAD
        answer truthfully after a crash between a write and its fsync."""

    @abstractmethod
    async def complete(self, key: str, state: State, *, length: int) -> None:
        """Make the object of ``length`` bytes durable and readable. Precondition: all
        ``length`` bytes were written and accepted."""

    @abstractmethod
    async def abort(self, key: str, state: State) -> None:
        """Discard an incomplete object and reclaim its bytes (idempotent)."""

    @abstractmethod
    def read(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        """Bytes ``start``..``end`` (inclusive; None = to the end) of a complete object."""

    @abstractmethod
    async def put(self, key: str, data: bytes) -> None:
        """Store a small complete object (thumbnails, avatars) in one go."""

    @abstractmethod
    async def delete(self, key: str) -> None:
        """Remove a complete object (idempotent)."""
