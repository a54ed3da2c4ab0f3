"""Approvals screens: a member asks for two days of annual leave in the browser, their
department's manager sees it arrive in "Waiting for me" without a reload and approves it,
and the member's open request turns approved live while the balance drops from 5 to 3 days.
Admins set a department's managers and change a form's approval steps. Data is set up
through the API; the browser does the rest."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

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
    manager: Person
    member: Person
    monday: date


def put(api: Api, path: str, body: dict[str, Any]) -> Any:
    return check(api.client.put(f"/api/v1{path}", json=body))


def add_person(site: Site, first: str, department_id: str) -> Person:
    name = f"{first} {unique()}"
    email = f"{unique(first.lower() + '-')}@example.com"
    created = site.api.add_member(name=name, email=email, department_ids=[department_id])
    return Person(created["id"], name, email, signed_in_api(site.base_url, email, MEMBER_PASSWORD))


@pytest.fixture(scope="module")
def team(site: Site) -> Iterator[Team]:
    department = site.api.add_department(f"Sales {unique()}")
    manager = add_person(site, "Mia", department["id"])
    member = add_person(site, "Ned", department["id"])
    put(site.api, f"/departments/{department['id']}/managers", {"user_ids": [manager.id]})
    today = date.today()
    monday = today + timedelta(days=7 - today.weekday())  # next week's Monday
    put(
        site.api,
        "/leave/quotas",
        {"user_ids": [member.id], "leave_type": "annual", "year": monday.year, "quota_days": 5},
    )
    yield Team(site, department, manager, member, monday)
    manager.api.client.close()
    member.api.client.close()


def open_page(new_page: NewPage, team: Team, email: str, password: str, path: str, **options: Any) -> Page:
    page = new_page(team.site.base_url, label=email.split("@")[0], **options)
    sign_in(page, email, password, path=f"/login?next={path}")
    wait_for_live_stream(page)
    return page


def test_leave_request_approved_live_and_balance_drops(team: Team, new_page: NewPage) -> None:
    boss = open_page(new_page, team, team.manager.email, MEMBER_PASSWORD, "/approvals/todo")
    expect(boss.get_by_test_id("approvals-empty")).to_be_visible()

    ned = open_page(new_page, team, team.member.email, MEMBER_PASSWORD, "/approvals")
    ned.locator("[data-testid=approval-form-card][data-builtin=leave]").click()
    form = ned.get_by_test_id("approval-form")
    expect(form).to_be_visible()
    form.get_by_test_id("approval-field-leave_type").select_option("annual")
    form.get_by_test_id("approval-field-start").fill(team.monday.isoformat())
    form.get_by_test_id("approval-field-end").fill((team.monday + timedelta(days=1)).isoformat())
    expect(form.get_by_test_id("leave-days")).to_have_text("2 days")
    expect(form.get_by_test_id("leave-balance")).to_contain_text("5 days left")
    form.get_by_test_id("approval-field-reason").fill("Family trip")
    form.get_by_test_id("approval-submit").click()

    detail = ned.get_by_test_id("approval-detail")
    expect(detail.get_by_test_id("approval-status")).to_have_attribute("data-status", "pending")
    expect(detail.get_by_test_id("approval-days")).to_have_text("2 days")
    expect(detail.get_by_test_id("approval-approver")).to_have_attribute("data-user-id", team.manager.id)
    request_id = detail.get_attribute("data-request-id")

    # The manager's open list and nav badge show it without a reload.
    item = boss.locator(f"[data-testid=approval-item][data-request-id='{request_id}']")
    expect(item).to_be_visible()
    expect(boss.get_by_test_id("approvals-badge")).to_contain_text("1")
    expect(item.get_by_test_id("approval-item-title")).to_contain_text(team.member.name)
    item.get_by_role("link").click()
    expect(boss.get_by_test_id("approval-value-leave_type")).to_have_text("Annual leave")
    boss.get_by_test_id("approval-action-comment").fill("Enjoy")
    boss.get_by_test_id("approval-approve").click()
    expect(boss.get_by_test_id("approval-status")).to_have_attribute("data-status", "approved")
    expect(boss.get_by_test_id("approvals-badge")).to_be_hidden()

    # The member's open request turns approved live, with the comment in the timeline.
    expect(detail.get_by_test_id("approval-status")).to_have_attribute("data-status", "approved")
    expect(detail.locator("[data-testid=approval-activity][data-action=approved]")).to_contain_text("Enjoy")
    expect(detail.get_by_test_id("approval-actions")).to_have_count(0)

    ned.goto(f"/approvals/balance?year={team.monday.year}")
    ned.get_by_test_id("balance-year").select_option(str(team.monday.year))
    row = ned.locator("[data-testid=balance-row][data-leave-type=annual]")
    expect(row.get_by_test_id("balance-left")).to_have_text("3")


def test_admin_sets_department_managers_and_edits_a_flow(team: Team, new_page: NewPage) -> None:
    owner = open_page(new_page, team, OWNER_EMAIL, OWNER_PASSWORD, "/admin/departments")
    row = owner.locator(f"[data-testid=admin-department][data-department-id='{team.department['id']}']").first
    row.get_by_test_id("department-managers").first.click()
    dialog = owner.get_by_test_id("managers-dialog")
    expect(dialog.locator(f"[data-testid=manager-option][data-member-id='{team.manager.id}']")).to_be_checked()
    dialog.locator(f"[data-testid=manager-option][data-member-id='{team.member.id}']").check()
    dialog.get_by_test_id("managers-save").click()
    expect(dialog).to_be_hidden()
    expect(row.get_by_test_id("department-manager-names").first).to_contain_text(team.member.name)
    managers = next(d for d in team.site.api.departments() if d["id"] == team.department["id"])["manager_ids"]
    assert sorted(managers) == sorted([team.manager.id, team.member.id])

    owner.get_by_test_id("admin-tab-approvals").click()
    overtime = owner.locator("[data-testid=admin-form][data-builtin=overtime]")
    overtime.get_by_test_id("admin-form-edit").click()
    editor = owner.get_by_test_id("form-dialog")
    editor.get_by_test_id("flow-step-add").click()
    step = editor.get_by_test_id("flow-step").nth(1)
    step.get_by_test_id("flow-step-type").select_option("role")
    step.get_by_test_id("flow-step-mode").select_option("all")
    # HR is copied in when the request is decided.
    editor.get_by_test_id("flow-cc-search").fill(team.member.name)
    editor.locator(f"[data-testid=flow-cc-option][data-member-id='{team.member.id}']").click()
    editor.get_by_test_id("flow-cc-when").select_option("both")
    editor.get_by_test_id("form-save").click()
    expect(editor).to_be_hidden()
    expect(overtime).to_contain_text("Admin")
    form = next(f for f in team.site.api.get("/approvals/forms") if f["builtin"] == "overtime")
    assert [(n["type"], n["mode"]) for n in form["flow"]["nodes"]] == [("manager", "any"), ("role", "all")]
    assert form["flow"]["nodes"][1]["role"] == "admin"
    assert (form["flow"]["cc"], form["flow"]["cc_when"]) == ([team.member.id], "both")

    # Switching a form off hides it from the members' "Start a request".
    overtime.get_by_test_id("admin-form-enabled").uncheck()
    expect(owner.get_by_test_id("toast").last).to_contain_text("switched off")
    forms = team.member.api.get("/approvals/forms")
    assert "overtime" not in [f["builtin"] for f in forms]


def test_request_page_on_a_phone(team: Team, new_page: NewPage) -> None:
    general = next(f for f in team.member.api.get("/approvals/forms") if f["builtin"] == "general")
    team.member.api.post("/approvals", {"form_id": general["id"], "values": {"subject": "New laptop"}}, 201)
    phone = open_page(
        new_page, team, team.member.email, MEMBER_PASSWORD, "/approvals/mine", viewport={"width": 390, "height": 844}
    )
    item = phone.get_by_test_id("approval-item").first
    expect(item).to_be_visible()
    item.get_by_role("link").click()
    expect(phone.get_by_test_id("approval-steps")).to_be_visible()
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390


def test_leave_by_the_hour(team: Team, new_page: NewPage) -> None:
    """Two hours of personal leave on one day: the by-the-hour switch hides the end date and
    half-days, shows two time inputs, and the request counts 2 / 8 = 0.25 days."""
    day = team.monday + timedelta(days=2)
    ned = open_page(new_page, team, team.member.email, MEMBER_PASSWORD, "/approvals")
    ned.locator("[data-testid=approval-form-card][data-builtin=leave]").click()
    form = ned.get_by_test_id("approval-form")
    expect(form.get_by_test_id("approval-field-start_time")).to_be_hidden()
    form.get_by_test_id("approval-field-leave_type").select_option("personal")
    form.get_by_test_id("leave-by-hour").check()
    expect(form.get_by_test_id("approval-field-end")).to_be_hidden()
    expect(form.get_by_test_id("approval-field-start_half")).to_be_hidden()
    form.get_by_test_id("approval-field-start").fill(day.isoformat())
    form.get_by_test_id("approval-field-start_time").fill("09:30")
    form.get_by_test_id("approval-field-end_time").fill("11:30")
    expect(form.get_by_test_id("leave-hours")).to_have_text("2 h (0.25 days)")
    form.get_by_test_id("approval-field-reason").fill("Dentist")
    form.get_by_test_id("approval-submit").click()

    detail = ned.get_by_test_id("approval-detail")
    expect(detail.get_by_test_id("approval-days")).to_have_text("0.25 days")
    expect(detail.get_by_test_id("approval-value-start_time")).to_have_text("09:30")
    expect(detail.get_by_test_id("approval-value-end_time")).to_have_text("11:30")
