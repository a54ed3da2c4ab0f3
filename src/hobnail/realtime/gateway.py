"""The WebSocket gateway: each node's open connections and the fan-out to them.

A connection subscribes to topics (``org:…``, ``user:…``, ``admins:…``, later ``chat:…``).
On connect it is registered first and buffers live frames; then missed events are
replayed from the outbox; then the buffer is flushed, skipping what replay sent. So a
client that resumes from its cursor misses nothing and sees nothing twice.

Each event is encoded once by the relay; the same bytes go to every recipient.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy.ext.asyncio import async_sessionmaker
from starlette.websockets import WebSocket, WebSocketDisconnect

from hobnail.db.session import Session, begin_read
from hobnail.events.wire import decode_batch
from hobnail.realtime import replay
from hobnail.realtime.frames import DirectWriter, text_frame

log = logging.getLogger(__name__)

# (session, user_id, org_id) -> the topics this person may hear, or None if no longer allowed.
TopicResolver = Callable[[Session, str, str], Awaitable[set[str] | None]]

QUEUE_LIMIT = 5000
REPLAY_PAGE = 500
CLOSE_TOO_SLOW = 4408
CLOSE_NOT_ALLOWED = 4403


@dataclass(eq=False)
class Connection:
    websocket: WebSocket
    user_id: str
    org_id: str
    topics: set[str] = field(default_factory=set)
    queue: asyncio.Queue[str | None] = field(default_factory=lambda: asyncio.Queue(QUEUE_LIMIT))
    buffering: bool = True
    buffer: list[tuple[int, str]] = field(default_factory=list)
    last_seq: int = 0
    writer: DirectWriter | None = None
    sending: bool = False  # the send loop holds a frame it has not written yet

    def deliver(self, seq: int | None, frame: str, wire: bytes | None = None) -> bool:
        """Queue or write one event. Returns whether it was written straight to the socket."""
        if seq is not None:
            if self.buffering:
                self.buffer.append((seq, frame))
                return False
            if seq <= self.last_seq:
                return False
            self.last_seq = seq
        elif self.buffering:
            return False  # ephemeral (typing): never replayed, dropped while catching up
        if wire is not None and self.writer is not None and not self.sending and self.queue.empty():
            if self.writer.write(wire):
                return True
            self.close_soon()
            return False
        try:
            self.queue.put_nowait(frame)
        except asyncio.QueueFull:
            # Too slow to keep up: close; the client resumes from its cursor.
            self.close_soon()
        return False

    def close_soon(self) -> None:
        """Ask the sender to close the socket after what is queued (or at once if full)."""
        try:
            self.queue.put_nowait(None)
        except asyncio.QueueFull:
            self.queue = asyncio.Queue(1)
            self.queue.put_nowait(None)


class Gateway:
    def __init__(self, sessionmaker: async_sessionmaker[Session], resolve_topics: TopicResolver) -> None:
        self._sessionmaker = sessionmaker
        self._resolve_topics = resolve_topics
        self._by_topic: dict[str, set[Connection]] = defaultdict(set)
        self._by_user: dict[str, set[Connection]] = defaultdict(set)
        self.frames_sent = 0
        self.frames_written_directly = 0

    @property
    def connection_count(self) -> int:
        return sum(len(c) for c in self._by_user.values())

    # --- subscription bookkeeping -------------------------------------------------------

    def _subscribe(self, connection: Connection, topics: set[str]) -> None:
        for topic in connection.topics - topics:
            self._by_topic[topic].discard(connection)
            if not self._by_topic[topic]:
                del self._by_topic[topic]
        for topic in topics - connection.topics:
            self._by_topic[topic].add(connection)
        connection.topics = topics

    def _register(self, connection: Connection, topics: set[str]) -> None:
        self._by_user[connection.user_id].add(connection)
        self._subscribe(connection, topics)

    def _unregister(self, connection: Connection) -> None:
        self._subscribe(connection, set())
        self._by_user[connection.user_id].discard(connection)
        if not self._by_user[connection.user_id]:
            del self._by_user[connection.user_id]

    # --- from pub/sub ------------------------------------------------------------------

    async def on_message(self, message: bytes) -> None:
        resubscribe: set[str] = set()
        for item in decode_batch(message):
            recipients: set[Connection] = set()
            for topic in item["topics"]:
                recipients.update(self._by_topic.get(topic, ()))
            org_id = item.get("org_id")
            if not recipients:
                continue
            wire = text_frame(item["frame"].encode())  # built once for every recipient
            direct = 0
            for connection in recipients:
                if (org_id is None or connection.org_id == org_id) and connection.deliver(
                    item["seq"], item["frame"], wire
                ):
                    direct += 1
            self.frames_written_directly += direct
            self.frames_sent += direct
            grant, revoke = item.get("grant"), item.get("revoke")
            if grant or revoke:
                # Joined or left one chat: adjust the topic in place (no database work).
                for user_id in item.get("resubscribe", ()):
                    for connection in list(self._by_user.get(user_id, ())):
                        if org_id is None or connection.org_id == org_id:
                            changed = set(connection.topics)
                            if grant:
                                changed.add(grant)
                            if revoke:
                                changed.discard(revoke)
                            self._subscribe(connection, changed)
            else:
                resubscribe.update(item.get("resubscribe", ()))
        for user_id in resubscribe:
            for connection in list(self._by_user.get(user_id, ())):
                await self._refresh(connection)

    async def _refresh(self, connection: Connection) -> None:
        async with self._sessionmaker() as session:
            await begin_read(session)
            topics = await self._resolve_topics(session, connection.user_id, connection.org_id)
        if topics is None:
            connection.close_soon()
            return
        self._subscribe(connection, topics)

    # --- one client ----------------------------------------------------------------------

    async def serve(self, websocket: WebSocket, *, user_id: str, org_id: str, cursor: int | None) -> None:
        """Run one accepted connection until it closes. Precondition: the caller authenticated it."""
        connection = Connection(
            websocket=websocket, user_id=user_id, org_id=org_id, writer=DirectWriter.for_websocket(websocket)
        )
        async with self._sessionmaker() as session:
            await begin_read(session)
            topics = await self._resolve_topics(session, user_id, org_id)
        if topics is None:
            await websocket.close(code=CLOSE_NOT_ALLOWED)
            return
        self._register(connection, topics)
        sender = asyncio.create_task(self._send_loop(connection))
        try:
            await self._catch_up(connection, cursor)
            await self._receive_loop(connection)
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            self._unregister(connection)
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await sender

    async def _catch_up(self, connection: Connection, cursor: int | None) -> None:
        async with self._sessionmaker() as session:
            await begin_read(session)
            head = await replay.head_cursor(session)
            control: dict[str, Any] = {"type": "stream.ready"}
            if cursor is None or cursor > head:
                position = head
            elif cursor < await replay.pruned_through(session):
                position = head
                control = {"type": "stream.resync"}
            else:
                position = cursor
                while True:
                    page = await replay.events_after(
                        session, after=position, topics=connection.topics, org_id=connection.org_id, limit=REPLAY_PAGE
                    )
                    for event in page:
                        connection.queue.put_nowait(orjson.dumps(event).decode())
                    if page:
                        position = int(page[-1]["cursor"])
                    if len(page) < REPLAY_PAGE:
                        break
                position = max(position, head)
        connection.last_seq = position
        control["cursor"] = str(position)
        connection.queue.put_nowait(orjson.dumps(control).decode())
        buffered, connection.buffer = connection.buffer, []
        connection.buffering = False
        for seq, frame in sorted(buffered):
            connection.deliver(seq, frame)

    async def _send_loop(self, connection: Connection) -> None:
        while True:
            frame = await connection.queue.get()
            if frame is None:
                with contextlib.suppress(Exception):
                    await connection.websocket.close(code=CLOSE_TOO_SLOW)
                return
            connection.sending = True
            try:
                await connection.websocket.send_text(frame)
            finally:
                connection.sending = False
            self.frames_sent += 1

    async def _receive_loop(self, connection: Connection) -> None:
        while True:
            message = await connection.websocket.receive_text()
            if message.strip() in ('{"type":"ping"}', '{"type": "ping"}', "ping"):
                connection.queue.put_nowait('{"type":"pong"}')
