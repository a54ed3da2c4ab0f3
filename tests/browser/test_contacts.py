"""Contacts: search by pinyin initials and name, the person card; language switch; phone width."""

from __future__ import annotations

import pytest

from tests.browser.conftest import MEMBER_PASSWORD, NewPage, Site, expect, sign_in, unique

pytestmark = pytest.mark.browser


def test_directory_search_and_person_card(site: Site, new_page: NewPage) -> None:
    site.api.add_member(name="张三丰", email="sanfeng@example.com", title="太极宗师")
    site.api.add_member(name="Alice", email="alice@example.com")

    page = new_page(site.base_url)
    sign_in(page, "alice@example.com", MEMBER_PASSWORD)
    page.get_by_test_id("nav-contacts").click()
    expect(page).to_have_url(f"{site.base_url}/contacts")
    rows = page.get_by_test_id("member-row")
    expect(rows.filter(has_text="张三丰")).to_have_count(1)
    expect(rows.filter(has_text="Alice")).to_have_count(1)

    search = page.get_by_test_id("contacts-search")
    search.fill("zsf")
    expect(page.get_by_test_id("member-list-title")).to_have_text("Results for “zsf”")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("张三丰")

    search.fill("alice")
    expect(page.get_by_test_id("member-list-title")).to_have_text("Results for “alice”")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Alice")

    search.fill("nobody-here")
    expect(page.get_by_test_id("member-list-empty")).to_have_text("Nobody matches.")
    expect(rows).to_have_count(0)

    search.fill("zsf")
    expect(rows).to_have_count(1)
    rows.click()
    card = page.get_by_test_id("person-card")
    expect(card).to_be_visible()
    expect(card.get_by_test_id("person-name")).to_have_text("张三丰")
    expect(card.get_by_test_id("person-title")).to_have_text("太极宗师")
    expect(card.get_by_test_id("person-email")).to_have_text("sanfeng@example.com")
    expect(card.get_by_test_id("person-departments")).to_have_text("No department")
    card.get_by_test_id("dialog-close").click()
    expect(card).to_have_count(0)


def test_language_switch_changes_the_ui_and_persists(site: Site, new_page: NewPage) -> None:
    email = f"{unique('lang-')}@example.com"
    site.api.add_member(name="Lang Tester", email=email)

    page = new_page(site.base_url)
    sign_in(page, email, MEMBER_PASSWORD)
    html = page.locator("html")
    contacts = page.get_by_test_id("nav-contacts")
    expect(html).to_have_attribute("lang", "en")
    expect(contacts).to_have_text("Contacts")
    expect(page.get_by_test_id("nav-home")).to_have_text("Home")

    page.get_by_test_id("lang-switch").select_option("zh-CN")
    expect(contacts).to_have_text("通讯录")
    expect(page.get_by_test_id("nav-home")).to_have_text("首页")
    expect(html).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_test_id("lang-switch")).to_have_value("zh-CN")

    page.reload()
    expect(page.get_by_test_id("nav-contacts")).to_have_text("通讯录")
    expect(html).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_test_id("lang-switch")).to_have_value("zh-CN")
    # Saved to the profile, not only to this browser.
    assert page.request.get("/api/v1/me").json()["language"] == "zh-CN"

    page.get_by_test_id("lang-switch").select_option("en")
    expect(page.get_by_test_id("nav-contacts")).to_have_text("Contacts")
    expect(html).to_have_attribute("lang", "en")
    page.reload()
    expect(page.get_by_test_id("nav-contacts")).to_have_text("Contacts")
    expect(html).to_have_attribute("lang", "en")


def test_phone_width_navigation_and_contacts(site: Site, new_page: NewPage) -> None:
    email = f"{unique('phone-')}@example.com"
    department = site.api.add_department(unique("手机部-"))
    site.api.add_member(name="Pat Phone", email=email, department_ids=[department["id"]])

    page = new_page(site.base_url, viewport={"width": 375, "height": 740})
    sign_in(page, email, MEMBER_PASSWORD)

    nav = page.get_by_test_id("main-nav")
    expect(nav).to_be_visible()
    expect(page.get_by_test_id("nav-contacts")).to_be_in_viewport()
    box = nav.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] >= 740 - 2, f"navigation is not a bottom bar: {box}"
    assert box["width"] >= 375 - 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "the page scrolls sideways"

    page.get_by_test_id("nav-contacts").click()
    expect(page).to_have_url(f"{site.base_url}/contacts")
    expect(page.get_by_test_id("nav-contacts")).to_have_attribute("aria-current", "page")
    expect(page.get_by_test_id("member-row").filter(has_text="Pat Phone")).to_be_visible()

    # The department tree starts collapsed above the list; open it and pick the department.
    item = page.get_by_test_id("department-item").filter(has_text=department["name"])
    expect(item).to_be_hidden()
    page.get_by_test_id("tree-toggle").click()
    expect(item).to_be_visible()
    item.click()
    expect(page.get_by_test_id("member-list-title")).to_have_text(department["name"])
    expect(page.get_by_test_id("member-row")).to_have_count(1)
    expect(page.get_by_test_id("member-row")).to_contain_text("Pat Phone")
    expect(item).to_be_hidden()  # the tree folds away again after a choice
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "the page scrolls sideways"

    page.get_by_test_id("member-row").click()
    expect(page.get_by_test_id("person-card")).to_be_visible()
    expect(page.get_by_test_id("person-email")).to_have_text(email)
