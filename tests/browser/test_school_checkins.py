"""Daily check-in forms (每日打卡) in the browser: an admin creates a form in Admin → School
(fields, every day of the week, a window covering the current time); a guardian fills it in
for their child on a phone-sized screen and changes it; the teacher's "Check-in today" shows
the child under "checked in" (live) and the others under "not yet", and reminds the rest —
the other joined guardian gets the reminder, a second reminder too soon is refused.

The window is 00:00–23:59 in the school's timezone (Asia/Shanghai), every day: open whenever
the test runs, except in the last minutes before midnight, when the test waits for the new day.
"""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
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
    unique,
    wait_for_live_stream,
)

try:
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover - conftest skips the tests
    pass

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
ZONE = ZoneInfo("Asia/Shanghai")
GUARDIAN_PASSWORD = "guardian password 1"


def mobile() -> str:
    return f"139{random.randrange(10**8):08d}"


def put(api: Api, path: str, body: dict[str, object]) -> object:
    return check(api.client.put(f"/api/v1{path}", json=body))


def guardian_signs_up(base_url: str, code: str, *, name: str, phone: str, child: str) -> None:
    with httpx.Client(base_url=base_url, timeout=15) as client:
        body = {"name": name, "phone": phone, "password": GUARDIAN_PASSWORD, "student_name": child}
        check(client.post(f"/api/v1/school/join/{code}/signup", json=body), 201)


def wait_for_the_window() -> None:
    """The window closes at 23:59 (school time): near midnight, wait for the new day."""
    now = datetime.now(ZONE)
    if (now.hour, now.minute) >= (23, 55):
        midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=5, microsecond=0)
        time.sleep((midnight - now).total_seconds())


def test_families_check_in_and_the_teacher_reminds_the_rest(site: Site, new_page: NewPage) -> None:
    wait_for_the_window()
    api = site.api
    put(api, "/school", {"enabled": True})
    grade = api.post("/school/grades", {"name": f"初一 {unique()}"}, 201)
    school_class = api.post("/school/classes", {"grade_id": grade["id"], "name": "初一(3)班"}, 201)
    class_id = school_class["id"]
    teacher_email = f"{unique('wang-')}@example.com"
    teacher = api.add_member(name=f"王老师 {unique()}", email=teacher_email)
    put(api, f"/school/classes/{class_id}/teachers", {"head_teacher_id": teacher["id"], "subject_teachers": []})
    ming_phone, hong_phone, gang_phone = mobile(), mobile(), mobile()
    children = {}
    for name, phone, parent in (
        ("李小明", ming_phone, "李爸爸"),
        ("张小红", hong_phone, "张妈妈"),
        ("王小刚", gang_phone, "王爸爸"),
    ):
        children[name] = api.post(
            f"/school/classes/{class_id}/students",
            {
                "name": name,
                "student_no": unique("S"),
                "guardians": [{"name": parent, "phone": phone, "relation": "父亲"}],
            },
            201,
        )
    code = api.post(f"/school/classes/{class_id}/invitations", {"days_valid": 7}, 201)["code"]
    guardian_signs_up(site.base_url, code, name="李爸爸", phone=ming_phone, child="李小明")
    guardian_signs_up(site.base_url, code, name="张妈妈", phone=hong_phone, child="张小红")
    # 王小刚's family has not joined: they cannot be reminded.

    # The admin creates the form in Admin → School.
    admin = new_page(site.base_url, label="admin")
    sign_in(admin, OWNER_EMAIL, OWNER_PASSWORD, path="/login?next=/admin/school")
    card = admin.get_by_test_id("school-checkin-card")
    expect(card.get_by_test_id("checkin-forms-empty")).to_be_visible()
    card.get_by_test_id("checkin-form-new").click()
    dialog = admin.get_by_test_id("checkin-dialog")
    form_name = f"Morning check {unique()}"
    dialog.get_by_test_id("checkin-name").fill(form_name)
    rows = dialog.get_by_test_id("form-field-row")
    rows.nth(0).get_by_test_id("field-label").fill("Temperature")
    expect(rows.nth(0).get_by_test_id("field-type")).to_have_value("number")
    # Only the check-in field types are offered.
    expect(rows.nth(0).get_by_test_id("field-type").locator("option")).to_have_count(6)
    dialog.get_by_test_id("form-field-add").click()
    rows.nth(1).get_by_test_id("field-label").fill("Health")
    rows.nth(1).get_by_test_id("field-type").select_option("select")
    rows.nth(1).get_by_test_id("field-options").fill("Well, Unwell")
    rows.nth(1).get_by_test_id("field-required").check()
    expect(dialog.get_by_test_id("checkin-classes-all")).to_be_checked()
    days = dialog.get_by_test_id("checkin-weekday")
    expect(days).to_have_count(7)
    for i in range(7):
        days.nth(i).check()
    dialog.get_by_test_id("checkin-opens").fill("23:59")
    dialog.get_by_test_id("checkin-closes").fill("00:00")
    dialog.get_by_test_id("checkin-save").click()
    expect(dialog.get_by_test_id("checkin-closes")).to_have_attribute("aria-invalid", "true")  # not a window
    dialog.get_by_test_id("checkin-opens").fill("00:00")
    dialog.get_by_test_id("checkin-closes").fill("23:59")
    dialog.get_by_test_id("checkin-save").click()
    expect(dialog).to_have_count(0)
    row = card.get_by_test_id("checkin-form-row").filter(has_text=form_name)
    expect(row.get_by_test_id("checkin-form-state")).to_have_text("On")
    expect(row.get_by_test_id("checkin-form-facts")).to_contain_text("00:00–23:59")
    expect(row.get_by_test_id("checkin-form-facts")).to_contain_text("Every day")
    expect(row.get_by_test_id("checkin-form-facts")).to_contain_text("All classes")

    # The teacher watches the class; the other guardian waits on their phone.
    teacher_page = new_page(site.base_url, label="teacher")
    sign_in(teacher_page, teacher_email, MEMBER_PASSWORD, path="/login?next=/school")
    block = teacher_page.get_by_test_id("checkin-class").filter(has_text=form_name)
    expect(block.get_by_test_id("checkin-count")).to_have_text("0 of 3 checked in")
    expect(block.get_by_test_id("checkin-missing-row")).to_have_count(3)
    wait_for_live_stream(teacher_page)
    hong_page = new_page(site.base_url, viewport=PHONE, label="hong's mother")
    sign_in(hong_page, hong_phone, GUARDIAN_PASSWORD, path="/login?next=/school")
    expect(hong_page.get_by_test_id("checkin-item")).to_have_count(1)
    wait_for_live_stream(hong_page)

    # 李小明's father checks in on a phone, then changes a value.
    phone = new_page(site.base_url, viewport=PHONE, label="ming's father")
    sign_in(phone, ming_phone, GUARDIAN_PASSWORD, path="/login?next=/school")
    item = phone.get_by_test_id("school-checkins").get_by_test_id("checkin-item")
    expect(item).to_have_count(1)
    expect(item).to_have_attribute("data-student-id", children["李小明"]["id"])
    expect(item).to_have_attribute("data-state", "open")
    expect(item.get_by_test_id("checkin-window")).to_contain_text("00:00–23:59")
    item.get_by_role("spinbutton", name="Temperature").fill("36.6")
    item.get_by_test_id("checkin-submit").click()
    expect(item.get_by_role("combobox", name="Health")).to_have_attribute("aria-invalid", "true")  # required
    item.get_by_role("combobox", name="Health").select_option("Well")
    item.get_by_test_id("checkin-submit").click()
    expect(item).to_have_attribute("data-state", "done")
    expect(item.get_by_test_id("checkin-done")).to_contain_text("Checked in at")
    expect(item.get_by_test_id("checkin-values")).to_contain_text("36.6")
    item.get_by_test_id("checkin-change").click()
    expect(item.get_by_role("spinbutton", name="Temperature")).to_have_value("36.6")
    item.get_by_role("spinbutton", name="Temperature").fill("37.2")
    item.get_by_test_id("checkin-submit").click()
    expect(item.get_by_test_id("checkin-values")).to_contain_text("37.2")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The teacher sees it live: 李小明 checked in with the values, the others not yet.
    expect(block.get_by_test_id("checkin-count")).to_have_text("1 of 3 checked in")
    done = block.get_by_test_id("checkin-done-row")
    expect(done).to_have_count(1)
    expect(done.get_by_test_id("checkin-done-name")).to_have_text("李小明")
    expect(done.get_by_test_id("checkin-done-values")).to_contain_text("37.2")
    expect(done.get_by_test_id("checkin-done-values")).to_contain_text("Well")
    expect(block.get_by_test_id("checkin-missing-row")).to_have_count(2)
    for name in ("张小红", "王小刚"):
        expect(block.get_by_test_id("checkin-missing-list")).to_contain_text(name)

    # Remind the rest: 张小红's mother (joined) hears it; not twice within ten minutes.
    block.get_by_test_id("checkin-remind").click()
    expect(block.get_by_test_id("checkin-remind-status")).to_contain_text("Guardians reminded: 1.")
    expect(hong_page.get_by_test_id("toast").filter(has_text=form_name)).to_be_visible()
    expect(hong_page.get_by_test_id("checkin-reminder-notice")).to_contain_text(form_name)
    block.get_by_test_id("checkin-remind").click()
    expect(block.get_by_test_id("checkin-remind-status")).to_contain_text("reminded a moment ago")

    # The admin switches the form off: it stays listed, off.
    row.get_by_test_id("checkin-form-toggle").click()
    expect(row.get_by_test_id("checkin-form-state")).to_have_text("Off")
    expect(row).to_have_attribute("data-enabled", "false")
