"""The storage contract, run against every backend so they are proven to behave alike:
local disk, and S3 on a real S3-compatible server (SeaweedFS unless HOBNAIL_TEST_S3_URL).

Sizes straddle S3's 5 MiB part floor (the S3 backend runs with 5 MiB parts) so writes
leave tails, fill parts and finish on short last parts.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hobnail.storage.base import Storage, StorageError
from hobnail.storage.local import LocalStorage
from tests.storage.helpers import MIB, PART, digest, make_s3, new_key, read_all, write
from tests.support.s3 import S3Server

CONTRACT_BUCKET = "hobnail-contract"


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    if request.param == "local":
        return LocalStorage(tmp_path / "files")
    server: S3Server = request.getfixturevalue("s3_server")
    return make_s3(server, tmp_path, CONTRACT_BUCKET)


async def test_uneven_writes_then_whole_and_ranged_reads(storage: Storage) -> None:
    sizes = [3 * MIB, 6 * MIB, 1, 4 * MIB + 7]  # a tail; a part + tail; a longer tail; part + short last
    source = os.urandom(sum(sizes))
    key = new_key()
    state = await storage.begin(key)
    offset = 0
    for size in sizes:
        result = await write(storage, key, state, offset, len(source), source[offset : offset + size])
        assert result.offset == offset + size
        offset, state = result.offset, result.state
        assert await storage.held(key, state, offset) == offset
    await storage.complete(key, state, length=len(source))

    assert digest(await read_all(storage, key)) == digest(source)
    assert await read_all(storage, key, 0, 0) == source[:1]
    assert await read_all(storage, key, PART - 10, PART + 10) == source[PART - 10 : PART + 11]
    assert await read_all(storage, key, len(source) - 100) == source[-100:]
    assert await read_all(storage, key, 7 * MIB) == source[7 * MIB :]


async def test_rejected_write_changes_nothing(storage: Storage) -> None:
    source = os.urandom(9 * MIB)
    key = new_key()
    state = await storage.begin(key)
    first = await write(storage, key, state, 0, len(source), source[: 3 * MIB])
    # Wrong bytes long enough to upload a part before the checksum says no.
    garbage = os.urandom(6 * MIB)
    rejected = await write(storage, key, first.state, first.offset, len(source), garbage, accept=False)
    assert rejected == first
    assert await storage.held(key, first.state, first.offset) == 3 * MIB

    final = await write(storage, key, first.state, first.offset, len(source), source[3 * MIB :])
    assert final.offset == len(source)
    await storage.complete(key, final.state, length=len(source))
    assert digest(await read_all(storage, key)) == digest(source)


@pytest.mark.parametrize("lost", [MIB, 4 * MIB], ids=["tail-grows", "part-and-new-tail"])
async def test_write_never_recorded_is_overwritten(storage: Storage, lost: int) -> None:
    """A crash after a write but before the caller recorded its result: the next write
    starts again from the recorded offset and state, over different bytes."""
    source = os.urandom(3 * MIB + lost + 2 * MIB)
    key = new_key()
    state = await storage.begin(key)
    recorded = await write(storage, key, state, 0, len(source), source[: 3 * MIB])
    await write(storage, key, recorded.state, recorded.offset, len(source), os.urandom(lost))  # result dropped

    assert await storage.held(key, recorded.state, recorded.offset) == recorded.offset
    final = await write(storage, key, recorded.state, recorded.offset, len(source), source[3 * MIB :])
    await storage.complete(key, final.state, length=len(source))
    assert digest(await read_all(storage, key)) == digest(source)


async def test_stream_ending_early_keeps_what_arrived(storage: Storage) -> None:
    source = os.urandom(8 * MIB + 5)
    key = new_key()
    state = await storage.begin(key)
    # The client announced everything but went away after 6 MiB + 3 bytes.
    partial = await write(storage, key, state, 0, len(source), source[: 6 * MIB + 3])
    assert partial.offset == 6 * MIB + 3
    assert await storage.held(key, partial.state, partial.offset) == partial.offset

    rest = await write(storage, key, partial.state, partial.offset, len(source), source[partial.offset :])
    assert rest.offset == len(source)
    await storage.complete(key, rest.state, length=len(source))
    assert await read_all(storage, key) == source


async def test_held_never_exceeds_the_offset_asked_about(storage: Storage) -> None:
    key = new_key()
    state = await storage.begin(key)
    result = await write(storage, key, state, 0, 4 * MIB, b"x" * MIB)
    assert await storage.held(key, result.state, MIB) == MIB
    assert await storage.held(key, result.state, 10) == 10
    await storage.abort(key, result.state)


async def test_zero_byte_object(storage: Storage) -> None:
    key = new_key()
    state = await storage.begin(key)
    assert await storage.held(key, state, 0) == 0
    await storage.complete(key, state, length=0)
    assert await read_all(storage, key) == b""


async def test_abort_is_idempotent(storage: Storage) -> None:
    key = new_key()
    state = await storage.begin(key)
    result = await write(storage, key, state, 0, 20 * MIB, os.urandom(7 * MIB))
    await storage.abort(key, result.state)
    await storage.abort(key, result.state)
    with pytest.raises(StorageError):
        await read_all(storage, key)


async def test_read_of_a_missing_object_fails(storage: Storage) -> None:
    with pytest.raises(StorageError):
        await read_all(storage, new_key())


async def test_bad_key_is_refused(storage: Storage) -> None:
    with pytest.raises(StorageError):
        await storage.put("../escape", b"x")


async def test_put_read_delete(storage: Storage) -> None:
    key = new_key()
    await storage.put(key, b"thumbnail bytes")
    assert await read_all(storage, key) == b"thumbnail bytes"
    assert await read_all(storage, key, 10) == b"bytes"
    assert await read_all(storage, key, 100) == b""  # past the end: nothing, not an error
    await storage.put(key, b"replaced")
    assert await read_all(storage, key) == b"replaced"
    await storage.delete(key)
    await storage.delete(key)
    with pytest.raises(StorageError):
        await read_all(storage, key)
