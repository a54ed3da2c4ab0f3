"""Helpers shared by the storage tests."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

from hobnail.storage.base import State, Storage, WriteResult
from hobnail.storage.s3 import S3Storage
from tests.support.s3 import S3Server

MIB = 1024 * 1024
PART = 5 * MIB


def make_s3(server: S3Server, tmp_path: Path, bucket: str) -> S3Storage:
    return S3Storage(
        endpoint_url=server.endpoint_url,
        bucket=bucket,
        region=server.region,
        access_key_id=server.access_key_id,
        secret_access_key=server.secret_access_key,
        part_size=PART,
        staging_dir=tmp_path / "staging",
    )


def new_key() -> str:
    return f"objects/{uuid.uuid4().hex}"


async def stream(data: bytes, chunk: int = 300_007) -> AsyncIterator[bytes]:
    """Uneven chunks, as a network would deliver them."""
    for start in range(0, len(data), chunk):
        yield data[start : start + chunk]


async def write(
    storage: Storage, key: str, state: State, offset: int, length: int, data: bytes, *, accept: bool = True
) -> WriteResult:
    return await storage.write(key, state, offset=offset, length=length, chunks=stream(data), accept=lambda: accept)


async def read_all(storage: Storage, key: str, start: int = 0, end: int | None = None) -> bytes:
    return b"".join([chunk async for chunk in storage.read(key, start, end)])


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
