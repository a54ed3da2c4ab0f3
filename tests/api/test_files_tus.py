"""The tus 1.0.0 endpoint, spoken by a real tus client (tuspy) and by hand for bad input."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import io
import os
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from tusclient import client as tus_client
from tusclient.storage.interface import Storage as UrlStorage

from hobnail.core import clock
from hobnail.domains.files import uploads
from tests.support import files
from tests.support.api import check, member_client, settle, setup_org
from tests.support.live import live_server

TUS = files.TUS
MIB = 1024 * 1024


async def api_token(client: httpx.AsyncClient) -> str:
    return str(check(await client.post("/api/v1/me/tokens", json={"name": "tus"}), 201)["token"])


def incoming_dir(app: FastAPI) -> Path:
    return Path(app.state.settings.data_dir) / "files" / "incoming"


async def test_discovery_names_version_extensions_and_checksums(client: httpx.AsyncClient) -> None:
    response = await client.options("/api/v1/uploads/")
    assert response.status_code == 204
    assert response.headers["Tus-Version"] == "1.0.0"
    extensions = set(response.headers["Tus-Extension"].split(","))
    assert {"creation", "creation-with-upload", "termination", "expiration", "checksum"} <= extensions
    assert set(response.headers["Tus-Checksum-Algorithm"].split(",")) == {"sha1", "sha256"}
    assert int(response.headers["Tus-Max-Size"]) == 4 * 1024**3


async def test_tuspy_uploads_with_checksums_and_the_file_keeps_its_chinese_name(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await setup_org(client)
    token = await api_token(client)
    data = os.urandom(5 * MIB + 123)
    async with live_server(app) as host:
        tus = tus_client.TusClient(f"http://{host}/api/v1/uploads/", headers={"Authorization": f"Bearer {token}"})
        uploader = tus.async_uploader(
            file_stream=_stream(data), chunk_size=MIB, metadata={"filename": "季度报告 Q3.pdf"},
            upload_checksum=True,
        )  # fmt: skip
        await uploader.upload()
        assert uploader.offset == len(data)
        upload_url = uploader.url
    assert upload_url is not None
    head = await client.head(httpx.URL(upload_url).path, headers=TUS)
    assert head.headers["Upload-Offset"] == head.headers["Upload-Length"] == str(len(data))
    described = check(await client.get(f"/api/v1/files/{head.headers['Hobnail-File-Id']}"))
    assert described["name"] == "季度报告 Q3.pdf"
    assert described["content_type"] == "application/pdf"
    assert described["sha256"] == hashlib.sha256(data).hexdigest()
    download = await files.fetch(client, described["download_url"])
    assert download.content == data
    assert "filename*=UTF-8''%E5%AD%A3%E5%BA%A6%E6%8A%A5%E5%91%8A%20Q3.pdf" in download.headers["Content-Disposition"]


async def test_an_interrupted_upload_is_resumed_by_a_new_client(
    app: FastAPI, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    await setup_org(client)
    token = await api_token(client)
    data = os.urandom(4 * MIB + 17)
    urls = MemoryUrls()
    async with live_server(app) as host:
        endpoint = f"http://{host}/api/v1/uploads/"
        first = tus_client.TusClient(endpoint, headers={"Authorization": f"Bearer {token}"})
        uploader = first.async_uploader(
            file_stream=_stream(data), chunk_size=MIB, metadata={"filename": "video.mp4"}, store_url=True,
            url_storage=urls,
        )  # fmt: skip
        await uploader.upload(stop_at=2 * MIB)  # the laptop lid closes here
        assert uploader.offset == 2 * MIB
        # A new client (a reloaded page) finds the upload by the file's fingerprint and
        # asks the server where to go on.
        second = tus_client.TusClient(endpoint, headers={"Authorization": f"Bearer {token}"})
        # (tuspy asks with a blocking HEAD while constructing; the server runs in this loop.)
        resumed = await asyncio.to_thread(
            second.async_uploader,
            file_stream=_stream(data), chunk_size=MIB, metadata={"filename": "video.mp4"}, store_url=True,
            url_storage=urls,
        )  # fmt: skip
        assert resumed.url == uploader.url
        assert resumed.offset == 2 * MIB
        await resumed.upload()
    head = await client.head(httpx.URL(str(resumed.url)).path, headers=TUS)
    described = check(await client.get(f"/api/v1/files/{head.headers['Hobnail-File-Id']}"))
    assert described["sha256"] == hashlib.sha256(data).hexdigest()
    assert (await files.fetch(client, described["download_url"])).content == data


async def test_a_hanging_request_is_taken_over_by_the_resuming_client(app: FastAPI, client: httpx.AsyncClient) -> None:
    """The old connection still waits for its body when the client comes back: the new
    request stops it, the bytes it received are kept, and the client resumes from there."""
    await setup_org(client)
    token = await api_token(client)
    data = os.urandom(3 * MIB)
    url = await files.create(client, len(data), "big.bin")
    async with live_server(app) as host:
        _reader, writer = await asyncio.open_connection(*host.split(":"))
        writer.write(
            f"PATCH {url} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\nTus-Resumable: 1.0.0\r\n"
            f"Content-Type: application/offset+octet-stream\r\nUpload-Offset: 0\r\n"
            f"Content-Length: {len(data)}\r\n\r\n".encode()
        )
        writer.write(data[:MIB])
        await writer.drain()
        await asyncio.sleep(0.3)  # the server has the first MiB and waits for more
        async with httpx.AsyncClient(base_url=f"http://{host}", headers={"Authorization": f"Bearer {token}"}) as fresh:
            retry = await files.patch(fresh, url, 0, data)
            assert retry.status_code == 409  # the old request recorded its MiB meanwhile
            offset = int((await fresh.head(url, headers=TUS)).headers["Upload-Offset"])
            assert offset == MIB
            check(await files.patch(fresh, url, offset, data[offset:]), 204)
        writer.close()
    head = await client.head(url, headers=TUS)
    described = check(await client.get(f"/api/v1/files/{head.headers['Hobnail-File-Id']}"))
    assert described["sha256"] == hashlib.sha256(data).hexdigest()


async def test_creation_with_upload_and_zero_byte_files(client: httpx.AsyncClient) -> None:
    await setup_org(client)
    response = await client.post(
        "/api/v1/uploads/",
        content=b"hello",
        headers={**files.OCTETS, "Upload-Length": "5", "Upload-Metadata": files.metadata("hi.txt")},
    )
    assert response.status_code == 201
    assert response.headers["Upload-Offset"] == "5"
    described = check(await client.get(f"/api/v1/files/{response.headers['Hobnail-File-Id']}"))
    assert described["content_type"] == "text/plain"
    assert (await files.fetch(client, described["download_url"])).content == b"hello"

    empty = await client.post(
        "/api/v1/uploads/", headers={**TUS, "Upload-Length": "0", "Upload-Metadata": files.metadata("empty.txt")}
    )
    assert empty.status_code == 201
    described = check(await client.get(f"/api/v1/files/{empty.headers['Hobnail-File-Id']}"))
    assert described["size"] == 0
    assert described["sha256"] == hashlib.sha256(b"").hexdigest()
    assert (await files.fetch(client, described["download_url"])).content == b""


async def test_protocol_errors(client: httpx.AsyncClient) -> None:
    await setup_org(client)
    url = await files.create(client, 10, "a.txt")
    assert (await client.head(url)).status_code == 412  # no Tus-Resumable
    assert (await client.head(url, headers={"Tus-Resumable": "0.2.2"})).headers["Tus-Version"] == "1.0.0"
    assert (await files.patch(client, url, 3, b"abc")).status_code == 409
    wrong_type = await client.patch(url, content=b"abc", headers={**TUS, "Upload-Offset": "0"})
    assert wrong_type.status_code == 415
    no_offset = await client.patch(url, content=b"abc", headers=files.OCTETS)
    assert no_offset.status_code == 400
    assert (await files.patch(client, url, 0, b"x" * 11)).status_code == 413  # more than declared
    assert (await client.head(url, headers=TUS)).headers["Upload-Offset"] == "0"
    no_length = await client.post("/api/v1/uploads/", headers=TUS)
    assert no_length.status_code == 400
    assert no_length.json()["error"]["code"] == "invalid_upload_length"
    deferred = await client.post("/api/v1/uploads/", headers={**TUS, "Upload-Defer-Length": "1"})
    assert deferred.status_code == 400
    bad_metadata = await client.post(
        "/api/v1/uploads/", headers={**TUS, "Upload-Length": "1", "Upload-Metadata": "filename ***"}
    )
    assert bad_metadata.json()["error"]["code"] == "invalid_upload_metadata"
    assert (await client.head("/api/v1/uploads/nope", headers=TUS)).status_code == 404


async def test_checksums_sha1_and_sha256_and_a_mismatch_keeps_nothing(client: httpx.AsyncClient) -> None:
    await setup_org(client)
    url = await files.create(client, 8, "c.bin")
    good = "sha256 " + base64.b64encode(hashlib.sha256(b"abcd").digest()).decode()
    check(await files.patch(client, url, 0, b"abcd", **{"Upload-Checksum": good}), 204)
    wrong = "sha1 " + base64.b64encode(hashlib.sha1(b"something else").digest()).decode()
    mismatch = await files.patch(client, url, 4, b"efgh", **{"Upload-Checksum": wrong})
    assert mismatch.status_code == 460
    assert mismatch.json()["error"]["code"] == "checksum_mismatch"
    assert (await client.head(url, headers=TUS)).headers["Upload-Offset"] == "4"
    unknown = await files.patch(client, url, 4, b"efgh", **{"Upload-Checksum": "md5 AAAA"})
    assert unknown.status_code == 400
    right = "sha1 " + base64.b64encode(hashlib.sha1(b"efgh").digest()).decode()
    done = await files.patch(client, url, 4, b"efgh", **{"Upload-Checksum": right})
    assert done.status_code == 204
    described = check(await client.get(f"/api/v1/files/{done.headers['Hobnail-File-Id']}"))
    assert described["sha256"] == hashlib.sha256(b"abcdefgh").hexdigest()


@pytest.mark.parametrize(
    ("name", "reason"),
    [("../../etc/passwd", "/"), ("a\\b.txt", "/"), ("bad\x07name.txt", "control"), ("长" * 300, "255")],
)
async def test_file_names_that_cannot_be_used(client: httpx.AsyncClient, name: str, reason: str) -> None:
    await setup_org(client)
    response = await client.post(
        "/api/v1/uploads/", headers={**TUS, "Upload-Length": "3", "Upload-Metadata": files.metadata(name)}
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_file_name"
    assert reason in response.json()["error"]["message"]


async def test_size_limit_and_quota(client: httpx.AsyncClient) -> None:
    await setup_org(client)
    check(await client.patch("/api/v1/files/settings", json={"max_file_mb": 1, "quota_mb": 2}))
    too_big = await client.post(
        "/api/v1/uploads/", headers={**TUS, "Upload-Length": str(MIB + 1), "Upload-Metadata": files.metadata("x")}
    )
    assert too_big.status_code == 413
    assert too_big.json()["error"]["code"] == "file_too_large"
    await files.upload(client, os.urandom(MIB), "one.bin")
    await files.create(client, MIB - 10, "two.bin")  # in progress: it reserves its space
    full = await client.post(
        "/api/v1/uploads/", headers={**TUS, "Upload-Length": "11", "Upload-Metadata": files.metadata("three")}
    )
    assert full.status_code == 413
    assert full.json()["error"]["code"] == "quota_exceeded"
    usage = check(await client.get("/api/v1/files/settings"))
    assert usage["used_bytes"] == 2 * MIB - 10
    assert usage["quota_bytes"] == 2 * MIB
    assert usage["file_count"] == 2


async def test_members_cannot_change_file_settings_or_touch_others_uploads(
    client: httpx.AsyncClient, make_client: object
) -> None:
    await setup_org(client)
    url = await files.create(client, 10, "mine.txt")
    other, _ = await member_client(client, await make_client(), name="李四", email="li@example.com")  # type: ignore[operator]
    assert (await other.patch("/api/v1/files/settings", json={"quota_mb": 1})).status_code == 403
    assert (await files.patch(other, url, 0, b"0123456789")).status_code == 404
    assert (await other.head(url, headers=TUS)).status_code == 404
    assert (await other.delete(url, headers=TUS)).status_code == 404
    assert (await client.head(url, headers=TUS)).headers["Upload-Offset"] == "0"


async def test_termination_reclaims_the_bytes(app: FastAPI, client: httpx.AsyncClient) -> None:
    await setup_org(client)
    url = await files.create(client, 100, "gone.txt")
    check(await files.patch(client, url, 0, b"x" * 50), 204)
    assert any(incoming_dir(app).rglob("*"))
    assert (await client.delete(url, headers=TUS)).status_code == 204
    assert (await client.head(url, headers=TUS)).status_code == 404
    assert not [p for p in incoming_dir(app).rglob("*") if p.is_file()]
    assert check(await client.get("/api/v1/uploads")) == []


async def test_abandoned_uploads_expire_and_are_reclaimed(app: FastAPI, client: httpx.AsyncClient) -> None:
    await setup_org(client)
    url = await files.create(client, 100, "half.txt")
    response = await files.patch(client, url, 0, b"x" * 40)
    assert "GMT" in response.headers["Upload-Expires"]
    pending = check(await client.get("/api/v1/uploads"))
    assert [(u["name"], u["offset"], u["size"]) for u in pending] == [("half.txt", 40, 100)]
    clock.advance(timedelta(hours=23))
    check(await files.patch(client, url, 40, b"y" * 10), 204)  # activity keeps it alive
    clock.advance(timedelta(hours=24, minutes=1))
    assert (await client.head(url, headers=TUS)).status_code == 410
    assert (await files.patch(client, url, 50, b"z")).status_code == 410
    clock.advance(timedelta(hours=1))
    await app.state.runner.schedule_periodic()
    await settle(app)  # the periodic reclaim job runs
    assert (await client.head(url, headers=TUS)).status_code == 404
    assert not [p for p in incoming_dir(app).rglob("*") if p.is_file()]
    assert check(await client.get("/api/v1/files/settings"))["used_bytes"] == 0


class _KeepOpen(io.BytesIO):
    """tuspy closes the stream after fingerprinting it, then reads it again."""

    def close(self) -> None:
        pass


def _stream(data: bytes) -> io.BytesIO:
    return _KeepOpen(data)


class MemoryUrls(UrlStorage):
    """Where a tus client remembers upload URLs by file fingerprint (a browser uses localStorage)."""

    def __init__(self) -> None:
        self.items: dict[str, str] = {}

    def get_item(self, key: str) -> str | None:
        return self.items.get(key)

    def set_item(self, key: str, value: str) -> None:
        self.items[key] = value

    def remove_item(self, key: str) -> None:
        self.items.pop(key, None)


async def test_a_restart_mid_upload_loses_nothing(settings: object) -> None:
    """A new server process (no running hash in memory) resumes the upload and still
    computes the right sha256, reading the bytes back."""
    from hobnail.api.app import create_app

    data = os.urandom(3 * MIB + 7)
    first_app = create_app(settings)  # type: ignore[arg-type]
    transport = httpx.ASGITransport(app=first_app)
    async with first_app.router.lifespan_context(first_app), httpx.AsyncClient(transport=transport) as first:
        first.base_url = httpx.URL("http://t")
        await setup_org(first)
        token = await api_token(first)
        url = await files.create(first, len(data), "restart.bin")
        check(await files.patch(first, url, 0, data[: 2 * MIB]), 204)
    uploads._hashers.clear()  # what a new process starts with
    second_app = create_app(settings)  # type: ignore[arg-type]
    async with second_app.router.lifespan_context(second_app):
        bearer = {"Authorization": f"Bearer {token}"}
        transport = httpx.ASGITransport(app=second_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t", headers=bearer) as second:
            offset = int((await second.head(url, headers=TUS)).headers["Upload-Offset"])
            assert offset == 2 * MIB
            done = await files.patch(second, url, offset, data[offset:])
            described = check(await second.get(f"/api/v1/files/{done.headers['Hobnail-File-Id']}"))
    assert described["sha256"] == hashlib.sha256(data).hexdigest()
