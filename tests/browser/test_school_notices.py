"""School notices (通知, issue #10): a teacher sends a notice that asks families to confirm to
初一(3)班, with a file and a deadline. A guardian on a phone-sized screen sees it arrive live on
the school home, opens it (the teacher sees it read) and confirms (签收); the teacher's count
moves live without a reload. The teacher DINGs the families who have not confirmed: one
guardian has joined and gets the DING alert, the family nobody has joined for is listed as
not reached."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.browser.conftest import (
    MEMBER_PASSWORD,
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
GUARDIAN_PASSWORD = "guardian password 1"


def mobile() -> str:
    """A fresh mainland mobile number (139 + 8 digits)."""
    return f"139{random.randrange(10**8):08d}"


def put(api: Api, path: str, body: dict[str, object]) -> object:
    return check(api.client.put(f"/api/v1{path}", json=body))


def guardian_signs_up(base_url: str, code: str, *, name: str, phone: str, child: str, language: str = "en") -> None:
    """A guardian joins with the class's code, as the join page does, and picks a language."""
    with httpx.Client(base_url=base_url, timeout=15) as client:
        body = {"name": name, "phone": phone, "password": GUARDIAN_PASSWORD, "student_name": child}
        session = check(client.post(f"/api/v1/school/join/{code}/signup", json=body), 201)
        client.headers["X-CSRF-Token"] = session["csrf_token"]
        check(client.patch("/api/v1/me", json={"language": language}))


def test_a_guardian_confirms_on_a_phone_and_the_teacher_dings_the_rest(site: Site, new_page: NewPage) -> None:
    api = site.api
    put(api, "/school", {"enabled": True})
    grade = api.post("/school/grades", {"name": f"初一 {unique()}"}, 201)
    school_class = api.post("/school/classes", {"grade_id": grade["id"], "name": "初一(3)班"}, 201)
    class_id = school_class["id"]
    teacher_email = f"{unique('wang-')}@example.com"
    teacher = api.add_member(name=f"王老师 {unique()}", email=teacher_email)
    put(api, f"/school/classes/{class_id}/teachers", {"head_teacher_id": teacher["id"]})
    phones = {"小明": mobile(), "小红": mobile(), "小刚": mobile()}
    parents = {"小明": ("明爸", "父亲"), "小红": ("红妈", "母亲"), "小刚": ("刚爸", "父亲")}
    numbers = unique("S")
    for i, (child, (parent, relation)) in enumerate(parents.items(), start=1):
        guardian = {"name": parent, "phone": phones[child], "relation": relation}
        body = {"name": child, "student_no": f"{numbers}{i}", "guardians": [guardian]}
        api.post(f"/school/classes/{class_id}/students", body, 201)
    code = api.post(f"/school/classes/{class_id}/invitations", {"days_valid": 7}, 201)["code"]
    # 小明's father and 小红's mother join; nobody of 小刚's family has.
    guardian_signs_up(site.base_url, code, name="明爸", phone=phones["小明"], child="小明", language="zh-CN")
    guardian_signs_up(site.base_url, code, name="红妈", phone=phones["小红"], child="小红")

    # 明爸 waits on the school home of his phone, in Chinese; 红妈 on her computer.
    father = new_page(site.base_url, locale="zh-CN", viewport=PHONE, label="明爸")
    sign_in(father, phones["小明"], GUARDIAN_PASSWORD, path="/login?next=/school")
    received = father.get_by_test_id("school-notices-received")
    expect(received.get_by_test_id("notices-empty")).to_be_visible()
    wait_for_live_stream(father)
    mother = new_page(site.base_url, label="红妈")
    sign_in(mother, phones["小红"], GUARDIAN_PASSWORD, path="/login?next=/school")
    expect(mother.get_by_test_id("school-notices-received")).to_be_visible()
    wait_for_live_stream(mother)

    # The teacher writes the notice: the class, a file, confirmation with a deadline.
    teacher_page = new_page(site.base_url, label="teacher")
    sign_in(teacher_page, teacher_email, MEMBER_PASSWORD, path="/login?next=/school")
    teacher_page.get_by_test_id("school-notices").get_by_test_id("notice-new").click()
    form = teacher_page.get_by_test_id("notice-form")
    title = f"周五家长会 {unique()}"
    form.get_by_test_id("notice-title").fill(title)
    form.get_by_test_id("notice-text").fill("周五下午三点,在教室开家长会。")
    form.get_by_test_id("notice-class").filter(has_text="初一(3)班").get_by_test_id("notice-class-check").check()
    expect(form.get_by_test_id("notice-recipients-summary")).to_have_text("Whole classes: 1 · chosen students: 0")
    files = form.get_by_test_id("notice-files-box")
    files.get_by_test_id("ding-file-input").first.set_input_files(
        {"name": "家长会议程.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 agenda"}
    )
    expect(files.get_by_test_id("ding-attachment").first).to_have_attribute("data-state", "done")
    form.get_by_test_id("notice-require-confirm").check()
    deadline = (datetime.now(ZoneInfo("Asia/Shanghai")) + timedelta(days=2)).replace(hour=18, minute=0)
    form.get_by_test_id("notice-deadline-input").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_test_id("notice-send").click()

    page = teacher_page.get_by_test_id("notice-page")
    expect(page.get_by_test_id("notice-title")).to_have_text(title)
    summary = page.get_by_test_id("notice-summary")
    expect(summary.get_by_test_id("notice-counts-confirmed")).to_have_text("0 / 3 confirmed")
    expect(summary.get_by_test_id("notice-counts-read")).to_have_text("0 / 3 read")
    card = page.get_by_test_id("notice-class-card").filter(has_text="初一(3)班")
    expect(card.get_by_test_id("notice-unconfirmed-count")).to_have_text("3")

    # The notice arrives on the father's phone live, marked as waiting for him.
    item = received.get_by_test_id("notice-item").filter(has_text=title)
    expect(item).to_have_attribute("data-unconfirmed", "true")
    expect(item.get_by_test_id("notice-item-to-confirm")).to_have_text("待签收")
    item.get_by_test_id("notice-item-link").click()
    notice = father.get_by_test_id("notice-page")
    expect(notice.get_by_test_id("notice-title")).to_have_text(title)
    expect(notice.get_by_test_id("notice-body")).to_have_text("周五下午三点,在教室开家长会。")
    expect(notice.get_by_test_id("notice-file").get_by_test_id("ding-file-name")).to_have_text("家长会议程.pdf")
    expect(notice.get_by_test_id("notice-deadline")).to_be_visible()
    # Opening it marked it read: the teacher sees that live.
    expect(summary.get_by_test_id("notice-counts-read")).to_have_text("1 / 3 read")

    confirm = notice.get_by_test_id("notice-confirm")
    expect(confirm).to_have_text("签收")
    box = confirm.bounding_box()
    assert box is not None and box["height"] >= 44  # a large target on a phone
    confirm.click()
    mine = notice.get_by_test_id("notice-child")
    expect(mine).to_have_attribute("data-confirmed", "true")
    expect(mine.get_by_test_id("notice-child-state")).to_contain_text("你已签收")
    assert father.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The teacher's count moved without a reload; 小明 is on the confirmed list, by his father.
    expect(summary.get_by_test_id("notice-counts-confirmed")).to_have_text("1 / 3 confirmed")
    expect(card.get_by_test_id("notice-class-counts-confirmed")).to_have_text("1 / 3 confirmed")
    done = card.get_by_test_id("notice-confirmed").get_by_test_id("notice-family")
    expect(done).to_have_count(1)
    expect(done.get_by_test_id("notice-family-name")).to_have_text("小明")
    expect(done.get_by_test_id("notice-family-by")).to_contain_text("明爸")
    waiting = card.get_by_test_id("notice-unconfirmed").get_by_test_id("notice-family-name")
    expect(waiting).to_have_text(["小红", "小刚"])

    # DING the rest: 红妈 is reached, 小刚's family (nobody joined) is listed as not reached.
    summary.get_by_test_id("notice-ding-all").click()
    teacher_page.get_by_test_id("confirm-ok").click()
    result = summary.get_by_test_id("notice-ding-result")
    expect(result.get_by_test_id("notice-ding-sent")).to_have_text("Guardians DINGed: 1.")
    expect(result.get_by_test_id("notice-ding-unreachable")).to_contain_text("小刚")
    expect(result.get_by_test_id("notice-ding-unreachable")).not_to_contain_text("小红")

    alert = mother.get_by_role("alertdialog")
    expect(alert).to_be_visible()
    expect(alert.get_by_test_id("ding-alert-body")).to_contain_text(title)
    expect(father.get_by_test_id("ding-alert")).to_have_count(0)  # he has confirmed
