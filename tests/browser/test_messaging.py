"""Messages screen: live delivery and unread badges, read receipts, recall, search in Chinese,
@mentions and the phone layout. Data is set up through the API; the browser does the rest."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.browser.conftest import (
    MEMBER_PASSWORD,
    OWNER_EMAIL,
    OWNER_NAME,
    OWNER_PASSWORD,
    Api,
    NewPage,
    Site,
    check,
    sign_in,
    unique,
    wait_for_live_stream,
)

try:
    from playwright.sync_api import Page, expect
except ImportError:  # pragma: no cover - conftest skips the tests
    pass

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}


def signed_in_api(base_url: str, identifier: str, password: str) -> Api:
    """An API client signed in as someone other than the owner."""
    client = httpx.Client(base_url=base_url, timeout=15)
    body = check(client.post("/api/v1/auth/login", json={"identifier": identifier, "password": password}))
    client.headers["X-CSRF-Token"] = body["csrf_token"]
    return Api(client)


@dataclass
class Person:
    id: str
    name: str
    email: str
    api: Api


@dataclass
class Team:
    site: Site
    alice: Person  # the owner
    bob: Person
    carol: Person

    def group(self, name: str, *members: Person) -> dict[str, Any]:
        body = {"name": name, "member_ids": [m.id for m in members]}
        return self.alice.api.post("/conversations/groups", body, 201)  # type: ignore[no-any-return]

    def direct(self, a: Person, b: Person) -> dict[str, Any]:
        return a.api.post("/conversations/direct", {"user_id": b.id})  # type: ignore[no-any-return]


def send(person: Person, conversation_id: str, body: str, **extra: Any) -> dict[str, Any]:
    payload = {"body": body, "client_msg_id": unique("t-"), **extra}
    return person.api.post(f"/conversations/{conversation_id}/messages", payload, 201)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def team(site: Site) -> Iterator[Team]:
    owner = site.api.get("/me")
    alice = Person(owner["id"], OWNER_NAME, OWNER_EMAIL, site.api)
    people = []
    for name in ("Bob 白", "Carol 陈"):
        email = f"{unique('m-')}@example.com"
        member = site.api.add_member(name=name, email=email)
        people.append(Person(member["id"], name, email, signed_in_api(site.base_url, email, MEMBER_PASSWORD)))
    yield Team(site, alice, *people)
    for person in people:
        person.api.client.close()


def open_page(new_page: NewPage, team: Team, person: Person, path: str, **options: Any) -> Page:
    page = new_page(team.site.base_url, label=person.name.split()[0], **options)
    password = OWNER_PASSWORD if person is team.alice else MEMBER_PASSWORD
    sign_in(page, person.email, password, path=f"/login?next={path}")
    expect(page.get_by_test_id("messages-page")).to_be_visible()
    wait_for_live_stream(page)
    return page


def conversation(page: Page, conversation_id: str) -> Any:
    return page.locator(f"[data-testid=conversation-item][data-conversation-id='{conversation_id}']")


def message(page: Page, text: str) -> Any:
    return page.get_by_test_id("message-log").locator("[data-testid=message]", has_text=text)


def test_live_message_unread_badge_and_receipts(team: Team, new_page: NewPage) -> None:
    group = team.group(unique("Receipts "), team.bob, team.carol)
    alice = open_page(new_page, team, team.alice, f"/messages/{group['id']}")
    bob = open_page(new_page, team, team.bob, "/messages")
    expect(conversation(bob, group["id"])).to_be_visible()
    expect(conversation(bob, group["id"]).get_by_test_id("conversation-unread")).to_have_count(0)

    text = f"Hello team {unique()}"
    composer = alice.get_by_test_id("composer-input")
    composer.fill(text)
    composer.press("Enter")
    sent = message(alice, text)
    expect(sent).to_have_attribute("data-own", "true")
    expect(sent.get_by_test_id("message-receipt")).to_have_text("2 unread")
    expect(composer).to_have_value("")

    # Bob, looking at his list, sees it arrive with an unread badge (and on the nav item).
    item = conversation(bob, group["id"])
    expect(item.get_by_test_id("conversation-preview")).to_contain_text(text)
    expect(item.get_by_test_id("conversation-unread")).to_contain_text("1")
    expect(bob.get_by_test_id("messages-badge")).to_contain_text("1")

    item.click()
    expect(bob).to_have_url(re.compile(f"/messages/{group['id']}$"))
    expect(message(bob, text)).to_be_visible()
    expect(message(bob, text).get_by_test_id("message-sender")).to_have_text(OWNER_NAME)
    expect(item.get_by_test_id("conversation-unread")).to_have_count(0)
    expect(bob.get_by_test_id("messages-badge")).to_be_hidden()

    # Alice's receipt falls live: Bob read it in the browser, then Carol through the API.
    expect(sent.get_by_test_id("message-receipt")).to_have_text("1 unread")
    sent.get_by_test_id("message-receipt").click()
    dialog = alice.get_by_test_id("receipts-dialog")
    expect(dialog.get_by_test_id("receipts-read")).to_contain_text(team.bob.name)
    expect(dialog.get_by_test_id("receipts-unread")).to_contain_text(team.carol.name)
    seq = int(sent.get_attribute("data-seq") or "0")
    team.carol.api.post(f"/conversations/{group['id']}/read", {"seq": seq})
    expect(dialog.get_by_test_id("receipts-read")).to_contain_text(team.carol.name)
    expect(dialog.get_by_test_id("receipts-unread-count")).to_have_text("0")
    dialog.get_by_test_id("dialog-close").click()
    expect(sent.get_by_test_id("message-receipt")).to_have_text("All read")


def test_recall_is_seen_live_and_direct_receipts(team: Team, new_page: NewPage) -> None:
    chat = team.direct(team.alice, team.bob)
    alice = open_page(new_page, team, team.alice, f"/messages/{chat['id']}")
    bob = open_page(new_page, team, team.bob, f"/messages/{chat['id']}")

    text = f"Oops, wrong chat {unique()}"
    alice.get_by_test_id("composer-input").fill(text)
    alice.get_by_test_id("send-button").click()
    expect(message(bob, text)).to_be_visible()
    expect(message(alice, text).get_by_test_id("message-receipt")).to_have_text("Read")

    sent = message(alice, text)
    seq = sent.get_attribute("data-seq")  # confirmed by the server: it shows a receipt
    assert seq
    sent.hover()
    sent.get_by_test_id("message-actions").click()
    alice.get_by_test_id("action-recall").click()
    alice.get_by_test_id("confirm-ok").click()

    recalled_bob = bob.locator(f"[data-testid=message-recalled][data-seq='{seq}']")
    expect(recalled_bob).to_have_text(f"{OWNER_NAME} recalled a message")
    expect(bob.get_by_text(text)).to_have_count(0)
    expect(alice.locator(f"[data-testid=message-recalled][data-seq='{seq}']")).to_have_text("You recalled a message")


def test_search_in_chinese_opens_the_message_highlighted(team: Team, new_page: NewPage) -> None:
    group = team.group(unique("周会 "), team.bob, team.carol)
    hit = send(team.alice, group["id"], "本周项目进度汇报")
    send(team.alice, group["id"], "午饭吃什么")
    senders = (team.alice, team.bob, team.carol)  # the server allows 30 messages per person per 10 s
    for i in range(60):  # enough history that the hit is not in the latest page
        send(senders[i % 3], group["id"], f"第 {i} 条")
    bob = open_page(new_page, team, team.bob, "/messages")

    bob.get_by_test_id("messages-search").fill("项目进度")
    results = bob.get_by_test_id("search-result")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("本周项目进度汇报")
    expect(results.first.locator("mark")).to_have_text("项目进度")
    expect(bob.get_by_test_id("search-results")).not_to_contain_text("午饭吃什么")

    results.first.click()
    expect(bob).to_have_url(re.compile(f"/messages/{group['id']}\\?around={hit['id']}$"))
    highlighted = bob.locator(f"[data-testid=message][data-message-id='{hit['id']}']")
    expect(highlighted).to_have_attribute("data-highlighted", "true")
    expect(highlighted).to_be_in_viewport()
    expect(highlighted.get_by_test_id("message-body")).to_have_text("本周项目进度汇报")


def test_mention_from_picker_shows_at_badge(team: Team, new_page: NewPage) -> None:
    group = team.group(unique("Mentions "), team.bob, team.carol)
    alice = open_page(new_page, team, team.alice, f"/messages/{group['id']}")
    bob = open_page(new_page, team, team.bob, "/messages")
    expect(conversation(bob, group["id"])).to_be_visible()

    composer = alice.get_by_test_id("composer-input")
    composer.click()
    composer.press_sequentially("@Bo")
    option = alice.get_by_test_id("mention-option").filter(has_text=team.bob.name)
    expect(alice.get_by_test_id("mention-picker")).to_be_visible()
    option.click()
    expect(composer).to_have_value(f"@{team.bob.name} ")
    composer.press_sequentially("please review")
    composer.press("Enter")
    expect(message(alice, "please review").get_by_test_id("mention")).to_have_text(f"@{team.bob.name}")

    item = conversation(bob, group["id"])
    expect(item.get_by_test_id("conversation-mention")).to_be_visible()
    expect(item.get_by_test_id("conversation-unread")).to_contain_text("1")
    item.click()
    expect(message(bob, "please review").get_by_test_id("mention-me")).to_have_text(f"@{team.bob.name}")
    expect(item.get_by_test_id("conversation-mention")).to_have_count(0)


def test_editing_a_message_can_add_a_mention(team: Team, new_page: NewPage) -> None:
    group = team.group(unique("Edit mentions "), team.bob, team.carol)
    sent = send(team.alice, group["id"], "draft for review")
    alice = open_page(new_page, team, team.alice, f"/messages/{group['id']}")
    row = alice.locator(f"[data-testid=message][data-message-id='{sent['id']}']")
    row.hover()
    row.get_by_test_id("message-actions").click()
    alice.get_by_test_id("action-edit").click()
    alice.get_by_test_id("edit-input").fill(f"draft for review @{team.carol.name}")
    alice.get_by_test_id("edit-save").click()
    expect(row.get_by_test_id("mention")).to_have_text(f"@{team.carol.name}")
    edited = team.alice.api.get(f"/conversations/{group['id']}/messages")["items"][-1]
    assert edited["mentions"] == [team.carol.id]


def test_phone_list_chat_and_back(team: Team, new_page: NewPage) -> None:
    group = team.group(unique("Phone "), team.bob)
    send(team.alice, group["id"], "Hello from the desk")
    bob = open_page(new_page, team, team.bob, "/messages", viewport=PHONE)
    items = bob.get_by_test_id("conversation-list")
    expect(items).to_be_visible()
    expect(bob.get_by_test_id("chat-placeholder")).to_be_hidden()

    conversation(bob, group["id"]).click()
    expect(bob.get_by_test_id("chat-title")).to_have_text(group["name"])
    expect(message(bob, "Hello from the desk")).to_be_visible()
    expect(items).to_be_hidden()
    composer = bob.get_by_test_id("composer-input")
    composer.fill("Reply from the phone")
    bob.get_by_test_id("send-button").click()
    expect(message(bob, "Reply from the phone")).to_be_visible()

    bob.get_by_test_id("chat-back").click()
    expect(bob).to_have_url(re.compile("/messages$"))
    expect(items).to_be_visible()
    expect(bob.get_by_test_id("chat")).to_have_count(0)
    expect(conversation(bob, group["id"]).get_by_test_id("conversation-preview")).to_contain_text(
        "Reply from the phone"
    )
