"""Students' own accounts (issue #10): a student joins with the class code, their number and
name; they are in the class's teachers-and-students chat (not the families' one), see
their own homework and hand it in, and see nothing of other students."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI

from tests.api.test_education import S
from tests.api.test_education_notices import school_with_families
from tests.support.api import check, settle, setup_org


async def test_a_student_joins_and_works_for_themselves(
    client: httpx.AsyncClient, make_client: Any, app: FastAPI
) -> None:
    await setup_org(client)
    setup = await school_with_families(client, make_client, app)
    head_client, head_teacher = setup["head"]
    ming, hong, _gang = setup["students"]
    code = setup["code"]
    fresh = await make_client()
    wrong = await fresh.post(
        f"{S}/join/{code}/student-signup",
        json={"student_no": "2026001", "name": "小红", "phone": "13900139001", "password": "student password"},
    )
    assert wrong.status_code == 404 and wrong.json()["error"]["code"] == "not_on_roster"
    no_contact = await fresh.post(
        f"{S}/join/{code}/student-signup", json={"student_no": "2026001", "name": "小明", "password": "student pw 1"}
    )
    assert no_contact.status_code == 422 and no_contact.json()["error"]["code"] == "contact_required"
    body = check(
        await fresh.post(
            f"{S}/join/{code}/student-signup",
            json={"student_no": "2026001", "name": "小明", "email": "xiaoming@example.com",
                  "password": "student password"},
        ),
        201,
    )  # fmt: skip
    fresh.headers["X-CSRF-Token"] = body["csrf_token"]
    again = await (await make_client()).post(
        f"{S}/join/{code}/student-signup",
        json={"student_no": "2026001", "name": "小明", "email": "other@example.com", "password": "student password"},
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "student_already_joined"
    await settle(app)
    home = check(await fresh.get(f"{S}/me"))
    assert [(c["name"], c["is_me"]) for c in home["children"]] == [("小明", True)]
    assert check(await fresh.get("/api/v1/members"))["items"] == []  # not staff
    chats = check(await fresh.get("/api/v1/conversations"))["items"]
    assert [c["name"] for c in chats] == ["初一(3)班 师生群"]
    # Homework: the student hands in their own, not another's.
    homework = check(
        await head_client.post(
            f"{S}/homework",
            json={"class_ids": [setup["class"]["id"]], "title": "背诵课文", "subject": "语文",
                  "due_at": "2099-01-01T20:00:00+08:00"},
        ),
        201,
    )  # fmt: skip
    mine = check(await fresh.get(f"{S}/homework"))
    assert [h["title"] for h in mine["items"]] == ["背诵课文"]
    check(
        await fresh.post(
            f"{S}/homework/{homework['id']}/submissions", json={"student_id": ming["id"], "body": "已背诵"}
        ),
        201,
    )
    other = await fresh.post(f"{S}/homework/{homework['id']}/submissions", json={"student_id": hong["id"], "body": "x"})
    assert other.status_code == 404
    assert (await fresh.get(f"{S}/students/{hong['id']}")).status_code == 404
    roster = {s["id"]: s for s in check(await head_client.get(f"{S}/classes/{setup['class']['id']}/students"))}
    assert roster[ming["id"]]["joined"] is True and roster[hong["id"]]["joined"] is False
    # The teacher and the student share the 师生群.
    student_chat = chats[0]["id"]
    members = {m["user_id"] for m in check(await head_client.get(f"/api/v1/conversations/{student_chat}/members"))}
    assert {head_teacher["id"], body["user_id"]} <= members
