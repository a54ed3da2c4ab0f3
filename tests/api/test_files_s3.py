"""The whole upload and download path on the S3 backend, against a real S3-compatible
server (SeaweedFS started by the tests, or HOBNAIL_TEST_S3_URL)."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from PIL import Image

from hobnail.core.config import Settings
from tests.support import files
from tests.support.api import check, setup_org
from tests.support.s3 import S3Server

pytestmark = pytest.mark.s3
MIB = 1024 * 1024


@pytest.fixture
async def s3_client(settings: Settings, s3_storage_settings: dict[str, object]) -> AsyncIterator[httpx.AsyncClient]:
    from hobnail.api.app import create_app

    app = create_app(dataclasses.replace(settings, **s3_storage_settings))  # type: ignore[arg-type]
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://x") as client:
        client.app = app  # type: ignore[attr-defined]
        yield client


def bucket_of(client: httpx.AsyncClient) -> str:
    app: FastAPI = client.app  # type: ignore[attr-defined]
    return str(app.state.settings.s3_bucket)


async def test_uneven_chunks_become_parts_and_the_file_reads_back(
    s3_client: httpx.AsyncClient, s3_server: S3Server
) -> None:
    await setup_org(s3_client)
    data = os.urandom(12 * MIB + 321)
    # 3 MiB chunks with 5 MiB parts: tails carried between requests, several parts, a short last one.
    described = await files.upload(s3_client, data, "素材.zip", chunk=3 * MIB)
    assert described["sha256"] == hashlib.sha256(data).hexdigest()
    download = await files.fetch(s3_client, described["download_url"])
    assert download.content == data
    middle = await files.fetch(s3_client, described["download_url"], Range="bytes=5242880-5242889")
    assert (middle.status_code, middle.content) == (206, data[5 * MIB : 5 * MIB + 10])
    s3 = s3_server.client()
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket_of(s3_client)).get("Contents", [])]
    assert [k for k in keys if k.endswith(described["id"])] and not [k for k in keys if "tail" in k]
    assert s3.list_multipart_uploads(Bucket=bucket_of(s3_client)).get("Uploads", []) == []


async def test_pictures_get_thumbnails_and_terminated_uploads_leave_nothing(
    s3_client: httpx.AsyncClient, s3_server: S3Server
) -> None:
    await setup_org(s3_client)
    out = io.BytesIO()
    Image.new("RGB", (640, 640), (0, 90, 200)).save(out, "JPEG")
    picture = await files.upload(s3_client, out.getvalue(), "蓝.jpg", "image/jpeg")
    assert picture["has_thumbnail"]
    thumbnail = await files.fetch(s3_client, f"/api/v1/files/{picture['id']}/thumbnail")
    assert Image.open(io.BytesIO(thumbnail.content)).size == (480, 480)

    url = await files.create(s3_client, 20 * MIB, "abandoned.bin")
    check(await files.patch(s3_client, url, 0, os.urandom(6 * MIB)), 204)  # one part and a tail
    s3 = s3_server.client()
    assert s3.list_multipart_uploads(Bucket=bucket_of(s3_client)).get("Uploads")
    assert (await s3_client.delete(url, headers=files.TUS)).status_code == 204
    assert s3.list_multipart_uploads(Bucket=bucket_of(s3_client)).get("Uploads", []) == []
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket_of(s3_client)).get("Contents", [])]
    assert not [k for k in keys if "tail" in k]
