"""Files in chats: a resumable upload survives a reload and continues from the server's
offset, pictures show as thumbnails and open full size, the chat's Files view lists and
searches what was shared, and the admin console's limits refuse files up front or at the
server. Data is set up through the API; the browser does the rest."""

from __future__ import annotations

import base64
import hashlib
import io
import math
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.browser.conftest import (
    MEMBER_PASSWORD,
    OWNER_EMAIL,
    OWNER_PASSWORD,
    Api,
    NewPage,
    Site,
    check,
    sign_in,
    signed_in_api,
    unique,
    wait_for_live_stream,
)

try:
    from playwright.sync_api import Page, Request, Route, expect
except ImportError:  # pragma: no cover - conftest skips the tests
    pass

pytestmark = pytest.mark.browser

MIB = 1024 * 1024
CHUNK = 8 * MIB  # the web client's tus chunk size
UPLOADS = "**/api/v1/uploads/**"


@dataclass
class Team:
    site: Site
    owner: Api
    bob_id: str
    bob: Api

    def group(self, name: str) -> dict[str, Any]:
        body = {"name": name, "member_ids": [self.bob_id]}
        return self.owner.post("/conversations/groups", body, 201)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def team(site: Site) -> Iterator[Team]:
    email = f"{unique('files-')}@example.com"
    bob = site.api.add_member(name="Bob 白", email=email)
    bob_api = signed_in_api(site.base_url, email, MEMBER_PASSWORD)
    try:
        yield Team(site, site.api, bob["id"], bob_api)
    finally:
        bob_api.client.close()


def open_chat(new_page: NewPage, team: Team, conversation_id: str) -> Page:
    page = new_page(team.site.base_url, label="owner")
    sign_in(page, OWNER_EMAIL, OWNER_PASSWORD, path=f"/login?next=/messages/{conversation_id}")
    expect(page.get_by_test_id("chat")).to_have_attribute("data-conversation-id", conversation_id)
    wait_for_live_stream(page)
    return page


def choose_files(page: Page, opener: Any, *paths: Path) -> None:
    """Click what opens the file picker and pick these files, as a person would."""
    with page.expect_file_chooser() as chooser:
        opener.click()
    chooser.value.set_files([str(p) for p in paths])


def tus_upload(api: Api, name: str, data: bytes, *, content_type: str, conversation_id: str) -> str:
    """One-request tus upload (creation-with-upload) through the API; returns the file id."""
    fields = {"filename": name, "filetype": content_type, "conversation_id": conversation_id}
    metadata = ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in fields.items())
    response = api.client.post(
        "/api/v1/uploads/",
        content=data,
        headers={
            "Tus-Resumable": "1.0.0",
            "Upload-Length": str(len(data)),
            "Upload-Metadata": metadata,
            "Content-Type": "application/offset+octet-stream",
        },
    )
    assert response.status_code == 201, response.text
    return response.headers["Hobnail-File-Id"]


def send_file(api: Api, conversation_id: str, file_id: str, body: str = "") -> dict[str, Any]:
    payload = {"file_id": file_id, "body": body, "client_msg_id": unique("f-")}
    return api.post(f"/conversations/{conversation_id}/messages", payload, 201)  # type: ignore[no-any-return]


def png(width: int, height: int, color: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return out.getvalue()


def file_message(page: Page, file_id: str) -> Any:
    return page.get_by_test_id("message-log").locator(f"[data-testid=message-file][data-file-id='{file_id}']")


def loaded(locator: Any) -> dict[str, int]:
    """Wait until an <img> has loaded; its natural and shown sizes."""
    locator.wait_for()
    handle = locator.element_handle()
    handle.owner_frame().wait_for_function("img => img.complete && img.naturalWidth > 0", arg=handle)
    return handle.evaluate(  # type: ignore[no-any-return]
        "img => ({natural: img.naturalWidth, width: Math.round(img.getBoundingClientRect().width),"
        " height: Math.round(img.getBoundingClientRect().height)})"
    )


def test_upload_resumes_after_a_reload_from_the_server_offset(team: Team, new_page: NewPage, tmp_path: Path) -> None:
    group = team.group(unique("Uploads "))
    name = "季度数据 Q3.zip"
    data = os.urandom(12 * MIB)
    path = tmp_path / name
    path.write_bytes(data)
    page = open_chat(new_page, team, group["id"])

    # The first 8 MiB chunk goes through; every later PATCH stalls, like a dying connection.
    offsets: list[int] = []

    def stall_after_first_chunk(route: Route) -> None:
        if route.request.method == "PATCH":
            offsets.append(int(route.request.headers["upload-offset"]))
            if len(offsets) > 1:
                return  # never answered: the upload hangs half-way
        route.continue_()

    page.route(UPLOADS, stall_after_first_chunk)
    choose_files(page, page.get_by_test_id("attach-button"), path)
    row = page.get_by_test_id("upload-row")
    expect(row.get_by_test_id("upload-name")).to_have_text(name)
    expect(row.get_by_test_id("upload-progress")).to_have_attribute("role", "progressbar")
    expect(row.get_by_test_id("upload-pause")).to_be_visible()
    expect(row).to_have_attribute("data-upload-id", re.compile(r"\w+"))
    upload_id = row.get_attribute("data-upload-id")
    held_offset = -1
    for _ in range(100):  # until the first chunk is on the server and the second one is stuck
        [pending] = [u for u in team.owner.get("/uploads") if u["id"] == upload_id]
        held_offset = pending["offset"]
        if held_offset == CHUNK and len(offsets) == 2:
            break
        page.wait_for_timeout(100)
    assert held_offset == CHUNK
    assert offsets == [0, CHUNK]
    assert pending["metadata"] == {"filename": name, "filetype": "application/zip", "conversation_id": group["id"]}

    # Reload mid-way: the browser cannot reopen the file, so the chat offers to continue.
    page.reload()
    stale = page.get_by_test_id("upload-unfinished")
    expect(stale).to_have_attribute("data-upload-id", upload_id)
    expect(stale.get_by_test_id("upload-name")).to_have_text(name)
    expect(stale.get_by_test_id("upload-percent")).to_have_text("66%")
    expect(stale.get_by_test_id("upload-progress")).to_have_attribute("aria-valuenow", "66")
    [held] = [u for u in team.owner.get("/uploads") if u["id"] == upload_id]
    assert held["offset"] == CHUNK > 0

    page.unroute(UPLOADS)
    requests: list[tuple[str, str | None]] = []

    def note(request: Request) -> None:
        if "/api/v1/uploads/" in request.url:
            requests.append((request.method, request.headers.get("upload-offset")))

    page.on("request", note)
    choose_files(page, stale.get_by_test_id("upload-choose-again"), path)

    message = file_message(page, upload_id)
    expect(message.get_by_test_id("file-name")).to_have_text(name)
    expect(message.get_by_test_id("file-size")).to_have_text("12 MB")
    expect(message.get_by_test_id("file-download")).to_have_attribute("href", f"/api/v1/files/{upload_id}/download")
    expect(page.get_by_test_id("upload-tray")).to_be_hidden()

    # It went on from the server's offset (HEAD, then PATCH at 8 MiB): no new upload, no byte twice.
    assert requests[0] == ("HEAD", None)
    assert ("POST", None) not in requests
    patches = [int(offset or -1) for method, offset in requests if method == "PATCH"]
    assert patches == [CHUNK], requests
    stored = team.owner.get(f"/files/{upload_id}")
    assert stored["size"] == len(data)
    assert stored["sha256"] == hashlib.sha256(data).hexdigest()
    assert upload_id not in [u["id"] for u in team.owner.get("/uploads")]
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('tus::')).length") == 0
    # Bob sees it in the chat too.
    history = team.bob.get(f"/conversations/{group['id']}/messages")["items"]
    assert [m["file"]["id"] for m in history if m["kind"] == "file"] == [upload_id]


def test_pictures_thumbnail_viewer_paste_and_files_view(team: Team, new_page: NewPage) -> None:
    group = team.group(unique("Pictures "))
    report = tus_upload(
        team.owner, "Budget report 2026.pdf", b"%PDF-1.4\n" + os.urandom(40_000), content_type="application/pdf",
        conversation_id=group["id"],
    )  # fmt: skip
    send_file(team.owner, group["id"], report, body="Numbers for Q3")
    page = open_chat(new_page, team, group["id"])

    card = file_message(page, report)
    expect(card.get_by_test_id("file-card")).to_have_attribute("data-kind", "pdf")
    expect(card.get_by_test_id("file-open")).to_have_attribute("href", f"/api/v1/files/{report}/download?inline=true")
    expect(page.get_by_test_id("message-log").get_by_text("Numbers for Q3")).to_be_visible()

    # Drag a picture onto the chat: a drop zone shows, the drop uploads it.
    picture = base64.b64encode(png(1200, 800, (30, 120, 200))).decode()
    transfer = page.evaluate_handle(
        """(b64) => {
            const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
            const dt = new DataTransfer();
            dt.items.add(new File([bytes], "Harbour view.png", { type: "image/png" }));
            return dt;
        }""",
        picture,
    )
    chat = page.get_by_test_id("chat")
    chat.dispatch_event("dragenter", {"dataTransfer": transfer})
    expect(page.get_by_test_id("drop-zone")).to_be_visible()
    chat.dispatch_event("drop", {"dataTransfer": transfer})
    expect(page.get_by_test_id("drop-zone")).to_be_hidden()

    image = page.get_by_test_id("message-log").get_by_role("button", name="View Harbour view.png full size")
    thumb = loaded(image.get_by_test_id("file-thumbnail"))
    assert thumb["natural"] == 480  # the server's thumbnail, not the original
    assert (thumb["width"], thumb["height"]) == (240, 160)  # sized from width/height up front
    expect(image.get_by_test_id("file-thumbnail")).to_have_attribute("alt", "Harbour view.png")

    image.click()
    viewer = page.get_by_test_id("image-viewer")
    expect(viewer).to_be_visible()
    assert loaded(viewer.get_by_test_id("image-viewer-img"))["natural"] == 1200
    expect(viewer.get_by_test_id("viewer-download")).to_be_visible()
    viewer.get_by_test_id("dialog-close").click()
    expect(viewer).to_be_hidden()

    # Paste a screenshot into the composer: it is sent as a picture too.
    page.get_by_test_id("composer-input").evaluate(
        """(input, b64) => {
            const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
            const dt = new DataTransfer();
            dt.items.add(new File([bytes], "image.png", { type: "image/png" }));
            input.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
        }""",
        base64.b64encode(png(300, 600, (200, 60, 40))).decode(),
    )
    pasted = page.get_by_test_id("message-log").get_by_role("button", name="View Screenshot-")
    expect(pasted).to_be_visible()
    assert loaded(pasted.get_by_test_id("file-thumbnail"))["height"] == 240
    expect(page.get_by_test_id("upload-tray")).to_be_hidden()

    # The chat's Files view: newest first, with sender and size; search by part of a name.
    page.get_by_test_id("chat-files").click()
    files = page.get_by_test_id("files-dialog")
    rows = files.get_by_test_id("files-row")
    expect(rows).to_have_count(3)
    expect(rows.nth(0).get_by_test_id("files-name")).to_contain_text("Screenshot-")
    expect(rows.nth(1).get_by_test_id("files-name")).to_have_text("Harbour view.png")
    expect(rows.nth(2).get_by_test_id("files-name")).to_have_text("Budget report 2026.pdf")
    expect(rows.nth(2).get_by_test_id("files-sender")).to_have_text("Owner 老板")
    expect(rows.nth(2).get_by_test_id("files-download")).to_have_attribute("href", f"/api/v1/files/{report}/download")

    files.get_by_test_id("files-search").fill("harbour")
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_test_id("files-name")).to_have_text("Harbour view.png")
    files.get_by_test_id("files-search").fill("nothing like this")
    expect(rows).to_have_count(0)
    expect(files.get_by_test_id("files-status")).to_have_text("No files match “nothing like this”.")
    files.get_by_test_id("files-search").fill("REPORT")
    expect(rows).to_have_count(1)
    rows.first.get_by_test_id("files-jump").click()
    expect(files).to_be_hidden()
    expect(page.locator("[data-testid=message][data-highlighted=true]").get_by_test_id("file-name")).to_have_text(
        "Budget report 2026.pdf"
    )


def test_admin_limits_refuse_oversized_files(team: Team, new_page: NewPage, tmp_path: Path) -> None:
    group = team.group(unique("Limits "))
    before = team.owner.get("/files/settings")
    # A quota with less than 1 MiB left, and a largest file of 2 MB.
    quota_mb = math.floor(before["used_bytes"] / MIB) + 1
    page = open_chat(new_page, team, group["id"])
    try:
        page.goto("/admin/files")
        expect(page.get_by_test_id("admin-tab-files")).to_have_attribute("aria-current", "page")
        expect(page.get_by_test_id("files-count")).to_have_text(str(before["file_count"]))
        expect(page.get_by_test_id("files-backend")).to_have_attribute("data-backend", before["storage_backend"])
        expect(page.get_by_test_id("files-usage-bar")).to_have_count(0)  # no quota yet
        page.get_by_test_id("files-max-mb").fill("2")
        page.get_by_test_id("files-quota-mb").fill(str(quota_mb))
        page.get_by_test_id("files-settings-save").click()
        expect(page.get_by_test_id("toast").filter(has_text="Saved")).to_be_visible()
        expect(page.get_by_test_id("files-max-now")).to_have_text("2 MB")
        share = round(before["used_bytes"] * 100 / (quota_mb * MIB))
        expect(page.get_by_test_id("files-usage-bar")).to_have_attribute("aria-valuenow", str(share))
        after = team.owner.get("/files/settings")
        assert (after["max_file_mb"], after["quota_mb"]) == (2, quota_mb)

        big = tmp_path / "too big.mp4"
        big.write_bytes(os.urandom(3 * MIB))
        fits = tmp_path / "minutes.txt"
        fits.write_bytes(b"x" * (3 * MIB // 2))
        page.goto(f"/messages/{group['id']}")
        created: list[str] = []
        page.on("request", lambda r: created.append(r.url) if r.method == "POST" and "/uploads/" in r.url else None)
        choose_files(page, page.get_by_test_id("attach-button"), big)
        row = page.get_by_test_id("upload-row").filter(has_text="too big.mp4")
        refusal = "This file is too large: files can be at most 2 MB here."
        expect(row.get_by_test_id("upload-error")).to_have_text(refusal)
        assert created == []  # refused before a byte was sent
        expect(row.get_by_test_id("upload-pause")).to_have_count(0)
        row.get_by_test_id("upload-cancel").click()
        expect(row).to_have_count(0)

        # Under the size limit but over what the quota has left: the server refuses it.
        choose_files(page, page.get_by_test_id("attach-button"), fits)
        row = page.get_by_test_id("upload-row").filter(has_text="minutes.txt")
        expect(row.get_by_test_id("upload-error")).to_contain_text("The organisation's storage is full")
        expect(row.get_by_test_id("upload-error")).to_contain_text(f"of {quota_mb} MB used")
        expect(row.get_by_test_id("upload-retry")).to_have_count(0)
        assert len(created) == 1
        assert check(team.owner.client.get(f"/api/v1/conversations/{group['id']}/files"))["items"] == []
    finally:
        team.owner.client.patch("/api/v1/files/settings", json={"max_file_mb": before["max_file_mb"], "quota_mb": 0})
