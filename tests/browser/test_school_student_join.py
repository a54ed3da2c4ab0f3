"""A student joins their class with its link on a phone: chooses "I am a student", signs up
with their student number, their name and an e-mail address, and lands on the school home
with themselves as the one student they answer for."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.browser.conftest import NewPage, Site, unique
from tests.browser.test_school import HEADER, PHONE, import_roster, mobile, put

try:
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover - conftest skips the tests
    pass

pytestmark = pytest.mark.browser


def test_a_student_joins_with_the_class_link(site: Site, new_page: NewPage) -> None:
    api = site.api
    put(api, "/school", {"enabled": True})
    grade = api.post("/school/grades", {"name": f"初三 {unique()}"}, 201)
    school_class = api.post("/school/classes", {"grade_id": grade["id"], "name": "初三(2)班"}, 201)
    name, number = f"林小舟{unique()[:4]}", unique("S")
    import_roster(api, school_class["id"], HEADER + f"{name},{number},林爸爸,{mobile()},父亲\n")
    invitation = api.post(f"/school/classes/{school_class['id']}/invitations", {"days_valid": 7}, 201)

    page = new_page(site.base_url, locale="zh-CN", viewport=PHONE, label="student")
    page.goto(urlparse(invitation["url"]).path)
    page.get_by_test_id("school-join-role-student").check()
    expect(page.get_by_test_id("school-join-student")).to_have_count(0)  # no "child's name" for students
    page.get_by_test_id("school-join-student-no").fill(number)
    page.get_by_test_id("school-join-own-name").fill("别人")  # not on the roster
    page.get_by_test_id("school-join-contact").fill(f"{unique('s').lower()}@example.com")
    page.get_by_test_id("school-join-password").fill("student password 1")
    page.get_by_test_id("school-join-submit").click()
    expect(page.get_by_test_id("form-error")).to_be_visible()
    page.get_by_test_id("school-join-own-name").fill(name)
    page.get_by_test_id("school-join-submit").click()

    expect(page.get_by_test_id("school-home")).to_be_visible()
    card = page.get_by_test_id("school-child")
    expect(card).to_have_count(1)
    expect(card.get_by_test_id("school-child-name")).to_have_text(name)
    expect(card.get_by_test_id("school-child-me")).to_be_visible()
    expect(page.get_by_test_id("school-children").get_by_role("heading", level=2)).to_have_text("我")
    roster = api.get(f"/school/classes/{school_class['id']}/students")
    assert [s["joined"] for s in roster if s["student_no"] == number] == [True]
