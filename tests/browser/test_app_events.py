"""Apps' event subscriptions in the browser: an admin creates an app that may read messages,
subscribes it to message.sent with a callback URL (a refused verification shows the
server's reason), sees the signing secret; a message in a group with the app's bot fails
to arrive (the receiver answers 500) and the delivery log shows the attempt; after the
receiver is fixed the admin redelivers it and sees it delivered.

The server is a real `hobnail serve` with its background loops on: the event tap and the
webhook sender run by themselves, so the test waits for what they do, never for a time."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import OWNER_EMAIL, OWNER_PASSWORD, Api, NewPage, Site, sign_in, unique
from tests.support.webhook_receiver import webhook_receiver

try:
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover - conftest skips the tests
    pass

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 780}


def wait_until(what: str, found: Callable[[], Any], timeout: float = 20.0) -> Any:
    """Poll a condition the server's background loops will make true."""
    deadline = time.monotonic() + timeout
    while not (result := found()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)
    return result


def deliveries(api: Api, app_id: str) -> list[dict[str, Any]]:
    return api.get(f"/apps/{app_id}/deliveries")["deliveries"]  # type: ignore[no-any-return]


def test_admin_subscribes_an_app_and_redelivers_a_failed_event(site: Site, new_page: NewPage) -> None:
    page = new_page(site.base_url, label="Owner")
    sign_in(page, OWNER_EMAIL, OWNER_PASSWORD, path="/login?next=/admin/apps")

    # An app that may read messages in its bot's chats.
    page.get_by_test_id("app-new").click()
    form = page.get_by_test_id("app-dialog")
    name = f"Audit {unique()}"
    form.get_by_test_id("app-name").fill(name)
    form.get_by_test_id("app-scope-messages.read").check()
    expect(form.get_by_test_id("app-scope-approvals.read")).to_be_visible()
    form.get_by_test_id("app-save").click()
    page.get_by_test_id("app-secret-done").click()
    app = next(a for a in site.api.get("/apps") if a["name"] == name)
    assert app["scopes"] == ["messages.read"]
    chat = site.api.post("/conversations/groups", {"name": f"Audit 群 {unique()}", "member_ids": []}, 201)
    site.api.post(f"/conversations/{chat['id']}/apps", {"app_id": app["id"]}, 201)

    row = page.get_by_test_id("app-row").filter(has_text=name)
    toggle = row.get_by_test_id("app-events-toggle")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    panel = row.get_by_test_id("app-events")
    sub = panel.get_by_test_id("app-subscription")
    expect(sub.get_by_test_id("sub-status")).to_have_attribute("data-subscribed", "false")
    expect(panel.get_by_test_id("delivery-empty")).to_be_visible()
    # Only the families its scopes grant can be chosen.
    expect(sub.get_by_test_id("sub-type-message.sent")).to_be_enabled()
    expect(sub.get_by_test_id("sub-type-attendance.*")).to_be_disabled()
    expect(sub.get_by_test_id("sub-family-attendance")).to_contain_text("Read attendance")

    with webhook_receiver() as receiver:
        # A URL that does not echo the challenge is refused, with the server's reason.
        receiver.echo_challenge = False
        sub.get_by_test_id("sub-mode-http").check()
        sub.get_by_test_id("sub-url").fill(receiver.url)
        sub.get_by_test_id("sub-type-message.sent").check()
        sub.get_by_test_id("sub-save").click()
        error = sub.get_by_test_id("form-error")
        expect(error).to_contain_text("failed verification")
        expect(error).to_contain_text("did not echo the challenge")
        expect(sub.get_by_test_id("sub-status")).to_have_attribute("data-subscribed", "false")

        receiver.echo_challenge = True
        sub.get_by_test_id("sub-save").click()
        expect(sub.get_by_test_id("sub-status")).to_have_attribute("data-subscribed", "true")
        expect(sub.get_by_test_id("sub-status")).to_contain_text("Verified")
        secret = sub.get_by_test_id("sub-secret")
        expect(secret).to_have_value(re.compile(r"^whsec_"))
        saved = site.api.get(f"/apps/{app['id']}/subscription")
        assert saved["event_types"] == ["message.sent"] and saved["url"] == receiver.url
        assert secret.input_value() == saved["signing_secret"]
        assert receiver.received[-1].signature_valid(saved["signing_secret"])

        # A message in the bot's group: the receiver is down.
        receiver.status = 500
        text = f"hello {unique()}"
        site.api.post(f"/conversations/{chat['id']}/messages", {"body": text}, 201)
        wait_until("a failed attempt", lambda: [d for d in deliveries(site.api, app["id"]) if d["last_status_code"]])

        panel.get_by_test_id("delivery-refresh").click()
        delivery = panel.get_by_test_id("delivery-row")
        expect(delivery).to_have_count(1)
        expect(delivery.get_by_test_id("delivery-topic")).to_have_text("message.sent")
        expect(delivery.get_by_test_id("delivery-code")).to_have_text("500")
        expect(delivery.get_by_test_id("delivery-attempts")).to_have_text(re.compile(r"^[1-9]$"))
        expect(delivery.get_by_test_id("delivery-latency")).to_have_text(re.compile(r"^\d+ ms$"))
        expect(panel.get_by_test_id("delivery-filter-delivered")).to_have_attribute("data-count", "0")

        delivery.get_by_test_id("delivery-open").click()
        detail = page.get_by_test_id("delivery-dialog")
        expect(detail.get_by_test_id("attempt-code").first).to_have_text("500")
        expect(detail.get_by_test_id("attempt-error").first).to_have_text("HTTP 500")
        expect(detail.get_by_test_id("delivery-event")).to_contain_text(text)
        expect(detail.get_by_test_id("delivery-event")).to_contain_text('"type": "message.sent"')

        # Fixed: sent again, it arrives, signed with the secret shown.
        receiver.status = 200
        detail.get_by_test_id("delivery-redeliver").click()
        expect(detail.get_by_test_id("delivery-detail-status")).to_have_attribute("data-status", "delivered")
        expect(detail.get_by_test_id("attempt-code").last).to_have_text("200")
        detail.get_by_test_id("delivery-close").click()
        expect(detail).to_have_count(0)
        expect(delivery).to_have_attribute("data-status", "delivered")
        expect(delivery.get_by_test_id("delivery-code")).to_have_text("200")
        expect(panel.get_by_test_id("delivery-filter-delivered")).to_have_attribute("data-count", "1")

        arrived = receiver.events()[-1]
        assert arrived.headers["x-hobnail-event"] == "message.sent"
        assert arrived.signature_valid(saved["signing_secret"])
        assert arrived.json()["data"]["message"]["body"] == text

    # The filter tabs show one status; the log fits a phone screen.
    panel.get_by_test_id("delivery-filter-failed").click()
    expect(panel.get_by_test_id("delivery-empty")).to_be_visible()
    panel.get_by_test_id("delivery-filter-delivered").click()
    expect(panel.get_by_test_id("delivery-row")).to_have_count(1)
    page.set_viewport_size(PHONE)
    box = panel.get_by_test_id("delivery-log").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
