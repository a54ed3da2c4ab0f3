"""Signing in by e-mail or mobile number, a wrong password, signing out."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import (
    MEMBER_PASSWORD,
    ORG_NAME,
    OWNER_EMAIL,
    OWNER_PASSWORD,
    NewPage,
    Site,
    expect,
    sign_in,
)

pytestmark = pytest.mark.browser


def test_sign_in_by_email(site: Site, new_page: NewPage) -> None:
    page = new_page(site.base_url)
    page.goto("/")
    expect(page).to_have_url(f"{site.base_url}/login")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()

    page.get_by_label("E-mail or mobile number").fill(OWNER_EMAIL)
    page.get_by_label("Password").fill(OWNER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(f"{site.base_url}/")
    expect(page.get_by_test_id("org-name")).to_have_text(ORG_NAME)
    expect(page.get_by_test_id("welcome-card")).to_contain_text("Owner 老板")
    expect(page.get_by_test_id("nav-admin")).to_be_visible()


def test_sign_in_by_mobile_number(site: Site, new_page: NewPage) -> None:
    site.api.add_member(name="手机 用户", phone="13912345678", password=MEMBER_PASSWORD)

    page = new_page(site.base_url)
    page.goto("/login")
    page.get_by_test_id("login-identifier").fill("139 1234 5678")
    page.get_by_test_id("login-password").fill(MEMBER_PASSWORD)
    page.get_by_test_id("login-submit").click()

    expect(page).to_have_url(f"{site.base_url}/")
    expect(page.get_by_test_id("welcome-org")).to_have_text(ORG_NAME)
    expect(page.get_by_test_id("welcome-card")).to_contain_text("手机 用户")
    # A plain member: no Admin entry in the navigation.
    expect(page.get_by_test_id("nav-contacts")).to_be_visible()
    expect(page.get_by_test_id("nav-admin")).to_have_count(0)


def test_wrong_password_shows_an_error(site: Site, new_page: NewPage) -> None:
    page = new_page(site.base_url)
    page.goto("/login")
    page.get_by_test_id("login-identifier").fill(OWNER_EMAIL)
    page.get_by_test_id("login-password").fill("not the password")
    page.get_by_test_id("login-submit").click()

    expect(page.get_by_test_id("form-error")).to_have_text("The account or password is wrong.")
    expect(page).to_have_url(f"{site.base_url}/login")
    expect(page.get_by_test_id("app-header")).to_have_count(0)

    # Nothing typed: the form says so without asking the server.
    page.get_by_test_id("login-identifier").fill("")
    page.get_by_test_id("login-password").fill("")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_text("Enter your e-mail or mobile number and your password.")).to_be_visible()


def test_sign_out_returns_to_login_and_protects_pages(site: Site, new_page: NewPage) -> None:
    page = new_page(site.base_url)
    sign_in(page, OWNER_EMAIL, OWNER_PASSWORD)

    page.get_by_test_id("user-menu-button").click()
    expect(page.get_by_test_id("user-menu")).to_be_visible()
    page.get_by_test_id("sign-out").click()

    expect(page).to_have_url(f"{site.base_url}/login")
    expect(page.get_by_test_id("login-form")).to_be_visible()
    expect(page.get_by_test_id("app-header")).to_have_count(0)

    page.goto("/contacts")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fcontacts$"))
    expect(page.get_by_test_id("login-form")).to_be_visible()

    # Signing in again goes on to the page that was asked for.
    page.get_by_test_id("login-identifier").fill(OWNER_EMAIL)
    page.get_by_test_id("login-password").fill(OWNER_PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page).to_have_url(f"{site.base_url}/contacts")
    expect(page.get_by_test_id("department-tree")).to_be_visible()
