"""School screens (家校): an admin turns the organisation into a school, creates 初一 and
初一(3)班, makes a teacher its head teacher and imports the class roster from a CSV file —
the check shows the one bad row, the fixed file imports. A guardian opens the class's join
link on a phone-sized screen in Chinese, signs up with the number on the roster and the
child's name, and lands on the school home with their child; their navigation has no
staff entries (contacts, admin, attendance, approvals, reports)."""

from __future__ import annotations

import random
from urllib.parse import urlparse

import pytest

from tests.browser.conftest import (
    OWNER_EMAIL,
    OWNER_PASSWORD,
    Api,
    NewPage,
    Site,
    check,
    sign_in,
    unique,
)

try:
    from playwright.sync_api import FilePayload, expect
except ImportError:  # pragma: no cover - conftest skips the tests
    pass

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
HEADER = "学生姓名,学号,家长姓名,家长手机,关系\n"


def mobile() -> str:
    """A fresh mainland mobile number (139 + 8 digits)."""
    return f"139{random.randrange(10**8):08d}"


def put(api: Api, path: str, body: dict[str, object]) -> object:
    return check(api.client.put(f"/api/v1{path}", json=body))


def csv_file(text: str) -> FilePayload:
    return {"name": "roster.csv", "mimeType": "text/csv", "buffer": text.encode("utf-8")}


def import_roster(api: Api, class_id: str, csv_text: str) -> object:
    files = {"file": ("roster.csv", csv_text.encode("utf-8"), "text/csv")}
    return check(api.client.post(f"/api/v1/school/classes/{class_id}/roster", files=files))


def test_admin_sets_up_a_class_and_imports_its_roster(site: Site, new_page: NewPage) -> None:
    teacher_name = f"王老师 {unique()}"
    teacher = site.api.add_member(name=teacher_name, email=f"{unique('wang-')}@example.com")
    page = new_page(site.base_url, label="admin")
    sign_in(page, OWNER_EMAIL, OWNER_PASSWORD, path="/login?next=/admin/school")

    expect(page.get_by_test_id("admin-tab-school")).to_have_attribute("aria-current", "page")
    page.get_by_test_id("school-enable").click()
    expect(page.get_by_test_id("school-enabled")).to_be_visible()
    expect(page.get_by_test_id("nav-school")).to_be_visible()

    page.get_by_test_id("grade-name").fill("初一")
    page.get_by_test_id("grade-create").click()
    grade = page.get_by_test_id("grade").filter(has=page.get_by_test_id("grade-title").get_by_text("初一", exact=True))
    expect(grade).to_be_visible()
    grade.get_by_test_id("class-add").click()
    page.get_by_test_id("class-dialog-name").fill("初一(3)班")
    page.get_by_test_id("class-dialog-save").click()
    expect(page.get_by_test_id("class-dialog")).to_have_count(0)
    row = grade.get_by_test_id("class-row").filter(has_text="初一(3)班")
    expect(row).to_be_visible()
    row.get_by_test_id("class-open").click()

    expect(page.get_by_test_id("class-title")).to_have_text("初一(3)班")
    expect(page.get_by_test_id("roster-empty")).to_be_visible()
    page.get_by_test_id("class-teachers-edit").click()
    dialog = page.get_by_test_id("teachers-dialog")
    dialog.get_by_test_id("class-head-teacher-search").fill(teacher_name)
    dialog.locator(f"[data-testid=class-head-teacher-option][data-member-id='{teacher['id']}']").click()
    expect(dialog.get_by_test_id("class-head-teacher-chip")).to_have_text(f"{teacher_name} ×")
    dialog.get_by_test_id("teachers-save").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_test_id("class-head-teacher-name")).to_have_text(teacher_name)

    good, second = mobile(), mobile()
    no1, no2 = unique("S"), unique("S")
    bad = HEADER + f"李小明,{no1},李大明,{good},父亲\n张小红,{no2},张妈妈,12345,母亲\n"
    page.get_by_test_id("roster-file").set_input_files(csv_file(bad))
    page.get_by_test_id("roster-check").click()
    expect(page.get_by_test_id("roster-errors-summary")).to_be_visible()
    errors = page.get_by_test_id("roster-error-row")
    expect(errors).to_have_count(1)
    expect(errors).to_have_attribute("data-row", "3")
    expect(errors.get_by_test_id("roster-error-field")).to_have_text("Guardian mobile")
    expect(page.get_by_test_id("roster-empty")).to_be_visible()  # nothing half-imported

    fixed = bad.replace(",12345,", f",{second},")
    page.get_by_test_id("roster-file").set_input_files(csv_file(fixed))
    page.get_by_test_id("roster-check").click()
    expect(page.get_by_test_id("roster-check-ok")).to_be_visible()
    expect(page.get_by_test_id("roster-errors")).to_have_count(0)
    page.get_by_test_id("roster-import").click()
    expect(page.get_by_test_id("roster-imported")).to_be_visible()

    rows = page.get_by_test_id("roster-row")
    expect(rows).to_have_count(2)
    first = rows.filter(has_text="李小明")
    expect(first.get_by_test_id("roster-student-no")).to_have_text(no1)
    expect(first.get_by_test_id("roster-relation")).to_have_text("Father")
    expect(first.get_by_test_id("roster-phone")).to_have_text(f"{good[:3]}****{good[-4:]}")
    expect(first.get_by_test_id("roster-not-joined")).to_be_visible()
    expect(page.get_by_test_id("class-student-count")).to_have_text("2")

    page.get_by_test_id("join-code-create").click()
    expect(page.get_by_test_id("join-code-url")).to_have_value(
        f"{site.base_url}/school/join/" + page.get_by_test_id("join-code-code").input_value()
    )
    expect(page.get_by_test_id("join-code-row")).to_have_count(1)


def test_guardian_joins_with_the_class_link_on_a_phone(site: Site, new_page: NewPage) -> None:
    api = site.api
    put(api, "/school", {"enabled": True})
    grade = api.post("/school/grades", {"name": f"初二 {unique()}"}, 201)
    school_class = api.post("/school/classes", {"grade_id": grade["id"], "name": "初二(1)班"}, 201)
    phone, child = mobile(), f"陈小雨{unique()[:4]}"
    import_roster(api, school_class["id"], HEADER + f"{child},{unique('S')},陈妈妈,{phone},母亲\n")
    invitation = api.post(f"/school/classes/{school_class['id']}/invitations", {"days_valid": 7}, 201)

    page = new_page(site.base_url, locale="zh-CN", viewport=PHONE, label="guardian")
    page.goto(urlparse(invitation["url"]).path)
    expect(page.get_by_test_id("school-join-page").get_by_role("heading", level=1)).to_have_text("加入孩子的班级")
    expect(page.get_by_test_id("school-join-class")).to_contain_text("初二(1)班")
    page.get_by_test_id("school-join-name").fill("陈妈妈")
    page.get_by_test_id("school-join-phone").fill(phone)
    page.get_by_test_id("school-join-student").fill("陈小")  # not the child's name
    page.get_by_test_id("school-join-password").fill("guardian password 1")
    page.get_by_test_id("school-join-submit").click()
    expect(page.get_by_test_id("form-error")).to_be_visible()
    page.get_by_test_id("school-join-student").fill(child)
    page.get_by_test_id("school-join-submit").click()

    expect(page.get_by_test_id("school-home")).to_be_visible()
    assert urlparse(page.url).path == "/school"
    card = page.get_by_test_id("school-child")
    expect(card).to_have_count(1)
    expect(card.get_by_test_id("school-child-name")).to_have_text(child)
    expect(card.get_by_test_id("school-child-class")).to_contain_text("初二(1)班")
    expect(card.get_by_test_id("school-child-relation")).to_have_text("母亲")

    nav = page.get_by_test_id("main-nav")
    expect(nav.get_by_test_id("nav-school")).to_have_text("家校")
    expect(nav.get_by_test_id("nav-school")).to_have_attribute("aria-current", "page")
    for staff_only in ("contacts", "admin", "attendance", "approvals", "reports"):
        expect(nav.get_by_test_id(f"nav-{staff_only}")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
