"""Downloads: signed links, Range, names, who may read a file, thumbnails, files in chats."""

from __future__ import annotations

import io
import os
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
from PIL import Image

from hobnail.core import clock
from tests.support import files
from tests.support.api import check, group_with, member_client, send, setup_org


def png(width: int = 1200, height: int = 800) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def tamper(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query.update(changes)
    return f"{parts.path}?{urlencode(query)}"


async def test_ranges_resume_downloads_and_let_videos_seek(client: httpx.AsyncClient) -> None:
    await setup_org(client)
    data = os.urandom(300_000)
    described = await files.upload(client, data, "clip.mp4")
    url = described["download_url"]
    whole = await client.get(url)
    assert whole.headers["Accept-Ranges"] == "bytes"
    assert whole.headers["Content-Length"] == str(len(data))
    first = await client.get(url, headers={"Range": "bytes=0-99"})
    assert (first.status_code, first.content) == (206, data[:100])
    assert first.headers["Content-Range"] == f"bytes 0-99/{len(data)}"
    rest = await client.get(url, headers={"Range": "bytes=100-"})
    assert rest.status_code == 206 and first.content + rest.content == data
    tail = await client.get(url, headers={"Range": "bytes=-10"})
    assert tail.content == data[-10:]
    clipped = await client.get(url, headers={"Range": f"bytes=299990-{10**9}"})
    assert clipped.content == data[299990:]
    outside = await client.get(url, headers={"Range": f"bytes={len(data)}-"})
    assert outside.status_code == 416
    several = await client.get(url, headers={"Range": "bytes=0-1,5-6"})
    assert several.status_code == 200 and several.content == data  # a single range or the whole file


async def test_links_expire_and_cannot_be_tampered_with(client: httpx.AsyncClient) -> None:
    await setup_org(client)
    secret_file = await files.upload(client, b"secret plans", "plans.txt")
    other_file = await files.upload(client, b"other", "other.txt")
    url = secret_file["download_url"]
    assert (await client.get(url)).content == b"secret plans"
    anonymous = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")  # no cookie
    assert (await anonymous.get(url)).content == b"secret plans"  # the link is the credential
    for changed in (
        tamper(url, s="A" * 27),
        tamper(url, s="签名"),  # non-ASCII (found by the OpenAPI fuzz test: was a 500)
        tamper(url, e="²"),  # a digit to str.isdigit(), not to int()
        tamper(url, e=str(int(clock.now().timestamp()) + 10**6)),
        tamper(url, i="1"),
        tamper(url, v="thumbnail"),
        url.replace(secret_file["id"], other_file["id"]),
    ):
        response = await anonymous.get(changed)
        assert response.status_code == 403, changed
        assert response.json()["error"]["code"] == "link_invalid"
    # Valid 10 minutes, rounded up to the next 5 so links asked for meanwhile are one URL
    # (the browser reuses what it fetched).
    expires = int(parse_qs(urlsplit(url).query)["e"][0])
    assert expires % 300 == 0 and 600 <= expires - clock.now().timestamp() <= 900
    clock.advance(timedelta(minutes=15, seconds=1))
    expired = await anonymous.get(url)
    assert expired.status_code == 403
    assert expired.json()["error"]["code"] == "link_expired"
    await anonymous.aclose()


async def test_names_and_safe_inline_display(client: httpx.AsyncClient) -> None:
    await setup_org(client)
    page = await files.upload(client, b"<script>alert(1)</script>", "页面.html", "text/html")
    assert page["view_url"] is None  # never shown inline from our origin
    inline = await files.fetch(client, f"/api/v1/files/{page['id']}/download?inline=true")
    assert inline.headers["Content-Disposition"].startswith("attachment;")
    assert inline.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in inline.headers["Content-Security-Policy"]
    assert "filename*=UTF-8''%E9%A1%B5%E9%9D%A2.html" in inline.headers["Content-Disposition"]
    pdf = await files.upload(client, b"%PDF-1.4 fake", "合同 (final).pdf")
    shown = await files.fetch(client, f"/api/v1/files/{pdf['id']}/download?inline=true")
    assert shown.headers["Content-Type"] == "application/pdf"
    assert shown.headers["Content-Disposition"].startswith('inline; filename="__ (final).pdf"')


async def test_pictures_get_thumbnails(client: httpx.AsyncClient) -> None:
    await setup_org(client)
    picture = await files.upload(client, png(), "photo.png", "image/png")
    assert (picture["width"], picture["height"], picture["has_thumbnail"]) == (1200, 800, True)
    thumbnail = await files.fetch(client, f"/api/v1/files/{picture['id']}/thumbnail")
    assert thumbnail.headers["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(thumbnail.content)).size == (480, 320)
    broken = await files.upload(client, b"not really a png", "broken.png", "image/png")
    assert broken["has_thumbnail"] is False
    assert (await client.get(f"/api/v1/files/{broken['id']}/thumbnail")).status_code == 404


async def test_only_people_who_see_the_message_may_read_the_file(
    client: httpx.AsyncClient, make_client: object
) -> None:
    await setup_org(client)
    bob_client, bob = await member_client(client, await make_client(), name="Bob", email="bob@example.com")  # type: ignore[operator]
    carol_client, carol = await member_client(client, await make_client(), name="Carol", email="carol@example.com")  # type: ignore[operator]
    described = await files.upload(client, b"budget", "预算.xlsx")
    file_id = described["id"]
    assert (await bob_client.get(f"/api/v1/files/{file_id}")).status_code == 404  # not shared yet
    group = await group_with(client, "Finance", [bob["id"]])
    message = check(
        await client.post(
            f"/api/v1/conversations/{group['id']}/messages", json={"file_id": file_id, "body": "Q3 预算"}
        ),
        201,
    )
    assert message["kind"] == "file"
    assert message["file"]["name"] == "预算.xlsx" and "download_url" not in message["file"]
    seen = check(await bob_client.get(f"/api/v1/files/{file_id}"))
    assert (await files.fetch(bob_client, seen["download_url"])).content == b"budget"
    assert (await files.fetch(bob_client, f"/api/v1/files/{file_id}/download")).content == b"budget"
    assert (await carol_client.get(f"/api/v1/files/{file_id}")).status_code == 404
    assert (await carol_client.get(f"/api/v1/files/{file_id}/download")).status_code == 404
    # Carol may not attach a file she cannot see.
    direct = check(await carol_client.post("/api/v1/conversations/direct", json={"user_id": bob["id"]}))
    refused = await carol_client.post(f"/api/v1/conversations/{direct['id']}/messages", json={"file_id": file_id})
    assert refused.status_code == 404
    assert refused.json()["error"]["code"] == "file_not_found"
    # Forwarding shares it with the chat it goes to.
    bob_carol = check(await bob_client.post("/api/v1/conversations/direct", json={"user_id": carol["id"]}))
    check(
        await bob_client.post(
            f"/api/v1/messages/{message['id']}/forward", json={"conversation_ids": [bob_carol["id"]]}
        ),
        201,
    )
    assert check(await carol_client.get(f"/api/v1/files/{file_id}"))["name"] == "预算.xlsx"
    # Recalling the messages takes the file back.
    check(await client.post(f"/api/v1/messages/{message['id']}/recall"))
    forwarded = check(await carol_client.get(f"/api/v1/conversations/{bob_carol['id']}/messages"))["items"][-1]
    check(await bob_client.post(f"/api/v1/messages/{forwarded['id']}/recall"))
    assert (await bob_client.get(f"/api/v1/files/{file_id}")).status_code == 404
    assert (await carol_client.get(f"/api/v1/files/{file_id}")).status_code == 404
    history = check(await bob_client.get(f"/api/v1/conversations/{group['id']}/messages"))["items"]
    assert history[-1]["recalled"] and history[-1]["file"] is None
    assert check(await client.get(f"/api/v1/files/{file_id}"))["id"] == file_id  # the uploader still may


async def test_unfinished_uploads_cannot_be_sent_and_captions_are_optional(client: httpx.AsyncClient) -> None:
    await setup_org(client)
    group = await group_with(client, "Solo", [])
    url = await files.create(client, 10, "half.txt")
    upload_id = url.rsplit("/", 1)[1]
    unfinished = await client.post(f"/api/v1/conversations/{group['id']}/messages", json={"file_id": upload_id})
    assert unfinished.status_code == 404
    empty = await client.post(f"/api/v1/conversations/{group['id']}/messages", json={"body": "  "})
    assert empty.status_code == 422
    done = await files.upload(client, b"x", "x.txt")
    sent = check(await client.post(f"/api/v1/conversations/{group['id']}/messages", json={"file_id": done["id"]}), 201)
    assert (sent["body"], sent["kind"]) == ("", "file")


async def test_each_chat_has_a_files_view_searchable_by_name(client: httpx.AsyncClient) -> None:
    await setup_org(client)
    group = await group_with(client, "Design", [])
    names = ["logo 标志.png", "brief.docx", "Logo-dark.svg", "notes.txt"]
    for name in names:
        uploaded = await files.upload(client, name.encode(), name)
        check(await client.post(f"/api/v1/conversations/{group['id']}/messages", json={"file_id": uploaded["id"]}), 201)
    await send(client, group["id"], "just text")
    listing = check(await client.get(f"/api/v1/conversations/{group['id']}/files"))
    assert [m["file"]["name"] for m in listing["items"]] == list(reversed(names))
    found = check(await client.get(f"/api/v1/conversations/{group['id']}/files", params={"q": "LOGO"}))
    assert [m["file"]["name"] for m in found["items"]] == ["Logo-dark.svg", "logo 标志.png"]
    chinese = check(await client.get(f"/api/v1/conversations/{group['id']}/files", params={"q": "标志"}))
    assert [m["file"]["name"] for m in chinese["items"]] == ["logo 标志.png"]
    page = check(await client.get(f"/api/v1/conversations/{group['id']}/files", params={"limit": 3}))
    assert len(page["items"]) == 3
    more = check(
        await client.get(
            f"/api/v1/conversations/{group['id']}/files", params={"limit": 3, "before": page["next_before"]}
        )
    )
    assert [m["file"]["name"] for m in more["items"]] == ["logo 标志.png"] and more["next_before"] is None
    hits = check(await client.get("/api/v1/messages/search", params={"q": "brief"}))
    assert [h["message"]["file"]["name"] for h in hits["items"]] == ["brief.docx"]


async def test_the_uploader_deletes_a_file_nothing_shows(app: object, client: httpx.AsyncClient) -> None:
    from tests.support.api import settle

    await setup_org(client)
    group = await group_with(client, "Drafts", [])
    draft = await files.upload(client, b"x" * 1000, "draft.txt")
    sent = await files.upload(client, b"y" * 500, "sent.txt")
    message = check(
        await client.post(f"/api/v1/conversations/{group['id']}/messages", json={"file_id": sent["id"]}), 201
    )
    assert check(await client.get("/api/v1/files/settings"))["used_bytes"] == 1500
    in_use = await client.delete(f"/api/v1/files/{sent['id']}")
    assert (in_use.status_code, in_use.json()["error"]["code"]) == (409, "file_in_use")
    assert (await client.delete(f"/api/v1/files/{draft['id']}")).status_code == 204
    await settle(app)  # type: ignore[arg-type]
    assert (await client.get(f"/api/v1/files/{draft['id']}")).status_code == 404
    assert (await client.get(draft["download_url"])).status_code == 404
    assert check(await client.get("/api/v1/files/settings"))["used_bytes"] == 500
    check(await client.post(f"/api/v1/messages/{message['id']}/recall"))
    assert (await client.delete(f"/api/v1/files/{sent['id']}")).status_code == 204  # recalled: nothing shows it
    history = check(await client.get(f"/api/v1/conversations/{group['id']}/messages"))["items"]
    assert history[-1]["recalled"] and history[-1]["file"] is None
