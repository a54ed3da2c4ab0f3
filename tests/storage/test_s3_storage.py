"""What only the S3 backend has: multipart state, tail objects, reclaiming, the bucket."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import pytest

from hobnail.storage.base import StorageError
from hobnail.storage.s3 import S3Storage
from tests.storage.helpers import MIB, PART, make_s3, new_key, read_all, write
from tests.support.s3 import S3Server, free_ports, unique_bucket

pytestmark = pytest.mark.s3
BUCKET = "hobnail-s3-backend"


@pytest.fixture
def storage(s3_server: S3Server, tmp_path: Path) -> S3Storage:
    return make_s3(s3_server, tmp_path, BUCKET)


@pytest.fixture(scope="module")
def client(s3_server: S3Server) -> Any:
    return s3_server.client()


def leftovers(client: Any, key: str) -> tuple[list[str], list[str]]:
    """(multipart uploads, objects) under ``key`` and its tails."""
    uploads = client.list_multipart_uploads(Bucket=BUCKET, Prefix=key).get("Uploads", [])
    objects = client.list_objects_v2(Bucket=BUCKET, Prefix=key).get("Contents", [])
    return [u["UploadId"] for u in uploads], [o["Key"] for o in objects]


async def test_parts_and_tails_follow_the_bytes(storage: S3Storage, client: Any) -> None:
    source = os.urandom(13 * MIB + 8)
    key = new_key()
    state = await storage.begin(key)
    assert state["parts"] == [] and state["tail"] == 0

    first = await write(storage, key, state, 0, len(source), source[: 3 * MIB])
    assert first.state["parts"] == [] and first.state["tail"] == 3 * MIB
    assert leftovers(client, key)[1] == [f"{key}.tail-0"]

    second = await write(storage, key, first.state, first.offset, len(source), source[3 * MIB : 9 * MIB])
    assert [p["size"] for p in second.state["parts"]] == [PART]
    assert second.state["tail"] == 4 * MIB
    # The superseded tail stays until the next write: the caller may not have recorded this one yet.
    assert sorted(leftovers(client, key)[1]) == [f"{key}.tail-0", f"{key}.tail-{PART}"]

    last = await write(storage, key, second.state, second.offset, len(source), source[9 * MIB :])
    assert [p["size"] for p in last.state["parts"]] == [PART, PART, len(source) - 2 * PART]
    assert [p["n"] for p in last.state["parts"]] == [1, 2, 3]
    assert last.state["tail"] == 0
    assert leftovers(client, key)[1] == [f"{key}.tail-{PART}"]  # tail-0 went at the start of that write

    await storage.complete(key, last.state, length=len(source))
    assert leftovers(client, key) == ([], [key])
    await storage.complete(key, last.state, length=len(source))  # a retry after a crash is harmless
    assert await read_all(storage, key) == source
    assert list(storage.staging_dir.iterdir()) == []


async def test_abort_reclaims_upload_and_tails(storage: S3Storage, client: Any) -> None:
    key = new_key()
    state = await storage.begin(key)
    result = await write(storage, key, state, 0, 30 * MIB, os.urandom(7 * MIB))
    assert result.state["tail"] == 2 * MIB
    uploads, objects = leftovers(client, key)
    assert len(uploads) == 1 and objects == [f"{key}.tail-{PART}"]

    await storage.abort(key, result.state)
    assert leftovers(client, key) == ([], [])
    await storage.abort(key, result.state)
    await storage.abort(key, {})  # begin's state never recorded: nothing to do


async def test_zero_byte_object_leaves_no_upload(storage: S3Storage, client: Any) -> None:
    key = new_key()
    state = await storage.begin(key)
    await storage.complete(key, state, length=0)
    assert leftovers(client, key) == ([], [key])
    assert client.head_object(Bucket=BUCKET, Key=key)["ContentLength"] == 0


async def test_state_that_disagrees_with_the_offset_is_refused(storage: S3Storage) -> None:
    key = new_key()
    state = await storage.begin(key)
    with pytest.raises(StorageError, match="offset"):
        await write(storage, key, state, 5, 100, b"x")
    with pytest.raises(StorageError, match="malformed"):
        await write(storage, key, {"parts": []}, 0, 100, b"x")
    with pytest.raises(StorageError, match="cannot complete"):
        await storage.complete(key, state, length=10)
    await storage.abort(key, state)


async def test_bucket_is_created_on_first_use(s3_server: S3Server, tmp_path: Path, client: Any) -> None:
    bucket = unique_bucket()
    # Two nodes starting together both find the bucket missing and both create it.
    first, second = make_s3(s3_server, tmp_path, bucket), make_s3(s3_server, tmp_path, bucket)
    await asyncio.gather(first.put("a", b"1"), second.put("b", b"2"))
    assert await read_all(first, "b") == b"2"
    names = {entry["Name"] for entry in client.list_buckets()["Buckets"]}
    assert bucket in names


async def test_unreachable_server_is_a_storage_error(tmp_path: Path) -> None:
    (port,) = free_ports(1)  # nothing listens there
    storage = S3Storage(
        endpoint_url=f"http://127.0.0.1:{port}",
        bucket="nowhere",
        region="us-east-1",
        access_key_id="x",
        secret_access_key="y",
        part_size=PART,
        staging_dir=tmp_path / "staging",
    )
    with pytest.raises(StorageError, match="nowhere"):
        await storage.put("a", b"1")


async def test_wrong_credentials_are_a_storage_error(s3_server: S3Server, tmp_path: Path) -> None:
    if not s3_server.access_key_id:
        pytest.skip("the configured S3 server takes anonymous requests")
    storage = S3Storage(
        endpoint_url=s3_server.endpoint_url,
        bucket=BUCKET,
        region=s3_server.region,
        access_key_id=s3_server.access_key_id,
        secret_access_key="not-the-secret",
        part_size=PART,
        staging_dir=tmp_path / "staging",
    )
    with pytest.raises(StorageError):
        await storage.put(new_key(), b"1")
