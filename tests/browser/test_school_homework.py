"""Homework (家校本) in the browser: a teacher assigns homework to their class with a file and
a due time in the school's time zone; a guardian on a phone-sized screen (in Chinese) hands
in text and a photo for their child, withdraws it and hands it in again; the teacher sees
the work arrive live, grades it with a level and a comment and marks it excellent; the
guardian sees the grade (优) and the class's excellent work."""

from __future__ import annotations

import random
import struct
import zlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.browser.conftest import MEMBER_PASSWORD, NewPage, Site, check, sign_in, unique, wait_for_live_stream

try:
    from playwright.sync_api import FilePayload, expect
except ImportError:  # pragma: no cover - conftest skips the tests
    pass

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
GUARDIAN_PASSWORD = "guardian password 1"


def mobile() -> str:
    """A fresh mainland mobile number (139 + 8 digits)."""
    return f"139{random.randrange(10**8):08d}"


def png(width: int = 4, height: int = 3) -> bytes:
    """A small, valid RGB PNG (a photo of the exercise book, as far as the server knows)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    pixel = [bytes((40 * x % 256, 120, (200 - 30 * y) % 256)) for y in range(height) for x in range(width)]
    rows = b"".join(b"\x00" + b"".join(pixel[y * width : (y + 1) * width]) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def school_with_a_family(site: Site) -> dict[str, str]:
    """The module's organisation as a school with one class (head teacher: a new member) and
    one child whose guardian has signed up with the class's join code."""
    api = site.api
    check(api.client.put("/api/v1/school", json={"enabled": True}))
    teacher_email = f"{unique('hw-teacher-')}@example.com"
    teacher = api.add_member(name=f"周老师 {unique()[:4]}", email=teacher_email)
    grade = api.post("/school/grades", {"name": f"三年级 {unique()[:4]}"}, 201)
    school_class = api.post(
        "/school/classes", {"grade_id": grade["id"], "name": "三年级(2)班", "head_teacher_id": teacher["id"]}, 201
    )
    phone, child = mobile(), f"林小雨{unique()[:4]}"
    api.post(
        f"/school/classes/{school_class['id']}/students",
        {
            "name": child,
            "student_no": unique("S"),
            "guardians": [{"name": "林妈妈", "phone": phone, "relation": "mother"}],
        },
        201,
    )
    invitation = api.post(f"/school/classes/{school_class['id']}/invitations", {"days_valid": 7}, 201)
    with httpx.Client(base_url=site.base_url, timeout=15) as fresh:
        body = check(
            fresh.post(
                f"/api/v1/school/join/{invitation['code']}/signup",
                json={"name": "林妈妈", "phone": phone, "password": GUARDIAN_PASSWORD, "student_name": child},
            ),
            201,
        )
        # The guardian reads Chinese (the organisation's language is English).
        fresh.headers["X-CSRF-Token"] = body["csrf_token"]
        check(fresh.patch("/api/v1/me", json={"language": "zh-CN"}))
    return {"teacher_email": teacher_email, "class_id": school_class["id"], "phone": phone, "child": child}


def test_homework_is_assigned_handed_in_withdrawn_again_and_graded(site: Site, new_page: NewPage) -> None:
    school = school_with_a_family(site)
    child = school["child"]
    title = f"练习册第 12 页 {unique()[:4]}"

    # --- the teacher assigns homework, due tomorrow 20:00 school time ---
    teacher = new_page(site.base_url, label="teacher")
    sign_in(teacher, school["teacher_email"], MEMBER_PASSWORD, path="/login?next=/school")
    section = teacher.get_by_test_id("school-homework")
    expect(section.get_by_test_id("hw-empty")).to_be_visible()
    section.get_by_test_id("hw-assign-link").click()

    form = teacher.get_by_test_id("hw-assign-form")
    expect(form.locator(f"[data-testid=hw-class][data-class-id='{school['class_id']}']")).to_be_checked()
    form.get_by_test_id("hw-subject-input").fill("数学")
    form.get_by_test_id("hw-title-input").fill(title)
    form.get_by_test_id("hw-body-input").fill("第 1–5 题，写出过程。")
    sheet: FilePayload = {"name": "练习.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 exercise sheet"}
    form.get_by_test_id("hw-assign-upload-files").set_input_files(sheet)
    expect(form.get_by_test_id("hw-upload-done")).to_have_count(1)
    due_day = (datetime.now(ZoneInfo("Asia/Shanghai")) + timedelta(days=1)).date().isoformat()
    form.get_by_test_id("hw-due-input").fill(f"{due_day}T20:00")
    form.get_by_test_id("hw-remind").select_option("60")
    form.get_by_test_id("hw-assign-submit").click()

    expect(teacher.get_by_test_id("hw-title")).to_have_text(title)
    expect(teacher.get_by_test_id("hw-files").get_by_test_id("hw-file-name")).to_have_text("练习.pdf")
    homework_id = teacher.get_by_test_id("hw-head").get_attribute("data-homework-id")
    assert homework_id
    stored = site.api.get(f"/school/homework/{homework_id}")
    assert stored["due_at_local"].startswith(f"{due_day}T20:00:00+08:00")
    assert stored["remind_before_minutes"] == 60
    expect(teacher.get_by_test_id("hw-subs-empty")).to_be_visible()
    expect(teacher.get_by_test_id("hw-stat-not_submitted").get_by_test_id("hw-stat-count")).to_have_text("1")
    wait_for_live_stream(teacher)

    # --- the guardian, on a phone in Chinese, hands in text and a photo ---
    guardian = new_page(site.base_url, locale="zh-CN", viewport=PHONE, label="guardian")
    sign_in(guardian, school["phone"], GUARDIAN_PASSWORD, path="/login?next=/school")
    mine = guardian.get_by_test_id("school-homework-children")
    item = mine.locator(f"[data-testid=hw-item][data-homework-id='{homework_id}']")
    expect(item.get_by_test_id("hw-child")).to_have_attribute("data-state", "not_submitted")
    expect(item.get_by_test_id("hw-state")).to_have_text("未提交")
    expect(mine.get_by_test_id("hw-home-due")).to_be_visible()
    item.get_by_test_id("hw-item-link").click()

    card = guardian.get_by_test_id("hw-child-card")
    expect(card.get_by_test_id("hw-child-name")).to_have_text(child)
    expect(guardian.get_by_test_id("hw-head").get_by_test_id("hw-due")).to_contain_text("20:00")
    card.get_by_test_id("hw-submit-body").fill("做完了")
    camera = card.get_by_test_id("hw-submit-upload-camera")
    expect(camera).to_have_attribute("capture", "environment")
    expect(camera).to_have_attribute("accept", "image/*")
    camera.set_input_files({"name": "作业.png", "mimeType": "image/png", "buffer": png()})
    expect(card.get_by_test_id("hw-upload-done")).to_have_count(1)
    card.get_by_test_id("hw-submit").click()
    expect(card).to_have_attribute("data-state", "submitted")
    expect(card.get_by_test_id("hw-my-body")).to_have_text("做完了")
    expect(card.get_by_test_id("hw-photo")).to_have_count(1)

    # The teacher sees it arrive without reloading.
    work = teacher.get_by_test_id("hw-submission").filter(has_text=child)
    expect(work).to_have_attribute("data-status", "submitted")
    expect(work.get_by_test_id("hw-sub-body")).to_have_text("做完了")
    expect(work.get_by_test_id("hw-photo")).to_have_count(1)
    expect(teacher.get_by_test_id("hw-stat-submitted").get_by_test_id("hw-stat-count")).to_have_text("1")

    # --- the guardian withdraws and hands in again, keeping the photo ---
    card.get_by_test_id("hw-withdraw").click()
    guardian.get_by_test_id("confirm-ok").click()
    expect(card).to_have_attribute("data-state", "not_submitted")
    expect(card.get_by_test_id("hw-withdrawn-note")).to_be_visible()
    expect(card.get_by_test_id("hw-submit-body")).to_have_value("做完了")
    expect(card.get_by_test_id("hw-upload-done")).to_have_count(1)
    expect(work).to_have_attribute("data-status", "withdrawn")
    card.get_by_test_id("hw-submit-body").fill("改好了")
    card.get_by_test_id("hw-submit").click()
    expect(card).to_have_attribute("data-state", "submitted")
    assert guardian.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # --- the teacher grades it: level A, a comment, excellent ---
    expect(work).to_have_attribute("data-status", "submitted")
    expect(work.get_by_test_id("hw-sub-body")).to_have_text("改好了")
    work.get_by_test_id("hw-grade-button").click()
    dialog = teacher.get_by_test_id("hw-grade-dialog")
    expect(dialog.get_by_test_id("hw-grade-mode-level")).to_be_checked()
    dialog.get_by_test_id("hw-level-A-label").click()
    expect(dialog.get_by_test_id("hw-level-A")).to_be_checked()
    dialog.get_by_test_id("hw-comment-input").fill("书写工整，步骤清楚。")
    dialog.get_by_test_id("hw-excellent-input").check()
    dialog.get_by_test_id("hw-grade-save").click()
    expect(dialog).to_have_count(0)
    expect(work).to_have_attribute("data-status", "graded")
    expect(work.get_by_test_id("hw-grade-value")).to_have_text("A")
    expect(work.get_by_test_id("hw-excellent")).to_be_visible()
    expect(teacher.get_by_test_id("hw-stat-graded").get_by_test_id("hw-stat-count")).to_have_text("1")

    # --- the guardian sees the grade (优 in Chinese) and the class's excellent work ---
    expect(card).to_have_attribute("data-state", "graded")
    expect(card.get_by_test_id("hw-grade-value")).to_have_text("优")
    expect(card.get_by_test_id("hw-grade-comment")).to_have_text("书写工整，步骤清楚。")
    expect(card.get_by_test_id("hw-withdraw")).to_have_count(0)
    expect(guardian.get_by_test_id("hw-excellent-work").get_by_test_id("hw-excellent-item")).to_have_count(1)

    # Back home, the child's state says graded.
    guardian.get_by_test_id("school-back").click()
    graded = guardian.locator(f"[data-testid=hw-item][data-homework-id='{homework_id}'] [data-testid=hw-child]")
    expect(graded).to_have_attribute("data-state", "graded")
    expect(graded.get_by_test_id("hw-child-grade")).to_have_text("优")
    assert guardian.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
