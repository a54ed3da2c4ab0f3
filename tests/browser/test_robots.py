"""Group robots in the browser: an alert posted to a custom robot's DingTalk-style webhook
(an actionCard with Markdown and a button) shows in a member's open chat as a card under
the robot's name — heading, bold text, the button a link to the alert's page — and the
group's admin adds a robot in the group settings and sees its webhook URL to copy.
Data is set up through the API; the webhook is called as any DingTalk client would."""

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
    signed_in_api,
    unique,
    wait_for_live_stream,
)

try:
    from playwright.sync_api import Page, expect
except ImportError:  # pragma: no cover - conftest skips the tests
    pass

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 780}


@dataclass
class Person:
    id: str
    name: str
    email: str
    api: Api


@dataclass
class Team:
    site: Site
    owner: Person  # owns the groups (a group admin)
    member: Person


@pytest.fixture(scope="module")
def team(site: Site) -> Iterator[Team]:
    me = site.api.get("/me")
    owner = Person(me["id"], OWNER_NAME, OWNER_EMAIL, site.api)
    name = f"Mia 米 {unique()}"
    email = f"{unique('mia-')}@example.com"
    created = site.api.add_member(name=name, email=email)
    member = Person(created["id"], name, email, signed_in_api(site.base_url, email, MEMBER_PASSWORD))
    yield Team(site, owner, member)
    member.api.client.close()


def group(team: Team, name: str) -> dict[str, Any]:
    body = {"name": name, "member_ids": [team.member.id]}
    return team.owner.api.post("/conversations/groups", body, 201)  # type: ignore[no-any-return]


def open_chat(new_page: NewPage, team: Team, person: Person, conversation_id: str, **options: Any) -> Page:
    page = new_page(team.site.base_url, label=person.name.split()[0], **options)
    password = OWNER_PASSWORD if person is team.owner else MEMBER_PASSWORD
    sign_in(page, person.email, password, path=f"/login?next=/messages/{conversation_id}")
    expect(page.get_by_test_id("chat")).to_be_visible()
    wait_for_live_stream(page)
    return page


ALERT = {
    "msgtype": "actionCard",
    "actionCard": {
        "title": "磁盘告警",
        "text": "#### 磁盘告警\n> /data 已用 **92%**",
        "btns": [{"title": "查看详情", "actionURL": "https://grafana.example.com/d/1"}],
    },
}


def test_webhook_alert_shows_as_a_card_in_the_chat(team: Team, new_page: NewPage) -> None:
    chat = group(team, f"运维 Ops {unique()}")
    robot = team.owner.api.post(
        f"/conversations/{chat['id']}/robots", {"name": "Grafana 告警", "keywords": ["告警"]}, 201
    )
    assert robot["webhook_path"].startswith("/robot/send?access_token=")
    page = open_chat(new_page, team, team.member, chat["id"], viewport=PHONE)

    # A message without the keyword is refused the DingTalk way (HTTP 200, errcode 310000).
    with httpx.Client(base_url=team.site.base_url, timeout=15) as client:
        refused = check(client.post(robot["webhook_path"], json={"msgtype": "text", "text": {"content": "hello"}}))
        assert refused["errcode"] == 310000
        answer = check(client.post(robot["webhook_path"], json=ALERT))
    assert answer == {"errcode": 0, "errmsg": "ok"}

    log = page.get_by_test_id("message-log")
    message = log.locator("[data-testid=message]", has=page.get_by_test_id("robot-card"))
    expect(message).to_have_count(1)
    expect(message.get_by_test_id("message-sender")).to_contain_text("Grafana 告警")
    expect(message.get_by_test_id("robot-badge")).to_be_visible()
    card = message.get_by_test_id("robot-card")
    expect(card).to_have_attribute("data-card-type", "actionCard")
    expect(card.get_by_role("heading", name="磁盘告警")).to_be_visible()
    expect(card.locator("blockquote")).to_contain_text("/data 已用 92%")
    expect(card.locator("blockquote strong")).to_have_text("92%")
    button = card.get_by_role("link", name="查看详情")
    expect(button).to_have_attribute("href", "https://grafana.example.com/d/1")
    expect(button).to_have_attribute("target", "_blank")
    expect(button).to_have_attribute("rel", "noopener noreferrer")
    # The robot is no member: no receipts and no editing, and the raw Markdown is never shown.
    expect(card).not_to_contain_text("####")
    expect(message.get_by_test_id("message-receipt")).to_have_count(0)
    message.get_by_test_id("message-actions").click()
    expect(page.get_by_test_id("message-menu")).to_be_visible()
    expect(page.get_by_test_id("action-edit")).to_have_count(0)
    page.keyboard.press("Escape")
    # The phone-sized card fits the screen.
    box = card.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]

    # The chat list shows the robot's card as "[Robot] title".
    page.get_by_test_id("chat-back").click()
    item = page.locator(f"[data-testid=conversation-item][data-conversation-id='{chat['id']}']")
    expect(item.get_by_test_id("conversation-preview")).to_contain_text("[Robot] 磁盘告警")


def test_group_admin_adds_a_robot_and_sees_its_webhook(team: Team, new_page: NewPage) -> None:
    chat = group(team, f"Build {unique()}")
    page = open_chat(new_page, team, team.owner, chat["id"])
    page.get_by_test_id("chat-settings").click()
    settings = page.get_by_test_id("group-settings")
    robots = settings.get_by_test_id("settings-robots")
    expect(robots).to_be_visible()
    robots.get_by_test_id("robot-add").click()
    form = page.get_by_test_id("robot-dialog")
    form.get_by_test_id("robot-name").fill("CI 构建")
    # No safeguard chosen: the form asks for one.
    form.get_by_test_id("robot-save").click()
    expect(form.get_by_test_id("form-error")).to_be_visible()
    form.get_by_test_id("robot-keywords").fill("构建, build")
    form.get_by_test_id("robot-sign").check()
    form.get_by_test_id("robot-save").click()

    created = page.get_by_test_id("robot-created")
    expect(created).to_be_visible()
    webhook = created.get_by_test_id("robot-webhook")
    expect(webhook).to_have_value(re.compile(rf"^{re.escape(team.site.base_url)}/robot/send\?access_token=\w+$"))
    expect(created.get_by_test_id("robot-secret")).to_have_value(re.compile(r"^SEC\w+$"))
    url = webhook.input_value()
    created.get_by_test_id("robot-created-done").click()

    row = robots.get_by_test_id("robot-row").filter(has_text="CI 构建")
    expect(row).to_be_visible()
    listed = team.owner.api.get(f"/conversations/{chat['id']}/robots")
    assert [r["name"] for r in listed] == ["CI 构建"]
    assert url.endswith(listed[0]["webhook_path"])
    assert listed[0]["keywords"] == ["构建", "build"] and listed[0]["secret"]

    # A member sees the robot but neither its webhook nor the buttons to manage it.
    member_robots = team.member.api.get(f"/conversations/{chat['id']}/robots")
    assert member_robots[0]["webhook_path"] is None

    row.get_by_test_id("robot-delete").click()
    page.get_by_test_id("confirm-ok").click()
    expect(robots.get_by_test_id("robot-row")).to_have_count(0)
    assert team.owner.api.get(f"/conversations/{chat['id']}/robots") == []


def test_admin_creates_an_app_and_adds_its_bot_to_a_group(team: Team, new_page: NewPage) -> None:
    page = new_page(team.site.base_url, label="Owner")
    sign_in(page, team.owner.email, OWNER_PASSWORD, path="/login?next=/admin/apps")
    expect(page.get_by_test_id("admin-tab-apps")).to_have_attribute("aria-current", "page")
    token_endpoint = f"POST {team.site.base_url}/v1.0/oauth2/accessToken"
    expect(page.get_by_test_id("apps-token-endpoint")).to_have_text(token_endpoint)
    expect(page.get_by_test_id("apps-sdk-env")).to_have_text(f"DINGTALK_OPENAPI_ENDPOINT={team.site.base_url}")

    page.get_by_test_id("app-new").click()
    form = page.get_by_test_id("app-dialog")
    name = f"Ops Bot {unique()}"
    form.get_by_test_id("app-name").fill(name)
    form.get_by_test_id("app-scope-messages.send").check()
    form.get_by_test_id("app-scope-chatbot").check()
    form.get_by_test_id("app-save").click()
    shown = page.get_by_test_id("app-secret-dialog")
    expect(shown.get_by_test_id("app-secret-warning")).to_be_visible()
    client_id = shown.get_by_test_id("app-client-id").input_value()
    secret = shown.get_by_test_id("app-client-secret").input_value()
    assert client_id.startswith("ding") and len(secret) > 20
    shown.get_by_test_id("app-secret-done").click()

    # The credentials work with DingTalk's token endpoint.
    with httpx.Client(base_url=team.site.base_url, timeout=15) as client:
        token = check(client.post("/v1.0/oauth2/accessToken", json={"appKey": client_id, "appSecret": secret}))
    assert token["accessToken"]

    row = page.get_by_test_id("app-row").filter(has_text=name)
    expect(row.get_by_test_id("app-row-client-id")).to_have_text(client_id)
    app = next(a for a in team.owner.api.get("/apps") if a["name"] == name)
    assert sorted(app["scopes"]) == ["chatbot", "messages.send"] and "client_secret" not in app
    row.get_by_test_id("app-enabled").uncheck()
    expect(page.get_by_test_id("toast").last).to_be_visible()
    page.wait_for_function(
        "async (id) => !(await (await fetch('/api/v1/apps')).json()).find((a) => a.id === id).enabled", arg=app["id"]
    )
    row.get_by_test_id("app-enabled").check()
    page.wait_for_function(
        "async (id) => (await (await fetch('/api/v1/apps')).json()).find((a) => a.id === id).enabled", arg=app["id"]
    )

    # A group admin (here also an organisation admin) adds the app's bot to a group.
    chat = group(team, f"Bots {unique()}")
    page.goto(f"/messages/{chat['id']}")
    expect(page.get_by_test_id("chat")).to_be_visible()
    page.get_by_test_id("chat-settings").click()
    settings = page.get_by_test_id("group-settings")
    settings.get_by_test_id("group-app-select").select_option(app["id"])
    settings.get_by_test_id("group-app-add").click()
    expect(settings.get_by_test_id("settings-member").filter(has_text=name)).to_be_visible()
    settings.get_by_test_id("dialog-close").click()

    # The bot can be @mentioned by its app's name.
    composer = page.get_by_test_id("composer-input")
    composer.click()
    composer.press_sequentially("@Ops")
    expect(page.get_by_test_id("mention-option").filter(has_text=name)).to_be_visible()
