"""Work report screens (日志): a member writes today's daily report to their department's
manager in the browser; the manager's Received list shows it unread without a reload,
opening it marks it read (the writer's Sent list turns "1/1 read" live) and the manager
comments; the manager's statistics for today show the writer and everyone else of the
department as the API counts them. A draft is saved, continued and deleted on a
phone-sized screen; an admin designs a custom template. Data is set up through the API;
the browser does the rest.

The server's clock cannot be frozen from a browser test, so the daily template's deadline
is chosen around the real time in the organisation's zone (Asia/Shanghai): 23:59 (not due
yet) unless that is less than half an hour away, else 00:00 (already passed). Today is
made a working day in the holiday calendar, so a daily report is due whatever the date."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
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


@dataclass
class Person:
    id: str
    name: str
    email: str
    api: Api


@dataclass
class Team:
    site: Site
    department: dict[str, Any]
    manager: Person  # the department's manager: receives the reports, sees the statistics
    member: Person  # writes the daily report
    other: Person  # writes nothing (and a draft)
    daily: dict[str, Any]
    today: str
    passed: bool  # today's deadline has passed already


def put(api: Api, path: str, body: dict[str, Any]) -> Any:
    return check(api.client.put(f"/api/v1{path}", json=body))


def patch(api: Api, path: str, body: dict[str, Any]) -> Any:
    return check(api.client.patch(f"/api/v1{path}", json=body))


def add_person(site: Site, first: str, department_id: str) -> Person:
    name = f"{first} {unique()}"
    email = f"{unique(first.lower() + '-')}@example.com"
    created = site.api.add_member(name=name, email=email, department_ids=[department_id])
    return Person(created["id"], name, email, signed_in_api(site.base_url, email, MEMBER_PASSWORD))


@pytest.fixture(scope="module")
def team(site: Site) -> Iterator[Team]:
    department = site.api.add_department(f"Ops {unique()}")
    manager = add_person(site, "Mia", department["id"])
    member = add_person(site, "Ned", department["id"])
    other = add_person(site, "Zoe", department["id"])
    put(site.api, f"/departments/{department['id']}/managers", {"user_ids": [manager.id]})
    local = datetime.now(ZoneInfo("Asia/Shanghai"))
    today = local.date().isoformat()
    put(site.api, f"/attendance/calendar/{today}", {"kind": "workday", "name": ""})
    passed = local.hour == 23 and local.minute >= 29
    daily = next(t for t in site.api.get("/report-templates") if t["builtin"] == "daily")
    daily = patch(
        site.api,
        f"/report-templates/{daily['id']}",
        {
            "rules": {
                "department_ids": [department["id"]],
                "period": "daily",
                "deadline": "00:00" if passed else "23:59",
                "remind_before_minutes": 0,
            },
            "recipients": {"manager": True, "user_ids": [], "chat_ids": []},
        },
    )
    yield Team(site, department, manager, member, other, daily, today, passed)
    for person in (manager, member, other):
        person.api.client.close()


def open_page(new_page: NewPage, team: Team, email: str, password: str, path: str, **options: Any) -> Page:
    page = new_page(team.site.base_url, label=email.split("@")[0], **options)
    sign_in(page, email, password, path=f"/login?next={path}")
    wait_for_live_stream(page)
    return page


def test_daily_report_read_commented_and_counted(team: Team, new_page: NewPage) -> None:
    boss = open_page(new_page, team, team.manager.email, MEMBER_PASSWORD, "/reports/received")
    expect(boss.get_by_test_id("reports-empty")).to_be_visible()
    expect(boss.get_by_test_id("reports-tab-stats")).to_be_visible()  # a department manager

    ned = open_page(new_page, team, team.member.email, MEMBER_PASSWORD, "/reports")
    expect(ned.get_by_test_id("nav-reports")).to_be_visible()
    expect(ned.get_by_test_id("reports-tab-stats")).to_be_hidden()  # neither admin nor manager
    ned.locator("[data-testid=report-template-card][data-builtin=daily]").click()
    form = ned.get_by_test_id("report-form")
    expect(form.get_by_test_id("report-to-manager")).to_contain_text("Your direct manager")
    expect(form.get_by_test_id("report-period")).to_have_value(team.today)
    form.get_by_test_id("report-field-done").fill("Shipped the quarterly report 季度报告")
    form.get_by_test_id("report-field-unfinished").fill("Invoices")
    form.get_by_test_id("report-field-help").fill("Need finance sign-off")
    form.get_by_test_id("report-submit").click()

    detail = ned.get_by_test_id("report-detail")
    expect(detail.get_by_test_id("report-value-done")).to_have_text("Shipped the quarterly report 季度报告")
    report_id = detail.get_attribute("data-report-id")
    reader = detail.locator(f"[data-testid=report-reader][data-user-id='{team.manager.id}']")
    expect(reader).to_have_attribute("data-read", "false")
    expect(detail.get_by_test_id("report-edit")).to_be_visible()  # nobody has read it yet

    # The manager's open inbox shows it, unread, with the nav badge, without a reload.
    item = boss.locator(f"[data-testid=report-item][data-report-id='{report_id}']")
    expect(item).to_have_attribute("data-read", "false")
    expect(item.get_by_test_id("report-unread")).to_be_visible()
    expect(item.get_by_test_id("report-item-title")).to_contain_text(team.member.name)
    expect(boss.get_by_test_id("reports-badge")).to_contain_text("1")
    boss.get_by_test_id("report-search").fill("季度报告")
    expect(boss.get_by_test_id("report-item")).to_have_count(1)
    boss.get_by_test_id("report-search").fill("nothing-like-this")
    expect(boss.get_by_test_id("reports-empty")).to_be_visible()
    boss.get_by_test_id("report-search").fill("")
    item.get_by_test_id("report-item-link").click()

    # Opening it marks it read: the writer's open report turns read live.
    shown = boss.get_by_test_id("report-detail")
    expect(shown.get_by_test_id("report-value-unfinished")).to_have_text("Invoices")
    expect(boss.get_by_test_id("reports-badge")).to_be_hidden()
    expect(reader).to_have_attribute("data-read", "true")
    expect(detail.get_by_test_id("report-edit")).to_have_count(0)
    assert team.member.api.get(f"/reports/{report_id}")["read_count"] == 1

    shown.get_by_test_id("report-like").click()
    expect(shown.get_by_test_id("report-like")).to_have_attribute("aria-pressed", "true")
    shown.get_by_test_id("report-comment-input").fill("Great work 辛苦了")
    shown.get_by_test_id("report-comment-send").click()
    expect(shown.get_by_test_id("report-comment-body")).to_have_text("Great work 辛苦了")
    expect(detail.get_by_test_id("report-comment-body")).to_have_text("Great work 辛苦了")  # live

    ned.get_by_test_id("report-back").click()
    sent = ned.locator(f"[data-testid=report-item][data-report-id='{report_id}']")
    expect(sent.get_by_test_id("report-read-count")).to_have_text("1/1 read")
    expect(sent.get_by_test_id("report-readers")).to_contain_text(team.manager.name)
    expect(sent.get_by_test_id("report-edit")).to_have_count(0)

    # The manager's statistics for today: as the API counts them.
    boss.get_by_test_id("nav-reports").click()
    boss.get_by_test_id("reports-tab-stats").click()
    boss.get_by_test_id("stats-first").fill(team.today)
    boss.get_by_test_id("stats-last").fill(team.today)
    stats = team.manager.api.get("/reports/stats", template_id=team.daily["id"], first=team.today, last=team.today)
    assert stats["keys"] == [team.today]
    states = {row["user_id"]: row["periods"][team.today] for row in stats["rows"]}
    waiting = "missing" if team.passed else "pending"
    assert states == {
        team.member.id: "late" if team.passed else "on_time",
        team.manager.id: waiting,
        team.other.id: waiting,
    }
    table = boss.get_by_test_id("stats-table")
    expect(table.get_by_test_id("stats-row")).to_have_count(3)
    for user_id, state in states.items():
        row = table.locator(f"[data-testid=stats-row][data-user-id='{user_id}']")
        expect(row.locator(f"td[data-col={state}]")).to_have_text("1")
    expect(boss.get_by_test_id("stats-total-on_time")).to_have_text("0" if team.passed else "1")
    expect(boss.get_by_test_id(f"stats-total-{waiting}")).to_have_text("2")
    expect(boss.locator(f"[data-testid=stats-trend-period][data-key='{team.today}']")).to_be_visible()

    with boss.expect_download() as download:
        boss.get_by_test_id("stats-export-xlsx").click()
    assert download.value.suggested_filename == f"reports-{team.today}-{team.today}.xlsx"
    expect(boss.get_by_test_id("stats-progress-text")).to_contain_text("reports-")


def test_draft_saved_continued_and_deleted_on_a_phone(team: Team, new_page: NewPage) -> None:
    phone = open_page(
        new_page, team, team.other.email, MEMBER_PASSWORD, "/reports", viewport={"width": 390, "height": 844}
    )
    phone.locator("[data-testid=report-template-card][data-builtin=daily]").click()
    form = phone.get_by_test_id("report-form")
    form.get_by_test_id("report-field-done").fill("Half-written")
    form.get_by_test_id("report-recipients-search").fill(team.member.name)
    phone.locator(f"[data-testid=report-recipients-option][data-member-id='{team.member.id}']").click()
    expect(form.get_by_test_id("report-recipients-chip")).to_have_count(1)
    form.get_by_test_id("report-save-draft").click()
    expect(form.get_by_test_id("report-status")).to_have_text("Draft saved")
    form.get_by_test_id("report-save-draft").click()  # a second save changes the same draft
    expect(phone.get_by_test_id("toast").last).to_contain_text("Draft saved")
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
    drafts = team.other.api.get("/reports", box="drafts")
    assert len(drafts) == 1 and drafts[0]["recipient_ids"] == [team.member.id]

    phone.get_by_test_id("report-back").click()
    draft = phone.get_by_test_id("report-draft")
    expect(draft).to_have_count(1)
    draft.get_by_test_id("report-draft-continue").click()
    expect(phone.get_by_test_id("report-field-done")).to_have_value("Half-written")
    expect(phone.get_by_test_id("report-recipients-chip")).to_contain_text(team.member.name)
    phone.get_by_test_id("report-back").click()
    phone.get_by_test_id("report-draft-delete").click()
    phone.get_by_test_id("confirm-ok").click()
    expect(phone.get_by_test_id("report-drafts-empty")).to_be_visible()
    assert team.other.api.get("/reports", box="drafts") == []
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390


def test_admin_designs_a_custom_template(team: Team, new_page: NewPage) -> None:
    owner = open_page(new_page, team, OWNER_EMAIL, OWNER_PASSWORD, "/admin/reports")
    expect(owner.get_by_test_id("admin-tab-reports")).to_have_attribute("aria-current", "page")
    expect(owner.locator("[data-testid=admin-template][data-builtin=daily]")).to_be_visible()
    owner.get_by_test_id("admin-template-new").click()
    dialog = owner.get_by_test_id("template-dialog")
    name = f"Visits {unique()}"
    dialog.get_by_test_id("template-name").fill(name)
    dialog.get_by_test_id("field-label").first.fill("Customers visited")
    dialog.get_by_test_id("form-field-add").click()
    dialog.get_by_test_id("field-label").nth(1).fill("Photos")
    dialog.get_by_test_id("field-type").nth(1).select_option("image")
    dialog.locator(f"[data-testid=template-department][data-department-id='{team.department['id']}']").check()
    dialog.get_by_test_id("template-period").select_option("weekly")
    dialog.get_by_test_id("template-deadline").fill("18:00")
    dialog.get_by_test_id("template-save").click()
    expect(dialog).to_have_count(0)
    row = owner.locator("[data-testid=admin-template]", has_text=name)
    expect(row).to_contain_text("due 18:00")

    created = next(t for t in team.member.api.get("/report-templates") if t["name"] == name)
    assert [f["type"] for f in created["fields"]] == ["textarea", "image"]
    assert created["rules"]["period"] == "weekly" and created["rules"]["department_ids"] == [team.department["id"]]
    assert created["recipients"]["manager"] is True

    row.get_by_test_id("admin-template-enabled").uncheck()
    expect(owner.get_by_test_id("toast").last).to_contain_text("switched off")
    assert name not in [t["name"] for t in team.member.api.get("/report-templates")]
