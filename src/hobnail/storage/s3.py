"""Objects in an S3-compatible bucket (AWS S3, MinIO, SeaweedFS, Ceph RGW, R2, …).

An incomplete object is an S3 multipart upload. S3 takes parts of at least 5 MiB (only the
last may be smaller) but a tus PATCH carries any number of bytes, so each ``write`` streams
its bytes through a staging file on local disk, uploads a part each time the file holds
``part_size`` bytes, and parks a remainder too small for a part as a *tail* object beside
the upload; the next write fetches the tail back first. Neither memory nor disk holds more
than about one part per write.

State the caller persists: ``{"upload_id": str, "parts": [{"n": int, "etag": str, "size":
int}], "tail": int}``. Bytes a write sent that the caller never recorded are harmless: later
writes reuse their part numbers (S3 keeps the last upload of a number, and completion names
only recorded parts), and a tail object's name carries the offset it starts at, so a new
tail never replaces, with other bytes, the one a recorded state points to. Superseded tails
are deleted at the start of the next write, once the caller has recorded which is current.

Precondition for every method taking a key of an incomplete object: one call at a time per
key (the caller serialises writes to an upload, e.g. by locking its row).

boto3 is synchronous; each call runs in a worker thread so the event loop keeps serving.
"""

from __future__ import annotations

import asyncio
import re
import tempfile
import threading
from collections.abc import AsyncIterable, AsyncIterator, Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, ParamSpec, TypedDict, TypeVar

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from hobnail.storage.base import State, Storage, StorageError, WriteResult

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_s3.type_defs import CompletedPartTypeDef

MIN_PART = 5 * 1024 * 1024  # S3's floor for every part but the last
MAX_PART = 5 * 1024 * 1024 * 1024
READ_CHUNK = 1024 * 1024
SAFE_KEY = re.compile(r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*")  # the same keys LocalStorage accepts
P = ParamSpec("P")
T = TypeVar("T")


class Part(TypedDict):
    n: int
    etag: str
    size: int


class S3Storage(Storage):
    name = "s3"

    def __init__(
        self,
        *,
        endpoint_url: str | None,
        bucket: str,
        region: str,
        access_key_id: str | None,
        secret_access_key: str | None,
        part_size: int,
        staging_dir: Path,
    ) -> None:
        """No I/O here: the client is made, and the bucket created if missing, on first use."""
        self.endpoint_url = endpoint_url
        self.bucket = bucket
        self.region = region
        self.access_key_id = access_key_id
        self.secret_access_key = secret_access_key
        self.part_size = min(max(part_size, MIN_PART), MAX_PART)
        self.staging_dir = staging_dir
        self._s3: S3Client | None = None
        self._lock = threading.Lock()

    # -- the interface -------------------------------------------------------------------

    async def begin(self, key: str) -> State:
        """Side effect: creates a multipart upload, which holds storage until completed or aborted."""
        _check_key(key)
        response = await self._run(lambda: self._client().create_multipart_upload(Bucket=self.bucket, Key=key))
        return {"upload_id": response["UploadId"], "parts": [], "tail": 0}

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
        """Precondition: ``state`` and ``offset`` are what the caller recorded last (so
        ``offset`` equals the recorded parts plus tail). Side effects: uploads parts and a
        tail object; deletes tail objects the recorded state no longer points to."""
        _check_key(key)
        upload_id, parts, tail = _parse(key, state)
        start = sum(part["size"] for part in parts)
        if start + tail != offset:
            raise StorageError(f"{key}: the state holds {start + tail} bytes, not the offset {offset}")
        await self._run(self._drop_tails, key, keep=_tail_key(key, start) if tail else None)
        staging = await self._run(self._open_staging)
        try:
            if tail:
                await self._run(self._fetch_tail, key, start, tail, staging)
            pending: list[Part] = []
            buffered, received = tail, 0
            async for chunk in chunks:
                received += len(chunk)
                if offset + received > length:
                    raise StorageError(f"{key}: more bytes than the declared length {length}")
                view = memoryview(chunk)
                while view:
                    piece = view[: self.part_size - buffered]
                    await self._run(staging.write, piece)
                    buffered += len(piece)
                    view = view[len(piece) :]
                    if buffered == self.part_size:
                        number = len(parts) + len(pending) + 1
                        pending.append(await self._run(self._upload_part, key, upload_id, number, staging, buffered))
                        buffered = 0
            if not accept():
                # Pending parts stay unrecorded; later writes upload over their numbers.
                return WriteResult(offset, state)
            new_offset = offset + received
            new_tail = 0
            if buffered and (new_offset == length or buffered >= MIN_PART):
                number = len(parts) + len(pending) + 1
                pending.append(await self._run(self._upload_part, key, upload_id, number, staging, buffered))
            elif buffered:
                tail_start = start + sum(part["size"] for part in pending)
                await self._run(self._put_tail, key, tail_start, staging)
                new_tail = buffered
            return WriteResult(new_offset, {"upload_id": upload_id, "parts": [*parts, *pending], "tail": new_tail})
        finally:
            await asyncio.to_thread(staging.close)

    async def held(self, key: str, state: State, offset: int) -> int:
        # An upload call that returned is durable in S3, so the recorded state is the truth.
        _, parts, tail = _parse(key, state)
        return min(sum(part["size"] for part in parts) + tail, offset)

    async def complete(self, key: str, state: State, *, length: int) -> None:
        """Precondition: every byte was written and accepted. Side effects: the object becomes
        readable; the multipart upload and tail objects go away. Safe to repeat after a crash."""
        _check_key(key)
        upload_id, parts, tail = _parse(key, state)
        held = sum(part["size"] for part in parts) + tail
        if held != length or tail:
            raise StorageError(f"{key}: cannot complete {length} bytes, {held} held ({tail} in a tail)")

        def finish() -> None:
            client = self._client()
            if not parts:
                # S3 cannot complete an upload with no parts: store the empty object directly.
                self._abort_upload(key, upload_id)
                client.put_object(Bucket=self.bucket, Key=key, Body=b"")
            else:
                listed: list[CompletedPartTypeDef] = [{"PartNumber": p["n"], "ETag": p["etag"]} for p in parts]
                try:
                    client.complete_multipart_upload(
                        Bucket=self.bucket, Key=key, UploadId=upload_id, MultipartUpload={"Parts": listed}
                    )
                except ClientError as exc:
                    # A retry after a crash: the upload is gone because it was completed.
                    if _code(exc) != "NoSuchUpload" or self._size(key) != length:
                        raise
            self._drop_tails(key, keep=None)

        await self._run(finish)

    async def abort(self, key: str, state: State) -> None:
        _check_key(key)
        upload_id = state.get("upload_id")

        def discard() -> None:
            if isinstance(upload_id, str):
                self._abort_upload(key, upload_id)
            self._drop_tails(key, keep=None)

        await self._run(discard)

    async def read(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        _check_key(key)
        # No Range for the whole object: S3 refuses "bytes=0-" on an empty one.
        wanted = None if start == 0 and end is None else f"bytes={start}-{'' if end is None else end}"

        def open_body() -> Any:
            try:
                if wanted is None:
                    return self._client().get_object(Bucket=self.bucket, Key=key)["Body"]
                return self._client().get_object(Bucket=self.bucket, Key=key, Range=wanted)["Body"]
            except ClientError as exc:
                if _code(exc) in {"NoSuchKey", "404"}:
                    raise StorageError(f"object {key} is missing") from exc
                if _code(exc) == "InvalidRange":
                    return None  # starts past the end: nothing to send, as on local disk
                raise

        body = await self._run(open_body)
        if body is None:
            return
        try:
            while chunk := await self._run(body.read, READ_CHUNK):
                yield chunk
        finally:
            await asyncio.to_thread(body.close)

    async def put(self, key: str, data: bytes) -> None:
        _check_key(key)
        await self._run(lambda: self._client().put_object(Bucket=self.bucket, Key=key, Body=data))

    async def delete(self, key: str) -> None:
        _check_key(key)
        await self._run(lambda: self._client().delete_object(Bucket=self.bucket, Key=key))

    # -- blocking helpers, run in worker threads -----------------------------------------

    def _client(self) -> S3Client:
        """The shared client (boto3 clients are thread-safe; making one is not)."""
        with self._lock:
            if self._s3 is None:
                config = Config(
                    signature_version="s3v4",
                    s3={"addressing_style": "path"},
                    retries={"mode": "standard"},
                    connect_timeout=10,
                    read_timeout=60,
                    # botocore ≥ 1.36 adds CRC trailers that many S3-compatible servers reject;
                    # the payload is still covered by SigV4 (HTTP) or TLS, and tus checksums.
                    request_checksum_calculation="when_required",
                    response_checksum_validation="when_required",
                )
                client = boto3.session.Session().client(
                    "s3",
                    endpoint_url=self.endpoint_url,
                    region_name=self.region or None,
                    aws_access_key_id=self.access_key_id,
                    aws_secret_access_key=self.secret_access_key,
                    config=config,
                )
                self._ensure_bucket(client)
                self._s3 = client
            return self._s3

    def _ensure_bucket(self, client: S3Client) -> None:
        try:
            client.head_bucket(Bucket=self.bucket)
            return
        except ClientError as exc:
            if _code(exc) not in {"404", "NoSuchBucket", "NotFound"}:
                raise
        try:
            if self.region and self.region != "us-east-1":
                client.create_bucket(
                    Bucket=self.bucket,
                    # The stubs list AWS's regions; S3-compatible servers name their own.
                    CreateBucketConfiguration={"LocationConstraint": self.region},  # type: ignore[typeddict-item]
                )
            else:
                client.create_bucket(Bucket=self.bucket)
        except ClientError as exc:
            # Another node (or this one, earlier) won the race.
            if _code(exc) not in {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}:
                raise

    def _open_staging(self) -> IO[bytes]:
        # Unnamed where the OS allows (O_TMPFILE): the kernel reclaims it even after a crash.
        self.staging_dir.mkdir(parents=True, exist_ok=True)
        return tempfile.TemporaryFile(dir=self.staging_dir)

    def _upload_part(self, key: str, upload_id: str, number: int, staging: IO[bytes], size: int) -> Part:
        """Upload the staging file as part ``number``, then empty it."""
        staging.seek(0)
        response = self._client().upload_part(
            Bucket=self.bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=staging, ContentLength=size
        )
        staging.seek(0)
        staging.truncate()
        return {"n": number, "etag": response["ETag"], "size": size}

    def _put_tail(self, key: str, start: int, staging: IO[bytes]) -> None:
        staging.seek(0)
        self._client().put_object(Bucket=self.bucket, Key=_tail_key(key, start), Body=staging)

    def _fetch_tail(self, key: str, start: int, size: int, staging: IO[bytes]) -> None:
        """Copy the recorded ``size`` bytes of the tail into the empty staging file. A later,
        unrecorded write may have lengthened the tail object; its first bytes are unchanged."""
        try:
            response = self._client().get_object(
                Bucket=self.bucket, Key=_tail_key(key, start), Range=f"bytes=0-{size - 1}"
            )
        except ClientError as exc:
            if _code(exc) in {"NoSuchKey", "404", "InvalidRange"}:
                raise StorageError(f"{key}: the tail of {size} bytes at {start} is missing") from exc
            raise
        body = response["Body"]
        copied = 0
        try:
            while chunk := body.read(READ_CHUNK):
                staging.write(chunk)
                copied += len(chunk)
        finally:
            body.close()
        if copied != size:
            raise StorageError(f"{key}: the tail at {start} holds {copied} bytes, not {size}")

    def _drop_tails(self, key: str, *, keep: str | None) -> None:
        """Delete this key's tail objects except ``keep`` (at most a few, so one listing page)."""
        client = self._client()
        listing = client.list_objects_v2(Bucket=self.bucket, Prefix=_tail_key(key, None))
        for entry in listing.get("Contents", []):
            name = entry.get("Key")
            if name and name != keep:
                client.delete_object(Bucket=self.bucket, Key=name)

    def _abort_upload(self, key: str, upload_id: str) -> None:
        try:
            self._client().abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)
        except ClientError as exc:
            if _code(exc) not in {"NoSuchUpload", "404"}:
                raise

    def _size(self, key: str) -> int | None:
        try:
            return self._client().head_object(Bucket=self.bucket, Key=key)["ContentLength"]
        except ClientError as exc:
            if _code(exc) in {"NoSuchKey", "404", "NotFound"}:
                return None
            raise

    async def _run(self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run blocking work in a thread; S3 and staging-disk failures become StorageError."""
        try:
            return await asyncio.to_thread(function, *args, **kwargs)
        except (ClientError, BotoCoreError) as exc:
            raise StorageError(f"S3 bucket {self.bucket!r}: {exc}") from exc
        except OSError as exc:
            raise StorageError(f"S3 staging in {self.staging_dir}: {exc}") from exc


def _tail_key(key: str, start: int | None) -> str:
    """The tail of ``key`` starting at byte ``start``; None gives the prefix of all its tails."""
    return f"{key}.tail-" + ("" if start is None else str(start))


def _parse(key: str, state: State) -> tuple[str, list[Part], int]:
    try:
        upload_id = str(state["upload_id"])
        parts: list[Part] = [
            {"n": int(part["n"]), "etag": str(part["etag"]), "size": int(part["size"])} for part in state["parts"]
        ]
        tail = int(state.get("tail", 0))
    except (KeyError, TypeError, ValueError) as exc:
        raise StorageError(f"{key}: malformed S3 upload state {state!r}") from exc
    return upload_id, parts, tail


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _check_key(key: str) -> None:
    """Keys are generated ids; refuse anything odd so both backends accept the same keys."""
    if not SAFE_KEY.fullmatch(key) or ".." in key:
        raise StorageError(f"bad key {key!r}")
