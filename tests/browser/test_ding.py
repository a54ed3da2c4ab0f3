"""DING screens: Alice composes a DING in the browser, Bob's open page shows the alert live,
Bob confirms, and Alice's view shows the progress without a reload; DING a chat message from
its action menu; a DING with an attached picture that Bob can open before confirming. Data is
set up through the API; the browser does the rest."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from PIL import Image

from tests.browser.conftest import (
    MEMBER_PASSWORD,
    OWNER_EMAIL,
    OWNER_NAME,
    OWNER_PASSWORD,
    Api,
    NewPage,
    Site,
    sign_in,
    signed_in_api,
    unique,
    wait_for_live_stream,
)

try:
    from playwright.sync_api import Page, Route, expect
except ImportError:  # pragma: no cover - conftest skips the tests
    pass

pytestmark = pytest.mark.browser


@dataclass
class Person:
    id: str
    name: str
    email: str
    password: str
    api: Api


@dataclass
class Team:
    site: Site
    alice: Person  # the owner
    bob: Person  # a member


@pytest.fixture(scope="module")
def team(site: Site) -> Iterator[Team]:
    owner = site.api.get("/me")
    alice = Person(owner["id"], OWNER_NAME, OWNER_EMAIL, OWNER_PASSWORD, site.api)
    name = f"Bob {unique()}"
    email = f"{unique('bob-')}@example.com"
    member = site.api.add_member(name=name, email=email)
    bob = Person(member["id"], name, email, MEMBER_PASSWORD, signed_in_api(site.base_url, email, MEMBER_PASSWORD))
    yield Team(site, alice, bob)
    bob.api.client.close()


def open_page(new_page: NewPage, team: Team, person: Person, path: str) -> Page:
    page = new_page(team.site.base_url, label=person.name.split()[0])
    sign_in(page, person.email, person.password, path=f"/login?next={path}")
    wait_for_live_stream(page)
    return page


def confirm_alert(bob: Page, text: str) -> None:
    """Bob's page shows the alert live, with focus on Confirm; confirming closes it."""
    alert = bob.get_by_role("alertdialog")
    expect(alert).to_be_visible()
    expect(alert.get_by_test_id("ding-alert-body")).to_have_text(text)
    expect(alert.get_by_test_id("ding-alert-title")).to_contain_text(OWNER_NAME)
    confirm = alert.get_by_test_id("ding-alert-confirm")
    expect(confirm).to_be_focused()
    confirm.click()
    expect(bob.get_by_test_id("ding-alert")).to_have_count(0)


def test_compose_alert_confirm_and_live_progress(team: Team, new_page: NewPage) -> None:
    bob = open_page(new_page, team, team.bob, "/contacts")
    expect(bob.get_by_test_id("nav-ding")).to_be_visible()
    alice = open_page(new_page, team, team.alice, "/ding/new")

    composer = alice.get_by_test_id("ding-composer")
    expect(composer).to_be_visible()
    # Without providers only in-app works; the others are disabled with the reason.
    expect(alice.get_by_test_id("ding-channel-in_app")).to_be_checked()
    expect(alice.get_by_test_id("ding-channel-sms")).to_be_disabled()
    expect(alice.get_by_test_id("ding-channel-reason").first).to_be_visible()

    alice.get_by_test_id("ding-people-search").fill(team.bob.name)
    alice.locator(f"[data-testid=ding-person][data-member-id='{team.bob.id}']").check()
    expect(alice.get_by_test_id("ding-selected")).to_contain_text(team.bob.name)
    text = f"Server room is flooding {unique()}"
    alice.get_by_test_id("ding-text").fill(text)
    alice.get_by_test_id("ding-send").click()

    detail = alice.get_by_test_id("ding-detail")
    expect(detail.get_by_test_id("ding-detail-body")).to_have_text(text)
    expect(detail.get_by_test_id("ding-detail-progress")).to_have_text("0 / 1 confirmed")

    confirm_alert(bob, text)
    expect(bob.get_by_test_id("ding-badge")).to_be_hidden()

    # Alice sees it without reloading: the detail, then the Sent list.
    expect(detail.get_by_test_id("ding-detail-progress")).to_have_text("1 / 1 confirmed")
    recipient = detail.locator(f"[data-testid=ding-recipient][data-user-id='{team.bob.id}']")
    expect(recipient).to_have_attribute("data-confirmed", "true")
    expect(recipient.get_by_test_id("ding-confirmed")).to_be_visible()
    alice.get_by_test_id("ding-back").click()
    item = alice.get_by_test_id("ding-sent-list").get_by_test_id("ding-item").filter(has_text=text)
    expect(item.get_by_test_id("ding-progress")).to_have_text("1 / 1 confirmed")


def test_ding_a_chat_message_from_its_menu(team: Team, new_page: NewPage) -> None:
    group = team.alice.api.post("/conversations/groups", {"name": unique("Ops "), "member_ids": [team.bob.id]}, 201)
    text = f"Deploy at 18:00 {unique()}"
    payload: dict[str, Any] = {"body": text, "client_msg_id": unique("t-")}
    team.alice.api.post(f"/conversations/{group['id']}/messages", payload, 201)

    bob = open_page(new_page, team, team.bob, "/")
    alice = open_page(new_page, team, team.alice, f"/messages/{group['id']}")
    message = alice.get_by_test_id("message-log").locator("[data-testid=message]", has_text=text)
    expect(message).to_be_visible()
    message.get_by_test_id("message-actions").click()
    alice.get_by_test_id("action-ding").click()

    # The composer is pre-filled with the message and offers the chat's members.
    expect(alice.get_by_test_id("ding-composer")).to_be_visible()
    expect(alice.get_by_test_id("ding-text")).to_have_value(text)
    alice.locator(f"[data-testid=ding-chat-member][data-member-id='{team.bob.id}']").check()
    alice.get_by_test_id("ding-escalation-none").check()
    alice.get_by_test_id("ding-send").click()
    progress = alice.get_by_test_id("ding-detail-progress")
    expect(progress).to_have_text("0 / 1 confirmed")

    confirm_alert(bob, text)
    expect(progress).to_have_text("1 / 1 confirmed")


def small_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def test_ding_with_an_attached_file(team: Team, new_page: NewPage) -> None:
    bob = open_page(new_page, team, team.bob, "/contacts")
    alice = open_page(new_page, team, team.alice, "/ding/new")
    alice.get_by_test_id("ding-people-search").fill(team.bob.name)
    alice.locator(f"[data-testid=ding-person][data-member-id='{team.bob.id}']").check()
    text = f"Read the evacuation plan {unique()}"
    alice.get_by_test_id("ding-text").fill(text)

    # Hold the upload's data (tus PATCH) so the composer's in-between state can be seen.
    held: list[Route] = []

    def hold_patch(route: Route) -> None:
        if route.request.method == "PATCH":
            held.append(route)
        else:
            route.continue_()

    alice.route("**/api/v1/uploads/**", hold_patch)
    png = small_png()
    name = f"plan-{unique()}.png"
    alice.get_by_test_id("ding-file-input").set_input_files({"name": name, "mimeType": "image/png", "buffer": png})
    pending = alice.get_by_test_id("ding-file-pending")
    expect(pending.get_by_test_id("ding-file-name")).to_have_text(name)
    progress = pending.get_by_role("progressbar")
    expect(progress).to_have_attribute("aria-valuenow", "0")
    send = alice.get_by_test_id("ding-send")
    expect(send).to_be_disabled()
    expect(alice.get_by_test_id("ding-send-hint")).to_be_visible()
    for _ in range(100):  # Playwright calls the handler while the page waits
        if held:
            break
        alice.wait_for_timeout(100)
    assert held, "the upload's PATCH was not held"
    for route in held:
        route.continue_()
    alice.unroute("**/api/v1/uploads/**")
    expect(pending.get_by_test_id("ding-file-status")).to_have_text("Uploaded")
    expect(progress).to_have_count(0)
    expect(alice.get_by_test_id("ding-send-hint")).to_be_hidden()
    expect(send).to_be_enabled()
    send.click()

    # Alice's detail shows the attachment; the API carries it.
    detail = alice.get_by_test_id("ding-detail")
    expect(detail.get_by_test_id("ding-detail-body")).to_have_text(text)
    expect(detail.get_by_test_id("ding-file").get_by_test_id("ding-file-name")).to_have_text(name)
    ding = next(d for d in team.bob.api.get("/dings/received") if d["body"] == text)
    assert ding["file"]["name"] == name and ding["file"]["size"] == len(png)
    assert ding["file"]["content_type"] == "image/png" and ding["file"]["has_thumbnail"]

    # Bob's alert shows the picture with working links, before he confirms.
    alert = bob.get_by_role("alertdialog")
    expect(alert.get_by_test_id("ding-alert-body")).to_have_text(text)
    file = alert.get_by_test_id("ding-file")
    expect(file).to_have_attribute("data-file-id", ding["file"]["id"])
    expect(file.get_by_test_id("ding-file-name")).to_have_text(name)
    expect(file.get_by_test_id("ding-file-size")).to_have_text(f"{len(png)} B")
    thumbnail = file.get_by_test_id("ding-file-thumbnail")
    expect(thumbnail).to_be_visible()
    bob.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle())
    for link in ("ding-file-open", "ding-file-download"):
        href = file.get_by_test_id(link).get_attribute("href")
        assert href and href.startswith("/api/v1/files/")
        response = team.bob.api.client.get(href, follow_redirects=True)
        assert response.status_code == 200, (href, response.status_code, response.text)
        assert response.content == png
    confirm_alert(bob, text)
