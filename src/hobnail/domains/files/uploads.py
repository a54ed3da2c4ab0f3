"""The life of a tus upload: create, append, finish, terminate, expire.

Unlike other services these functions open their own short units of work, because an
append streams for as long as the client sends: no transaction (and on SQLite no write
lock) may stay open while bytes arrive. The row's ``offset`` is the truth; it moves with
a compare-and-set, so a racing request can never record bytes twice.

One request writes an upload at a time. A new request for an upload that another request
on this node is still writing (a client that lost its network and came back while the
server still waited for the old body) stops the old one, which records what it received,
then proceeds — tus clients resume without waiting for a timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections import OrderedDict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import async_sessionmaker

from hobnail.core import clock
from hobnail.core.config import Settings
from hobnail.core.errors import Conflict, HobnailError, PayloadTooLarge, ServiceUnavailable
from hobnail.core.ids import new_id
from hobnail.db.session import Session, begin_read
from hobnail.domains.accounts.access import Actor
from hobnail.domains.files import protocol, repository, thumbnails
from hobnail.domains.files.access import UploadNotFound, access_own_upload
from hobnail.domains.files.events import FileUploaded
from hobnail.domains.files.presenters import file_view
from hobnail.domains.files.settings import file_settings
from hobnail.events.base import topics
from hobnail.events.outbox import record
from hobnail.models import StoredFile
from hobnail.storage.base import Storage, StorageError

COALESCE_BYTES = 1024 * 1024  # write to storage in pieces of about this size
HASHERS_KEPT = 512
TAKEOVER_WAIT_SECONDS = 10.0


class OffsetMismatch(Conflict):
    code = "offset_mismatch"
    message = "Upload-Offset does not match the bytes received; ask with HEAD and resume from there."


class ChecksumMismatch(HobnailError):
    status = 460
    code = "checksum_mismatch"
    message = "The bytes received do not match Upload-Checksum; they were discarded."


class FileTooLarge(PayloadTooLarge):
    code = "file_too_large"


class QuotaExceeded(PayloadTooLarge):
    code = "quota_exceeded"


class UploadComplete(Conflict):
    code = "upload_complete"
    message = "The upload is already complete."


class UploadExpired(HobnailError):
    status = 410
    code = "upload_expired"
    message = "The upload expired; start it again."


class UploadBusy(HobnailError):
    status = 423
    code = "upload_locked"
    message = "Another request is writing this upload; try again shortly."


class StorageUnavailable(ServiceUnavailable):
    code = "storage_unavailable"
    message = "File storage is not available right now; try again shortly."


class Body(Protocol):
    """A request body as routes hand it over: chunks, and whether the client went away."""

    disconnected: bool

    def __aiter__(self) -> AsyncIterator[bytes]: ...


@dataclass(frozen=True)
class Uploads:
    """What uploads need from the running app."""

    sessionmaker: async_sessionmaker[Session]
    storage: Storage
    settings: Settings

    def expiry(self) -> datetime:
        return clock.now() + timedelta(hours=self.settings.upload_expiry_hours)


@dataclass
class _Writer:
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    done: asyncio.Event = field(default_factory=asyncio.Event)


_writers: dict[str, _Writer] = {}
# The running sha256 of uploads this node is receiving, so finishing needs no second read.
_hashers: OrderedDict[str, tuple[int, Any]] = OrderedDict()


async def create_upload(
    uploads: Uploads, session: Session, actor: Actor, *, length: int, metadata_header: str | None
) -> StoredFile:
    """Check the declared upload and reserve it. ``session`` is a fresh session the
    caller hands over for this; it is committed here (the upload exists before any byte).
    Raises FileTooLarge / QuotaExceeded (413), InvalidFileName (422), InvalidMetadata (400)."""
    metadata = protocol.parse_metadata(metadata_header)
    name, content_type = protocol.name_and_type(metadata)
    rules = file_settings(actor.org)
    max_bytes = rules.max_file_bytes(uploads.settings.file_max_bytes)
    if length > max_bytes:
        raise FileTooLarge(f"Files are at most {_human(max_bytes)} here.", details={"limit": max_bytes, "size": length})
    await _check_quota(session, actor.org_id, rules.quota_mb, length)
    file_id = new_id()
    key = f"{actor.org_id}/{file_id}"
    try:
        state = await uploads.storage.begin(key)
    except StorageError as exc:
        raise StorageUnavailable() from exc
    stored = StoredFile(
        id=file_id, org_id=actor.org_id, owner_id=actor.user_id, name=name, content_type=content_type,
        size=length, offset=0, status="uploading", storage_backend=uploads.storage.name, storage_key=key,
        storage_state=state, upload_metadata=metadata, expires_at=uploads.expiry(), created_at=clock.now(),
    )  # fmt: skip
    session.add(stored)
    await session.flush()
    return stored


async def _check_quota(session: Session, org_id: str, quota_mb: int, length: int) -> None:
    if not quota_mb:
        return
    quota = quota_mb * 1024 * 1024
    used = await repository.bytes_used(session, org_id)
    if used + length > quota:
        raise QuotaExceeded(
            f"The organisation's storage is full ({_human(used)} of {_human(quota)} used).",
            details={"quota": quota, "used": used, "size": length},
        )


async def status(uploads: Uploads, session: Session, actor: Actor, file_id: str) -> StoredFile:
    """The upload as HEAD reports it. If the backend holds fewer bytes than recorded (a
    crash between write and fsync), the offset drops back so the client resends them."""
    stored = await access_own_upload(session, actor, file_id)
    if stored.status == "uploading":
        _refuse_expired(stored)
        held = await _held(uploads, stored)
        if held < stored.offset:
            stored.offset = held
    return stored


async def append(
    uploads: Uploads, actor: Actor, file_id: str, *, offset: int, body: Body, checksum: tuple[str, bytes] | None
) -> StoredFile:
    """Write the body at ``offset`` (tus PATCH). Opens its own units of work.

    Side effects: bytes land in storage; the offset moves; when the last byte arrives the
    file is finished (see ``finish``). Raises OffsetMismatch (409), ChecksumMismatch (460:
    nothing kept), FileTooLarge (413: more bytes than declared), UploadExpired (410),
    UploadBusy (423)."""
    async with _exclusive(file_id):
        async with uploads.sessionmaker() as session:
            await begin_read(session)
            stored = await access_own_upload(session, actor, file_id)
        if stored.status == "complete":
            if offset == stored.size:
                return stored
            raise OffsetMismatch(details={"offset": stored.size})
        _refuse_expired(stored)
        if offset != stored.offset:
            raise OffsetMismatch(details={"offset": stored.offset})
        incoming = _Incoming(body, limit=stored.size - offset, checksum=checksum, whole=_hasher_at(file_id, offset))
        writer = _writers[file_id]
        try:
            result = await uploads.storage.write(
                stored.storage_key, stored.storage_state, offset=offset, length=stored.size,
                chunks=incoming.chunks(writer.stop), accept=incoming.accepted,
            )  # fmt: skip
        except StorageError as exc:
            raise StorageUnavailable() from exc
        if result.offset != offset:
            async with uploads.sessionmaker() as session:
                moved = await repository.record_progress(
                    session, file_id, old_offset=offset, new_offset=result.offset, state=result.state,
                    expires_at=uploads.expiry(),
                )  # fmt: skip
                await session.commit()
            if not moved:
                raise OffsetMismatch("The upload moved on meanwhile; ask with HEAD and resume.")
            if incoming.whole is not None:
                _keep_hasher(file_id, result.offset, incoming.whole)
        if incoming.overflow:
            raise FileTooLarge("More bytes than Upload-Length declared.")
        if incoming.checksum_failed:
            raise ChecksumMismatch()
        stored.offset = result.offset
        stored.storage_state = result.state
    if stored.offset == stored.size:
        return await finish(uploads, file_id)
    return stored


async def finish(uploads: Uploads, file_id: str) -> StoredFile:
    """Make a fully received upload a file: complete the object, its sha256, a thumbnail
    for pictures, status ``complete``, a ``file.uploaded`` event. Idempotent, so a crash
    half-way is repaired by the next HEAD or PATCH."""
    async with uploads.sessionmaker() as session:
        await begin_read(session)
        stored = await session.get(StoredFile, file_id)
    if stored is None:
        raise UploadNotFound()
    if stored.status == "complete":
        return stored
    storage = uploads.storage
    try:
        await storage.complete(stored.storage_key, stored.storage_state, length=stored.size)
        digest = await _sha256(storage, stored)
        thumbnail = None
        if thumbnails.wants_thumbnail(stored.content_type, stored.size, uploads.settings.thumbnail_max_source_bytes):
            thumbnail = await thumbnails.make_thumbnail(storage.read(stored.storage_key))
            if thumbnail is not None:
                await storage.put(f"{stored.storage_key}.thumb", thumbnail.data)
    except StorageError as exc:
        raise StorageUnavailable() from exc
    async with uploads.sessionmaker() as session:
        row = await session.get(StoredFile, file_id, with_for_update=True)
        if row is None:
            raise UploadNotFound()
        if row.status != "complete":
            row.status, row.sha256, row.completed_at, row.expires_at = "complete", digest, clock.now(), None
            if thumbnail is not None:
                row.thumbnail_key = f"{row.storage_key}.thumb"
                row.width, row.height = thumbnail.width, thumbnail.height
            await session.flush()
            await record(
                session, FileUploaded(org_id=row.org_id, audience=(topics.user(row.owner_id),), file=file_view(row))
            )
        await session.commit()
    _hashers.pop(file_id, None)
    return row


async def terminate(uploads: Uploads, session: Session, actor: Actor, file_id: str) -> None:
    """tus termination: an unfinished upload is dropped and its bytes reclaimed."""
    stored = await access_own_upload(session, actor, file_id)
    if stored.status == "complete":
        raise UploadComplete("A finished file cannot be terminated.")
    writer = _writers.get(file_id)
    if writer is not None:
        writer.stop.set()
    try:
        await uploads.storage.abort(stored.storage_key, stored.storage_state)
    except StorageError as exc:
        raise StorageUnavailable() from exc
    await session.delete(stored)
    await session.flush()
    _hashers.pop(file_id, None)


async def reclaim_expired(uploads: Uploads, *, limit: int = 200) -> int:
    """Drop uploads idle past their expiry and reclaim their bytes. Returns how many."""
    now = clock.now()
    async with uploads.sessionmaker() as session:
        await begin_read(session)
        expired = await repository.expired_uploads(session, now, limit)
    reclaimed = 0
    for stored in expired:
        async with uploads.sessionmaker() as session:
            gone = await repository.delete_if_expired(session, stored.id, now)
            await session.commit()
        if gone:
            with contextlib.suppress(StorageError):
                await uploads.storage.abort(stored.storage_key, stored.storage_state)
            _hashers.pop(stored.id, None)
            reclaimed += 1
    return reclaimed


def _refuse_expired(stored: StoredFile) -> None:
    if stored.expires_at is not None and stored.expires_at < clock.now():
        raise UploadExpired()


async def _held(uploads: Uploads, stored: StoredFile) -> int:
    try:
        return await uploads.storage.held(stored.storage_key, stored.storage_state, stored.offset)
    except StorageError as exc:
        raise StorageUnavailable() from exc


async def _sha256(storage: Storage, stored: StoredFile) -> str:
    cached = _hashers.get(stored.id)
    if cached is not None and cached[0] == stored.size:
        return str(cached[1].hexdigest())
    # This node did not see every byte (a resume on another node, or a restart): read back.
    hasher = hashlib.sha256()
    async for chunk in storage.read(stored.storage_key):
        hasher.update(chunk)
    return hasher.hexdigest()


def _hasher_at(file_id: str, offset: int) -> Any:
    if offset == 0:
        return hashlib.sha256()
    cached = _hashers.get(file_id)
    return cached[1].copy() if cached is not None and cached[0] == offset else None


def _keep_hasher(file_id: str, offset: int, hasher: Any) -> None:
    _hashers[file_id] = (offset, hasher)
    _hashers.move_to_end(file_id)
    while len(_hashers) > HASHERS_KEPT:
        _hashers.popitem(last=False)


@contextlib.asynccontextmanager
async def _exclusive(file_id: str) -> AsyncIterator[_Writer]:
    while (current := _writers.get(file_id)) is not None:
        current.stop.set()
        try:
            await asyncio.wait_for(current.done.wait(), TAKEOVER_WAIT_SECONDS)
        except TimeoutError as exc:
            raise UploadBusy() from exc
    writer = _Writer()
    _writers[file_id] = writer
    try:
        yield writer
    finally:
        if _writers.get(file_id) is writer:
            del _writers[file_id]
        writer.done.set()


class _Incoming:
    """The request body on its way to storage: capped at the bytes still expected, hashed
    for Upload-Checksum and the file's sha256, coalesced into ~1 MiB pieces, and ended
    early (keeping what arrived) when the client goes away or a newer request takes over."""

    def __init__(self, body: Body, *, limit: int, checksum: tuple[str, bytes] | None, whole: Any) -> None:
        self.body = body
        self.limit = limit
        self.expected = checksum
        self.request_hasher = hashlib.new(checksum[0]) if checksum else None
        self.whole = whole
        self.received = 0
        self.interrupted = False
        self.overflow = False
        self.checksum_failed = False

    async def chunks(self, stop: asyncio.Event) -> AsyncIterator[bytes]:
        pending = bytearray()
        source = aiter(self.body)
        stopped = asyncio.ensure_future(stop.wait())
        try:
            while True:
                next_chunk = asyncio.ensure_future(anext(source))
                done, _ = await asyncio.wait({next_chunk, stopped}, return_when=asyncio.FIRST_COMPLETED)
                if next_chunk not in done:
                    next_chunk.cancel()
                    with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
                        await next_chunk
                    self.interrupted = True
                    break
                try:
                    chunk = next_chunk.result()
                except StopAsyncIteration:
                    break
                if self.received + len(chunk) > self.limit:
                    self.overflow = True
                    break
                self.received += len(chunk)
                self._hash(chunk)
                pending += chunk
                if len(pending) >= COALESCE_BYTES:
                    yield bytes(pending)
                    pending.clear()
            if pending:
                yield bytes(pending)
        finally:
            stopped.cancel()
        self.interrupted = self.interrupted or self.body.disconnected

    def _hash(self, chunk: bytes) -> None:
        if self.request_hasher is not None:
            self.request_hasher.update(chunk)
        if self.whole is not None:
            self.whole.update(chunk)

    def accepted(self) -> bool:
        if self.overflow:
            return False
        if self.expected is None or self.request_hasher is None:
            return True
        if self.interrupted or self.request_hasher.digest() != self.expected[1]:
            self.checksum_failed = True
            return False
        return True


def upload_expires_header(stored: StoredFile) -> str | None:
    if stored.expires_at is None:
        return None
    return stored.expires_at.strftime("%a, %d %b %Y %H:%M:%S GMT")


def _human(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    if size < 1024**3:
        return f"{size / 1024**2:.0f} MB"
    return f"{size / 1024**3:.1f} GB"
