"""Uploading through the tus endpoint with plain HTTP, for tests that just need a file."""

from __future__ import annotations

import base64
from typing import Any

import httpx

from tests.support.api import check

TUS = {"Tus-Resumable": "1.0.0"}
OCTETS = {**TUS, "Content-Type": "application/offset+octet-stream"}


def metadata(name: str, content_type: str | None = None) -> str:
    pairs = {"filename": name, **({"filetype": content_type} if content_type else {})}
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in pairs.items())


async def create(client: httpx.AsyncClient, size: int, name: str = "报告.pdf", content_type: str | None = None) -> str:
    response = await client.post(
        "/api/v1/uploads/", headers={**TUS, "Upload-Length": str(size), "Upload-Metadata": metadata(name, content_type)}
    )
    check(response, 201)
    return str(response.headers["Location"])


async def patch(client: httpx.AsyncClient, url: str, offset: int, data: bytes, **headers: str) -> httpx.Response:
    return await client.patch(url, content=data, headers={**OCTETS, "Upload-Offset": str(offset), **headers})


async def upload(
    client: httpx.AsyncClient,
    data: bytes,
    name: str = "报告.pdf",
    content_type: str | None = None,
    chunk: int = 1 << 20,
) -> dict[str, Any]:
    """Upload ``data`` in chunks; returns the finished file's description (with links)."""
    url = await create(client, len(data), name, content_type)
    offset = 0
    while offset < len(data):
        response = await patch(client, url, offset, data[offset : offset + chunk])
        check(response, 204)
        offset = int(response.headers["Upload-Offset"])
    head = await client.head(url, headers=TUS)
    file_id = head.headers["Hobnail-File-Id"]
    return check(await client.get(f"/api/v1/files/{file_id}"))  # type: ignore[no-any-return]


async def fetch(client: httpx.AsyncClient, url: str, **headers: str) -> httpx.Response:
    """GET a link, following the web client's redirect to the signed download."""
    response = await client.get(url, headers=headers)
    if response.status_code == 302:
        response = await client.get(response.headers["Location"], headers=headers)
    return response
