"""First run: a fresh server sends every visitor to the setup page; setup signs the owner in."""

from __future__ import annotations

import httpx
import pytest

from tests.browser.conftest import NewPage, expect

pytestmark = pytest.mark.browser


def test_setup_creates_the_org_and_signs_the_owner_in(fresh_server: str, new_page: NewPage) -> None:
    page = new_page(fresh_server)
    page.goto("/")
    expect(page).to_have_url(f"{fresh_server}/setup")
    expect(page.get_by_role("heading", name="Set up Hobnail")).to_be_visible()

    page.get_by_test_id("setup-org-name").fill("Lantern 灯笼科技")
    page.get_by_test_id("setup-timezone").select_option("Europe/Berlin")
    page.get_by_test_id("setup-language").select_option("en")
    page.get_by_test_id("setup-owner-name").fill("Mei Lin")
    page.get_by_test_id("setup-email").fill("mei@example.com")
    page.get_by_test_id("setup-password").fill("a long enough passphrase")
    page.get_by_test_id("setup-submit").click()

    expect(page).to_have_url(f"{fresh_server}/")
    expect(page.get_by_test_id("org-name")).to_have_text("Lantern 灯笼科技")
    expect(page.get_by_test_id("welcome-org")).to_have_text("Lantern 灯笼科技")
    expect(page.get_by_test_id("welcome-card")).to_contain_text("Mei Lin")

    page.reload()
    expect(page).to_have_url(f"{fresh_server}/")
    expect(page.get_by_test_id("welcome-org")).to_have_text("Lantern 灯笼科技")
    expect(page.get_by_test_id("login-form")).to_have_count(0)

    # Setup happens once: the page is gone now.
    page.goto("/setup")
    expect(page).to_have_url(f"{fresh_server}/")
    assert httpx.get(f"{fresh_server}/api/v1/setup").json() == {"needed": False}


def test_setup_rejects_a_weak_password_next_to_the_field(fresh_server: str, new_page: NewPage) -> None:
    page = new_page(fresh_server)
    page.goto("/")
    expect(page.get_by_test_id("setup-form")).to_be_visible()

    page.get_by_test_id("setup-org-name").fill("Weak Co")
    page.get_by_test_id("setup-owner-name").fill("Wei")
    page.get_by_test_id("setup-email").fill("wei@example.com")
    password = page.get_by_test_id("setup-password")
    password.fill("short")
    page.get_by_test_id("setup-submit").click()

    expect(password).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("That password is too weak.")).to_be_visible()
    expect(page).to_have_url(f"{fresh_server}/setup")
    assert httpx.get(f"{fresh_server}/api/v1/setup").json() == {"needed": True}
