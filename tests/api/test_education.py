"""School setup (issue #10) through the API: turning the school on, grades and classes,
teachers, students and guardians (at most 10 children each), guardians joining with a
class code, guardians kept out of the staff directory, home data and events."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI

from tests.support.api import check, events_after, head, member_client, settle, setup_org

S = "/api/v1/school"


async def school_with_class(client: httpx.AsyncClient, make_client: Any) -> dict[str, Any]:
    """A school with grade 初一, class 初一(3)班, a head teacher and a maths teacher."""
    check(await client.put(S, json={"enabled": True}))
    grade = check(await client.post(f"{S}/grades", json={"name": "初一"}), 201)
    klass = check(await client.post(f"{S}/classes", json={"grade_id": grade["id"], "name": "初一(3)班"}), 201)
    head_client, head_teacher = await member_client(
        client, await make_client(), name="王老师", email="wang@example.com", title="班主任"
    )
    maths_client, maths = await member_client(client, await make_client(), name="李老师", email="li@example.com")
    check(
        await client.put(
            f"{S}/classes/{klass['id']}/teachers",
            json={"head_teacher_id": head_teacher["id"],
                  "subject_teachers": [{"subject": "数学", "user_id": maths["id"]},
                                       {"subject": "语文", "user_id": head_teacher["id"]}]},
        )
    )  # fmt: skip
    return {"grade": grade, "class": klass, "head": (head_client, head_teacher), "maths": (maths_client, maths)}


def guardian(name: str, phone: str, relation: str = "父亲") -> dict[str, str]:
    return {"name": name, "phone": phone, "relation": relation}


async def enrol(client: httpx.AsyncClient, class_id: str, name: str, number: str, *guardians: dict[str, str]) -> Any:
    body = {"name": name, "student_no": number, "guardians": list(guardians)}
    return check(await client.post(f"{S}/classes/{class_id}/students", json=body), 201)


async def guardian_signs_up(
    make_client: Any, code: str, *, name: str, phone: str, child: str
) -> tuple[httpx.AsyncClient, dict[str, Any]]:
    fresh = await make_client()
    body = check(
        await fresh.post(
            f"{S}/join/{code}/signup",
            json={"name": name, "phone": phone, "password": "guardian password", "student_name": child},
        ),
        201,
    )
    fresh.headers["X-CSRF-Token"] = body["csrf_token"]
    return fresh, body


async def test_an_admin_turns_the_school_on_and_builds_grades_and_classes(
    client: httpx.AsyncClient, make_client: Any
) -> None:
    await setup_org(client)
    off = await client.get(f"{S}/grades")
    assert off.status_code == 404 and off.json()["error"]["code"] == "school_not_enabled"
    assert check(await client.get(S))["enabled"] is False
    _, member = await member_client(client, await make_client(), name="Staff", email="s@example.com")
    school = check(await client.put(S, json={"enabled": True}))
    assert school["enabled"] is True and school["grade_count"] == 0
    assert check(await client.get("/api/v1/org"))["kind"] == "school"
    grade = check(await client.post(f"{S}/grades", json={"name": "初一"}), 201)
    second = check(await client.post(f"{S}/grades", json={"name": "初二"}), 201)
    assert second["position"] == grade["position"] + 1
    taken = await client.post(f"{S}/grades", json={"name": "初一"})
    assert taken.status_code == 409 and taken.json()["error"]["code"] == "grade_name_taken"
    klass = check(
        await client.post(
            f"{S}/classes", json={"grade_id": grade["id"], "name": "初一(3)班", "head_teacher_id": member["id"]}
        ),
        201,
    )
    assert klass["grade_name"] == "初一" and klass["head_teacher"] == {"id": member["id"], "name": "Staff"}
    dup = await client.post(f"{S}/classes", json={"grade_id": grade["id"], "name": "初一(3)班"})
    assert dup.status_code == 409 and dup.json()["error"]["code"] == "class_name_taken"
    moved = check(
        await client.patch(f"{S}/classes/{klass['id']}", json={"grade_id": second["id"], "name": "初二(3)班"})
    )
    assert moved["grade_name"] == "初二"
    assert [g["class_count"] for g in check(await client.get(f"{S}/grades"))] == [0, 1]
    busy = await client.delete(f"{S}/grades/{second['id']}")
    assert busy.status_code == 409 and busy.json()["error"]["code"] == "grade_not_empty"
    off_again = await client.put(S, json={"enabled": False})
    assert off_again.status_code == 409 and off_again.json()["error"]["code"] == "school_not_empty"
    check(await client.delete(f"{S}/classes/{klass['id']}"), 204)
    check(await client.delete(f"{S}/grades/{second['id']}"), 204)
    check(await client.patch(f"{S}/grades/{grade['id']}", json={"name": "七年级"}))
    assert [g["name"] for g in check(await client.get(f"{S}/grades"))] == ["七年级"]
    unknown = await client.post(f"{S}/classes", json={"grade_id": "nope", "name": "x"})
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "grade_not_found"


async def test_only_admins_change_the_school_and_teachers_must_be_staff(
    client: httpx.AsyncClient, make_client: Any
) -> None:
    await setup_org(client)
    setup = await school_with_class(client, make_client)
    head_client, _ = setup["head"]
    klass = setup["class"]
    for method, url, body in [
        ("PUT", S, {"enabled": False}),
        ("POST", f"{S}/grades", {"name": "初三"}),
        ("PATCH", f"{S}/grades/{setup['grade']['id']}", {"name": "x"}),
        ("POST", f"{S}/classes", {"grade_id": setup["grade"]["id"], "name": "x"}),
        ("PATCH", f"{S}/classes/{klass['id']}", {"name": "x"}),
        ("PUT", f"{S}/classes/{klass['id']}/teachers", {"head_teacher_id": None}),
        ("DELETE", f"{S}/classes/{klass['id']}", None),
    ]:
        response = await head_client.request(method, url, json=body)
        assert response.status_code == 403, f"{method} {url}: {response.text}"
    view = check(await client.get(f"{S}/classes/{klass['id']}"))
    assert [s["subject"] for s in view["subject_teachers"]] == ["数学", "语文"]
    strangers = await client.put(f"{S}/classes/{klass['id']}/teachers", json={"head_teacher_id": "nobody"})
    assert strangers.status_code == 422 and strangers.json()["error"]["code"] == "teacher_not_staff"
    twice = await client.put(
        f"{S}/classes/{klass['id']}/teachers",
        json={"subject_teachers": [{"subject": "数学", "user_id": view["head_teacher"]["id"]},
                                   {"subject": "数学", "user_id": view["head_teacher"]["id"]}]},
    )  # fmt: skip
    assert twice.status_code == 422 and twice.json()["error"]["code"] == "duplicate_subject"


async def test_students_guardians_and_the_ten_children_limit(client: httpx.AsyncClient, make_client: Any) -> None:
    await setup_org(client)
    setup = await school_with_class(client, make_client)
    head_client, _ = setup["head"]
    maths_client, _ = setup["maths"]
    class_id = setup["class"]["id"]
    # The head teacher enrols; a subject teacher may read but not change the roster.
    student = await enrol(
        head_client,
        class_id,
        "小明",
        "2024001",
        guardian("张父", "138 0013 8000"),
        guardian("张母", "13900139000", "妈妈"),
    )
    assert student["student_no"] == "2024001"
    assert [(g["name"], g["relation"], g["phone"]) for g in student["guardians"]] == [
        ("张父", "father", "+8613800138000"), ("张母", "mother", "+8613900139000"),
    ]  # fmt: skip
    denied = await maths_client.post(f"{S}/classes/{class_id}/students", json={"name": "x", "student_no": "9"})
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "class_manager_required"
    assert [s["name"] for s in check(await maths_client.get(f"{S}/classes/{class_id}/students"))] == ["小明"]
    same_no = await head_client.post(f"{S}/classes/{class_id}/students", json={"name": "小红", "student_no": "2024001"})
    assert same_no.status_code == 409 and same_no.json()["error"]["code"] == "student_no_taken"
    bad_phone = await head_client.post(
        f"{S}/classes/{class_id}/students",
        json={"name": "小红", "student_no": "2024002", "guardians": [guardian("x", "12345678901")]},
    )
    assert bad_phone.status_code == 422 and bad_phone.json()["error"]["code"] == "invalid_phone"
    assert bad_phone.json()["error"]["details"]["field"] == "guardians.0.phone"
    bad_relation = await head_client.post(
        f"{S}/classes/{class_id}/students",
        json={"name": "小红", "student_no": "2024002", "guardians": [guardian("x", "13700137000", "邻居")]},
    )
    assert bad_relation.json()["error"]["code"] == "invalid_relation"
    # One guardian, ten children: the eleventh is refused with a clear code.
    for i in range(9):
        await enrol(head_client, class_id, f"孩子{i}", f"30{i}", guardian("张父", "13800138000"))
    eleventh = await head_client.post(
        f"{S}/classes/{class_id}/students",
        json={"name": "第十一", "student_no": "399", "guardians": [guardian("张父", "13800138000")]},
    )
    assert eleventh.status_code == 422 and eleventh.json()["error"]["code"] == "guardian_child_limit"
    assert all(s["name"] != "第十一" for s in check(await head_client.get(f"{S}/classes/{class_id}/students")))
    other = await enrol(head_client, class_id, "小红", "2024002")
    over = await head_client.post(f"{S}/students/{other['id']}/guardians", json=guardian("张父", "13800138000"))
    assert over.status_code == 422 and over.json()["error"]["code"] == "guardian_child_limit"
    # Guardians of a student: add, change the relation, remove.
    added = check(
        await head_client.post(f"{S}/students/{other['id']}/guardians", json=guardian("外婆", "13600136000", "外婆")),
        201,
    )
    gid = added["guardians"][0]["id"]
    assert added["guardians"][0]["relation"] == "maternal_grandmother"
    again = await head_client.post(
        f"{S}/students/{other['id']}/guardians", json=guardian("外婆", "13600136000", "外婆")
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "guardian_already_linked"
    changed = check(await head_client.patch(f"{S}/students/{other['id']}/guardians/{gid}", json={"relation": "其他"}))
    assert changed["guardians"][0]["relation"] == "other"
    removed = check(await head_client.delete(f"{S}/students/{other['id']}/guardians/{gid}"))
    assert removed["guardians"] == []
    renamed = check(
        await head_client.patch(f"{S}/students/{other['id']}", json={"name": "小红红", "student_no": "2024003"})
    )
    assert renamed["student_no"] == "2024003"
    check(await head_client.delete(f"{S}/students/{other['id']}"), 204)
    assert (await head_client.get(f"{S}/students/{other['id']}")).status_code == 404
    busy = await client.delete(f"{S}/classes/{class_id}")
    assert busy.status_code == 409 and busy.json()["error"]["code"] == "class_not_empty"


async def test_a_guardian_joins_with_the_class_code_and_stays_out_of_the_staff_directory(
    client: httpx.AsyncClient, make_client: Any, app: FastAPI
) -> None:
    await setup_org(client)
    setup = await school_with_class(client, make_client)
    head_client, head_teacher = setup["head"]
    class_id = setup["class"]["id"]
    child = await enrol(head_client, class_id, "小明", "2024001", guardian("张父", "13800138000"))
    sibling = await enrol(head_client, class_id, "小亮", "2024002", guardian("张父", "13800138000", "father"))
    await enrol(head_client, class_id, "别人家的", "2024009", guardian("李母", "13900139000", "母亲"))
    invitation = check(await head_client.post(f"{S}/classes/{class_id}/invitations", json={"days_valid": 7}), 201)
    assert invitation["url"].endswith(f"/school/join/{invitation['code']}") and invitation["active"]
    anonymous = await make_client()
    about = check(await anonymous.get(f"{S}/join/{invitation['code']}"))
    assert about == {
        "code": invitation["code"],
        "school_name": "Acme 公司",
        "class_name": "初一(3)班",
        "grade_name": "初一",
    }
    cursor = await head(head_client, app)
    # Wrong number or wrong child's name: the same answer.
    for phone, name in (("13700137000", "小明"), ("13800138000", "别人家的")):
        wrong = await anonymous.post(
            f"{S}/join/{invitation['code']}/signup",
            json={"name": "张父", "phone": phone, "password": "guardian password", "student_name": name},
        )
        assert wrong.status_code == 404 and wrong.json()["error"]["code"] == "not_on_roster"
    parent, body = await guardian_signs_up(
        make_client, invitation["code"], name="张爸爸", phone="13800138000", child="小明"
    )
    home = check(await parent.get(f"{S}/me"))
    assert {c["name"] for c in home["children"]} == {"小明", "小亮"}
    assert home["teaching"] == [] and home["is_staff"] is False
    assert home["children"][0]["class"]["name"] == "初一(3)班" and home["children"][0]["relation"] == "father"
    session_info = check(await parent.get("/api/v1/auth/session"))
    assert session_info["org"]["member_kind"] == "guardian" and session_info["org"]["id"] == body["org_id"]
    # Not staff: not in the directory, departments or the all-staff chat.
    staff_names = {m["name"] for m in check(await client.get("/api/v1/members"))["items"]}
    assert "张爸爸" not in staff_names and "王老师" in staff_names
    assert check(await client.get("/api/v1/members", params={"q": "138001"}))["items"] == []
    assert (await client.get(f"/api/v1/members/{body['user_id']}")).status_code == 404
    assert check(await parent.get("/api/v1/members"))["items"] == []
    assert check(await parent.get("/api/v1/departments")) == []
    await settle(app)
    all_staff = next(c for c in check(await client.get("/api/v1/conversations"))["items"] if c["kind"] == "all_staff")
    member_ids = {m["user_id"] for m in check(await client.get(f"/api/v1/conversations/{all_staff['id']}/members"))}
    assert head_teacher["id"] in member_ids and body["user_id"] not in member_ids
    # No staff chat; only the class's 家校群 (class_groups.py follows the roster).
    assert [c["kind"] for c in check(await parent.get("/api/v1/conversations"))["items"]] == ["class"]
    # The teacher sees the guardian joined; the roster shows it.
    events, _ = await events_after(head_client, app, cursor)
    assert "guardian.joined" in [e["type"] for e in events]
    roster = {s["name"]: s for s in check(await head_client.get(f"{S}/classes/{class_id}/students"))}
    assert roster["小明"]["guardians"][0]["joined"] is True
    # The guardian sees their children only, and no other guardian's number.
    mine = check(await parent.get(f"{S}/classes/{class_id}/students"))
    assert {s["id"] for s in mine} == {child["id"], sibling["id"]}
    assert mine[0]["guardians"][0]["phone"] == "+8613800138000"
    assert check(await parent.get(f"{S}/classes/{class_id}"))["my_roles"]["guardian"] is True
    # Guardians cannot change the roster or make codes.
    assert (
        await parent.post(f"{S}/classes/{class_id}/students", json={"name": "x", "student_no": "1"})
    ).status_code == 403
    assert (await parent.post(f"{S}/classes/{class_id}/invitations", json={})).status_code == 403
    # A second sign-up with the same number must sign in instead; a signed-in account redeems.
    taken = await anonymous.post(
        f"{S}/join/{invitation['code']}/signup",
        json={"name": "x", "phone": "13800138000", "password": "guardian password", "student_name": "小明"},
    )
    assert taken.status_code == 409 and taken.json()["error"]["code"] == "sign_in_first"
    redeemed = check(await parent.post(f"{S}/join/{invitation['code']}", json={"student_name": "小亮"}))
    assert redeemed["org_id"] == body["org_id"]
    # A turned-off code stops working.
    check(await head_client.delete(f"{S}/invitations/{invitation['id']}"), 204)
    gone = await anonymous.get(f"{S}/join/{invitation['code']}")
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "class_invitation_invalid"
    assert head_teacher["id"] in {t["user_id"] for t in home["children"][0]["class"]["subject_teachers"]}


async def test_a_staff_member_signed_in_redeems_a_code_and_stays_staff(
    client: httpx.AsyncClient, make_client: Any
) -> None:
    await setup_org(client)
    setup = await school_with_class(client, make_client)
    maths_client, maths = setup["maths"]
    class_id = setup["class"]["id"]
    no_phone = check(await client.post(f"{S}/classes/{class_id}/invitations", json={}), 201)
    refused = await maths_client.post(f"{S}/join/{no_phone['code']}", json={"student_name": "小明"})
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "phone_required"
    check(await client.patch(f"/api/v1/members/{maths['id']}", json={"phone": "13500135000"}))
    await enrol(client, class_id, "小明", "1", guardian("李老师", "13500135000", "母亲"))
    check(await maths_client.post(f"{S}/join/{no_phone['code']}", json={"student_name": "小明"}))
    home = check(await maths_client.get(f"{S}/me"))
    assert home["is_staff"] is True and [c["name"] for c in home["teaching"]] == ["初一(3)班"]
    assert home["teaching"][0]["my_roles"] == ["数学"] and [c["name"] for c in home["children"]] == ["小明"]
    assert maths["id"] in {m["id"] for m in check(await client.get("/api/v1/members"))["items"]}


async def test_a_guardian_hired_as_staff_joins_the_directory(client: httpx.AsyncClient, make_client: Any) -> None:
    await setup_org(client)
    setup = await school_with_class(client, make_client)
    class_id = setup["class"]["id"]
    await enrol(client, class_id, "小明", "1", guardian("张父", "13800138000"))
    code = check(await client.post(f"{S}/classes/{class_id}/invitations", json={}), 201)["code"]
    _, body = await guardian_signs_up(make_client, code, name="张父", phone="13800138000", child="小明")
    hired = check(await client.post("/api/v1/members", json={"name": "张父", "phone": "13800138000"}), 201)
    assert hired["id"] == body["user_id"]
    assert body["user_id"] in {m["id"] for m in check(await client.get("/api/v1/members"))["items"]}


async def test_home_for_teachers_and_admins_and_class_events(
    client: httpx.AsyncClient, make_client: Any, app: FastAPI
) -> None:
    await setup_org(client)
    setup = await school_with_class(client, make_client)
    head_client, _ = setup["head"]
    class_id = setup["class"]["id"]
    home = check(await head_client.get(f"{S}/me"))
    assert [c["name"] for c in home["teaching"]] == ["初一(3)班"]
    assert home["teaching"][0]["my_roles"] == ["head_teacher", "语文"] and home["children"] == []
    admin_home = check(await client.get(f"{S}/me"))
    assert admin_home["is_admin"] and admin_home["school"]["class_count"] == 1
    cursor = await head(head_client, app)
    await enrol(head_client, class_id, "小明", "1")
    check(await client.patch(f"{S}/classes/{class_id}", json={"name": "初一(4)班"}))
    events, _ = await events_after(head_client, app, cursor)
    types = [e["type"] for e in events]
    assert types == ["student.enrolled", "school_class.updated", "school_class.updated"]
    assert events[-1]["data"]["school_class"]["name"] == "初一(4)班"
    assert events[-1]["data"]["school_class"]["student_count"] == 1
    fetched = check(await head_client.get(f"{S}/classes/{class_id}"))
    assert {k: v for k, v in fetched.items() if k != "my_roles"} == events[-1]["data"]["school_class"]
