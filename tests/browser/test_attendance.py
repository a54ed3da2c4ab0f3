"""Attendance screens: a member inside the office fence clocks in on time (a double click
punches once) and sees the result; outside the fence the button is refused while field
clock-in is off, and after an admin turns it on in the group editor it becomes a field
punch with a note (on a phone-sized screen); the admin's Today board shows punches live and
the month exports as an XLSX download. Data is set up through the API; the browser does the
rest.

The server's clock cannot be frozen from a browser test, so the rules are chosen around the
real time in the organisation's zone (Asia/Shanghai): a fixed shift that starts half an hour
from now (clock-in is open two hours before), or a flexible day late at night."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

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
    from playwright.sync_api import Page, expect
except ImportError:  # pragma: no cover - conftest skips the tests
    pass

pytestmark = pytest.mark.browser

HQ = {"latitude": 31.2304, "longitude": 121.4737}
INSIDE = {"latitude": 31.2310, "longitude": 121.4740, "accuracy": 20}
OUTSIDE = {"latitude": 31.3000, "longitude": 121.6000, "accuracy": 25}


@dataclass
class Person:
    id: str
    name: str
    email: str
    api: Api


@dataclass
class Office:
    site: Site
    ann: Person  # HQ group, clocks in inside the fence
    cat: Person  # HQ group, punches through the API while the board is open
    bob: Person  # field group, outside the fence
    field_group_id: str


def add_person(site: Site, first: str) -> Person:
    name = f"{first} {unique()}"
    email = f"{unique(first.lower() + '-')}@example.com"
    created = site.api.add_member(name=name, email=email)
    return Person(created["id"], name, email, signed_in_api(site.base_url, email, MEMBER_PASSWORD))


def rules_for_now(**extra: Any) -> dict[str, Any]:
    """Rules under which a punch now is on time: every day a workday, no holiday calendar."""
    local = datetime.now(ZoneInfo("Asia/Shanghai"))
    rules: dict[str, Any] = {
        "workdays": [0, 1, 2, 3, 4, 5, 6],
        "holidays": False,
        "places": [{"name": "HQ 总部", **HQ, "radius": 300}],
        **extra,
    }
    # A flexible day runs 04:00–04:00, so before 04:00 a punch would count for yesterday, a day
    # before the group existed: then (and in the day) use a shift starting soon.
    if local.hour < 22:
        start = (local + timedelta(minutes=30)).replace(second=0, microsecond=0)
        end = start + timedelta(hours=1)
        rules.update(kind="fixed", shift={"id": "day", "name": "Day", "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"})
    else:
        rules.update(kind="flexible", flex_hours=1)
    return rules


@pytest.fixture(scope="module")
def office(site: Site) -> Iterator[Office]:
    ann, cat, bob = add_person(site, "Ann"), add_person(site, "Cat"), add_person(site, "Bob")
    site.api.post(
        "/attendance/groups", {"name": f"HQ {unique()}", "user_ids": [ann.id, cat.id], "rules": rules_for_now()}, 201
    )
    field_group = site.api.post(
        "/attendance/groups", {"name": f"Field {unique()}", "user_ids": [bob.id], "rules": rules_for_now()}, 201
    )
    yield Office(site, ann, cat, bob, field_group["id"])
    for person in (ann, cat, bob):
        person.api.client.close()


def open_page(
    new_page: NewPage,
    office: Office,
    email: str,
    password: str,
    path: str,
    *,
    geo: dict[str, float] | None = None,
    **options: Any,
) -> Page:
    page = new_page(office.site.base_url, label=email.split("@")[0], **options)
    if geo is not None:
        page.context.grant_permissions(["geolocation"], origin=office.site.base_url)
        page.context.set_geolocation(geo)
    sign_in(page, email, password, path=f"/login?next={path}")
    wait_for_live_stream(page)
    return page


def test_member_clocks_in_inside_the_fence(office: Office, new_page: NewPage) -> None:
    page = open_page(new_page, office, office.ann.email, MEMBER_PASSWORD, "/attendance", geo=INSIDE)
    expect(page.get_by_test_id("nav-attendance")).to_be_visible()
    today = page.get_by_test_id("attendance-today")
    expect(today.get_by_test_id("punch-reason")).to_have_text("Inside the office area: HQ 总部")
    button = today.get_by_test_id("punch-button")
    expect(button).to_be_enabled()
    expect(button).to_have_attribute("data-kind", "in")
    expect(button).to_contain_text("Clock in")

    button.dblclick()  # a double click punches once
    expect(today.get_by_test_id("punch-result")).to_contain_text("Clocked in at")
    expect(today.get_by_test_id("today-punch")).to_have_count(1)
    punch = today.get_by_test_id("today-punch")
    expect(punch).to_have_attribute("data-kind", "in")
    expect(punch).to_have_attribute("data-location", "place")
    expect(today.get_by_test_id("today-status")).to_have_attribute("data-status", "pending")
    expect(today.get_by_test_id("today-reasons")).to_have_count(0)  # on time: nothing to explain
    expect(button).to_have_attribute("data-kind", "out")
    expect(button).to_contain_text("Clock out")

    month = datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")
    punches = office.ann.api.get("/attendance/me/punches", month=month)
    assert len(punches) == 1 and punches[0]["device_id"].startswith("web-")

    # The month calendar marks today with a status label, and a day explains itself.
    day = page.locator("[data-testid=month-day][aria-current=date]")
    expect(day).to_have_attribute("data-status", "pending")
    expect(day).to_contain_text("In progress")
    day.click()
    dialog = page.get_by_test_id("day-dialog")
    expect(dialog.get_by_test_id("day-status")).to_have_text("In progress")
    expect(dialog.get_by_test_id("day-punches")).to_contain_text("Clock-in")
    expect(dialog.get_by_test_id("day-leave")).to_be_visible()
    dialog.get_by_test_id("dialog-close").click()


def test_outside_the_fence_refused_then_field_punch(office: Office, new_page: NewPage) -> None:
    phone = {"width": 390, "height": 844}
    bob = open_page(new_page, office, office.bob.email, MEMBER_PASSWORD, "/attendance", geo=OUTSIDE, viewport=phone)
    today = bob.get_by_test_id("attendance-today")
    button = today.get_by_test_id("punch-button")
    expect(today.get_by_test_id("punch-reason")).to_contain_text("field clock-in is not allowed")
    expect(today.get_by_test_id("punch-reason")).to_contain_text("from HQ 总部")
    expect(button).to_be_disabled()
    assert bob.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    # The admin turns field clock-in on in the group editor.
    owner = open_page(new_page, office, OWNER_EMAIL, OWNER_PASSWORD, "/admin/attendance")
    group = owner.locator(f"[data-testid=att-group][data-group-id='{office.field_group_id}']")
    group.get_by_test_id("att-group-edit").click()
    editor = owner.get_by_test_id("group-dialog")
    expect(editor.get_by_test_id("place-name")).to_have_value("HQ 总部")
    editor.get_by_test_id("group-field-allowed").check()
    editor.get_by_test_id("group-save").click()
    expect(editor).to_be_hidden()
    expect(group).to_contain_text("field clock-in allowed")

    bob.get_by_test_id("punch-relocate").click()
    expect(today.get_by_test_id("punch-reason")).to_contain_text("field clock-in with a note")
    expect(button).to_be_enabled()
    expect(button).to_have_attribute("data-kind", "field-in")
    button.click()
    dialog = bob.get_by_test_id("field-dialog")
    dialog.get_by_test_id("field-submit").click()
    expect(dialog.get_by_test_id("field-note")).to_have_attribute("aria-invalid", "true")
    expect(dialog).to_contain_text("needs a note")
    dialog.get_by_test_id("field-note").fill("Visiting a customer in Pudong")
    dialog.get_by_test_id("field-submit").click()
    expect(dialog).to_be_hidden()
    expect(today.get_by_test_id("punch-result")).to_contain_text("Field clock-in at")
    punch = today.get_by_test_id("today-punch")
    expect(punch).to_have_attribute("data-location", "field")
    expect(punch).to_contain_text("Visiting a customer in Pudong")
    expect(today.get_by_test_id("today-status")).to_have_attribute("data-status", "field")
    assert bob.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_admin_board_live_and_month_export(office: Office, new_page: NewPage) -> None:
    owner = open_page(new_page, office, OWNER_EMAIL, OWNER_PASSWORD, "/admin/attendance/today")
    expect(owner.get_by_test_id("board-counts")).to_be_visible()
    not_in = owner.get_by_test_id("board-list-not_in")
    expect(not_in.locator(f"[data-testid=board-person][data-user-id='{office.cat.id}']")).to_be_visible()

    # Cat clocks in from her phone (the API); the board moves her to "In" without a reload.
    body = {**INSIDE, "device_id": "phone-1", "client_id": unique("c-")}
    check(office.cat.api.client.post("/api/v1/attendance/punches", json=body), 201)
    in_list = owner.get_by_test_id("board-list-in")
    expect(in_list.locator(f"[data-testid=board-person][data-user-id='{office.cat.id}']")).to_be_visible()
    expect(in_list).to_contain_text(office.cat.name)

    owner.get_by_test_id("att-tab-report").click()
    row = owner.locator(f"[data-testid=report-row][data-user-id='{office.cat.id}']")
    expect(row).to_contain_text(office.cat.name)
    with owner.expect_download() as info:
        owner.get_by_test_id("report-export-xlsx").click()
    download = info.value
    assert download.suggested_filename.startswith("attendance-") and download.suggested_filename.endswith(".xlsx")
    path = download.path()
    assert path is not None and path.read_bytes()[:2] == b"PK"  # a zip: XLSX
    expect(owner.get_by_test_id("report-progress-text")).to_contain_text("Downloaded attendance-")


def test_admin_reviews_a_flagged_punch_and_rosters_a_shift(office: Office, new_page: NewPage) -> None:
    site = office.site
    dan = add_person(site, "Dan")
    try:
        shifts = [{"id": "early", "name": "Early", "start": "06:00", "end": "14:00"}]
        group = site.api.post(
            "/attendance/groups",
            {
                "name": f"Shifts {unique()}",
                "user_ids": [dan.id],
                "rules": {**rules_for_now(), "kind": "shift", "shifts": shifts},
            },
            201,
        )
        # Sub-metre accuracy is what location spoofers send: the punch counts but is flagged.
        body = {**INSIDE, "accuracy": 0.5, "device_id": "phone-dan", "client_id": unique("c-")}
        punch = check(dan.api.client.post("/api/v1/attendance/punches", json=body), 201)["punch"]
        assert punch["flags"] == ["implausible_accuracy"]

        owner = open_page(new_page, office, OWNER_EMAIL, OWNER_PASSWORD, "/admin/attendance/review")
        item = owner.locator(f"[data-testid=review-item][data-punch-id='{punch['id']}']")
        expect(item).to_contain_text(dan.name)
        expect(item.get_by_test_id("review-flag")).to_have_text("Implausible GPS accuracy")
        item.get_by_test_id("review-accept").click()
        expect(item).to_have_count(0)

        owner.get_by_test_id("att-tab-roster").click()
        owner.get_by_test_id("roster-group").select_option(group["id"])
        row = owner.locator(f"[data-testid=roster-row][data-user-id='{dan.id}']")
        tomorrow = (datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=1)).isoformat()
        row.locator(f"[data-testid=roster-cell][data-day='{tomorrow}']").select_option("early")
        owner.get_by_test_id("roster-save").click()
        expect(owner.get_by_test_id("toast").filter(has_text="Saved")).to_be_visible()
        roster = site.api.get(f"/attendance/groups/{group['id']}/roster", first=tomorrow, last=tomorrow)
        assert roster["entries"] == [{"user_id": dan.id, "day": tomorrow, "shift_id": "early"}]
    finally:
        dan.api.client.close()
