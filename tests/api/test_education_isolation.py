"""Who sees what in a school: a guardian sees only their children and their children's
classes, a teacher the classes they teach, admins everything — and another organisation
nothing. Hidden rows answer 404 (never 403), so ids cannot be probed."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.test_education import S, enrol, guardian, guardian_signs_up
from tests.support.api import add_member, check, login, member_client, setup_org


async def _school(client: httpx.AsyncClient, make_client: Any) -> dict[str, Any]:
    check(await client.put(S, json={"enabled": True}))
    grade_a = check(await client.post(f"{S}/grades", json={"name": "初一"}), 201)
    grade_b = check(await client.post(f"{S}/grades", json={"name": "初二"}), 201)
    people: dict[str, Any] = {"admin": client}
    ids: dict[str, str] = {"grade_a": grade_a["id"], "grade_b": grade_b["id"]}
    for side, grade in (("a", grade_a), ("b", grade_b)):
        teacher_client, teacher = await member_client(
            client, await make_client(), name=f"Teacher {side}", email=f"t{side}@example.com"
        )
        klass = check(
            await client.post(
                f"{S}/classes", json={"grade_id": grade["id"], "name": f"{side}班", "head_teacher_id": teacher["id"]}
            ),
            201,
        )
        phone = "1380013800" + ("1" if side == "a" else "2")
        student = await enrol(client, klass["id"], f"Child {side}", f"no-{side}", guardian(f"Parent {side}", phone))
        code = check(await client.post(f"{S}/classes/{klass['id']}/invitations", json={}), 201)
        parent, _ = await guardian_signs_up(make_client, code["code"], name=f"Parent {side}", phone=phone,
                                            child=f"Child {side}")  # fmt: skip
        people[f"teacher_{side}"], people[f"guardian_{side}"] = teacher_client, parent
        ids[f"class_{side}"], ids[f"student_{side}"], ids[f"invitation_{side}"] = klass["id"], student["id"], code["id"]
        ids[f"guardian_id_{side}"] = student["guardians"][0]["id"]
    people["staff"], _ = await member_client(client, await make_client(), name="Clerk", email="clerk@example.com")
    return {"people": people, "ids": ids}


def _reads(ids: dict[str, str], side: str) -> list[str]:
    return [f"{S}/classes/{ids[f'class_{side}']}", f"{S}/classes/{ids[f'class_{side}']}/students",
            f"{S}/students/{ids[f'student_{side}']}"]  # fmt: skip


def _writes(ids: dict[str, str], side: str) -> list[tuple[str, str, Any]]:
    class_id, student_id = ids[f"class_{side}"], ids[f"student_{side}"]
    return [
        ("POST", f"{S}/classes/{class_id}/students", {"name": "x", "student_no": "probe"}),
        ("POST", f"{S}/classes/{class_id}/invitations", {}),
        ("GET", f"{S}/classes/{class_id}/invitations", None),
        ("PATCH", f"{S}/students/{student_id}", {"name": "hijack"}),
        ("DELETE", f"{S}/students/{student_id}", None),
        ("POST", f"{S}/students/{student_id}/guardians", guardian("x", "13700137000")),
        ("PATCH", f"{S}/students/{student_id}/guardians/{ids[f'guardian_id_{side}']}", {"relation": "其他"}),
        ("DELETE", f"{S}/students/{student_id}/guardians/{ids[f'guardian_id_{side}']}", None),
        ("DELETE", f"{S}/invitations/{ids[f'invitation_{side}']}", None),
    ]


async def test_the_school_visibility_matrix(client: httpx.AsyncClient, make_client: Any) -> None:
    await setup_org(client)
    school = await _school(client, make_client)
    people, ids = school["people"], school["ids"]
    # (who, which side they see): admins both, teachers and guardians their own, other staff none.
    sees = {"admin": {"a", "b"}, "teacher_a": {"a"}, "teacher_b": {"b"}, "guardian_a": {"a"}, "guardian_b": {"b"},
            "staff": set()}  # fmt: skip
    for who, visible in sees.items():
        actor = people[who]
        for side in ("a", "b"):
            for url in _reads(ids, side):
                response = await actor.get(url)
                expected = 200 if side in visible else 404
                assert response.status_code == expected, f"{who} GET {url}: {response.status_code} {response.text}"
        listed = {c["id"] for c in check(await actor.get(f"{S}/classes"))}
        assert listed == {ids[f"class_{side}"] for side in visible}, who
        grades = {g["id"] for g in check(await actor.get(f"{S}/grades"))}
        assert grades == {ids[f"grade_{side}"] for side in visible}, who
    # Writing to what one cannot see is a 404 too — guardians and other staff learn nothing.
    for who, side in (("guardian_a", "b"), ("guardian_b", "a"), ("teacher_a", "b"), ("staff", "a")):
        for method, url, body in _writes(ids, side):
            response = await people[who].request(method, url, json=body)
            assert response.status_code == 404, f"{who} {method} {url}: {response.status_code} {response.text}"
    # A guardian sees their own child in the class, never the classmates.
    own = check(await people["guardian_a"].get(f"{S}/classes/{ids['class_a']}/students"))
    assert [s["id"] for s in own] == [ids["student_a"]]
    home = check(await people["guardian_a"].get(f"{S}/me"))
    assert [c["id"] for c in home["children"]] == [ids["student_a"]]
    # Roster untouched.
    assert check(await client.get(f"{S}/students/{ids['student_b']}"))["name"] == "Child b"


async def test_another_organisation_sees_nothing_of_the_school(client: httpx.AsyncClient, make_client: Any) -> None:
    await setup_org(client)
    school = await _school(client, make_client)
    ids = school["ids"]
    a_org = check(await client.get("/api/v1/org"))["id"]
    # The owner starts org B (a school too) and hands it to an admin of B only.
    check(await client.post("/api/v1/orgs", json={"name": "Org B"}), 201)
    await add_member(client, name="B Admin", email="b@example.com", role="admin", password="b password")
    check(await client.put("/api/v1/auth/session/org", json={"org_id": a_org}))
    b = await make_client()
    await login(b, "b@example.com", "b password")
    check(await b.put(S, json={"enabled": True}))
    b_grade = check(await b.post(f"{S}/grades", json={"name": "B 年级"}), 201)
    b_class = check(await b.post(f"{S}/classes", json={"grade_id": b_grade["id"], "name": "B 班"}), 201)
    b_student = await enrol(b, b_class["id"], "B 学生", "no-a", guardian("B 家长", "13800138009"))
    b_code = check(await b.post(f"{S}/classes/{b_class['id']}/invitations", json={}), 201)

    attempts: list[tuple[str, str, Any]] = [
        ("GET", f"{S}/classes/{ids['class_a']}", None),
        ("GET", f"{S}/classes/{ids['class_a']}/students", None),
        ("GET", f"{S}/students/{ids['student_a']}", None),
        ("PATCH", f"{S}/grades/{ids['grade_a']}", {"name": "x"}),
        ("DELETE", f"{S}/grades/{ids['grade_a']}", None),
        ("POST", f"{S}/classes", {"grade_id": ids["grade_a"], "name": "x"}),
        ("PATCH", f"{S}/classes/{ids['class_a']}", {"name": "x"}),
        ("DELETE", f"{S}/classes/{ids['class_a']}", None),
        ("PUT", f"{S}/classes/{ids['class_a']}/teachers", {"head_teacher_id": None}),
        ("PATCH", f"{S}/students/{b_student['id']}", {"class_id": ids["class_a"]}),
        *_writes(ids, "a"),
    ]
    for method, url, body in attempts:
        response = await b.request(method, url, json=body)
        assert response.status_code == 404, f"{method} {url}: {response.status_code} {response.text}"
    # Org A's admin cannot reach B's rows either.
    for method, url, body in [
        ("GET", f"{S}/classes/{b_class['id']}", None),
        ("GET", f"{S}/students/{b_student['id']}", None),
        ("DELETE", f"{S}/invitations/{b_code['id']}", None),
        ("PATCH", f"{S}/students/{ids['student_a']}", {"class_id": b_class["id"]}),
    ]:
        response = await client.request(method, url, json=body)
        assert response.status_code == 404, f"{method} {url}: {response.status_code} {response.text}"
    # Student numbers are unique per school, not across schools ("no-a" is used in both).
    assert {c["name"] for c in check(await b.get(f"{S}/classes"))} == {"B 班"}
    assert check(await b.get(f"{S}/me"))["school"]["student_count"] == 1
    # A company (not a school) gets 404 for everything of the school API.
    check(await client.post("/api/v1/orgs", json={"name": "Company C"}), 201)
    company = await client.get(f"{S}/classes/{ids['class_a']}")
    assert company.status_code == 404 and company.json()["error"]["code"] == "school_not_enabled"
    # Guardian A, linked in A only, cannot use B's code to see B's children.
    wrong = await school["people"]["guardian_a"].post(f"{S}/join/{b_code['code']}", json={"student_name": "B 学生"})
    assert wrong.status_code == 404 and wrong.json()["error"]["code"] == "not_on_roster"
