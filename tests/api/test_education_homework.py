"""Homework (家校本, issue #10) through the API: assigning to classes, handing in, withdrawing
and handing in again, grading (score or level), excellent work shared with the class,
per-class statistics, the reminder before the due time with a controlled clock, events
only about one's own children, files readable by the right people, and bad input."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
from fastapi import FastAPI

from hobnail.core import clock
from tests.api.test_education import S, enrol, guardian, guardian_signs_up
from tests.support import files
from tests.support.api import add_member, check, events_after, head, login, member_client, setup_org

H = f"{S}/homework"


def shanghai(day: str, hhmm: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{hhmm}:00+08:00").astimezone(UTC)


async def school(client: httpx.AsyncClient, make_client: Any) -> dict[str, Any]:
    """Classes A (head teacher ta, maths teacher tm; children 小明, 小红, 小刚) and B (head
    teacher tb; child 小华), each child with one joined guardian (p1, p2, p3, pb), and a clerk."""
    await setup_org(client)
    check(await client.put(S, json={"enabled": True}))
    grade = check(await client.post(f"{S}/grades", json={"name": "初一"}), 201)
    people: dict[str, Any] = {"admin": client}
    ids: dict[str, str] = {}
    children = {"a": [("小明", "p1"), ("小红", "p2"), ("小刚", "p3")], "b": [("小华", "pb")]}
    phone = iter(f"1380013{n:04d}" for n in range(1, 100))
    for side in ("a", "b"):
        people[f"t{side}"], teacher = await member_client(
            client, await make_client(), name=f"Teacher {side}", email=f"t{side}@example.com"
        )
        klass = check(
            await client.post(
                f"{S}/classes", json={"grade_id": grade["id"], "name": f"{side}班", "head_teacher_id": teacher["id"]}
            ),
            201,
        )
        ids[f"class_{side}"] = klass["id"]
        code = check(await client.post(f"{S}/classes/{klass['id']}/invitations", json={}), 201)["code"]
        for number, (child, parent) in enumerate(children[side]):
            mobile = next(phone)
            student = await enrol(client, klass["id"], child, f"{side}-{number}", guardian(f"{child}家长", mobile))
            ids[child] = student["id"]
            people[parent], body = await guardian_signs_up(
                make_client, code, name=f"{child}家长", phone=mobile, child=child
            )
            ids[parent] = body["user_id"]
    people["tm"], maths = await member_client(client, await make_client(), name="Maths", email="tm@example.com")
    teachers = check(await client.get(f"{S}/classes/{ids['class_a']}"))
    check(
        await client.put(
            f"{S}/classes/{ids['class_a']}/teachers",
            json={"head_teacher_id": teachers["head_teacher"]["id"],
                  "subject_teachers": [{"subject": "数学", "user_id": maths["id"]}]},
        )
    )  # fmt: skip
    people["clerk"], _ = await member_client(client, await make_client(), name="Clerk", email="clerk@example.com")
    return {"people": people, "ids": ids}


async def assign(teacher: httpx.AsyncClient, class_ids: list[str], **fields: Any) -> dict[str, Any]:
    body = {"class_ids": class_ids, "title": "练习册第 12 页", "subject": "数学", **fields}
    return check(await teacher.post(H, json=body), 201)  # type: ignore[no-any-return]


async def submit(parent: httpx.AsyncClient, homework_id: str, student_id: str, **fields: Any) -> httpx.Response:
    body = {"student_id": student_id, "body": "做完了", **fields}
    return await parent.post(f"{H}/{homework_id}/submissions", json=body)


def code(response: httpx.Response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


def of_type(events: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [e for e in events if e["type"] == kind]


async def test_the_homework_life_cycle(client: httpx.AsyncClient, make_client: Any, app: FastAPI) -> None:
    clock.freeze(shanghai("2026-12-07", "10:00"))
    setup = await school(client, make_client)
    people, ids = setup["people"], setup["ids"]
    ta, p1, p2, p3, pb = (people[k] for k in ("ta", "p1", "p2", "p3", "pb"))
    cursors = {k: await head(people[k], app) for k in ("ta", "tm", "p1", "p2", "pb")}
    sheet = await files.upload(ta, b"exercise sheet", "练习.pdf")
    homework = await assign(ta, [ids["class_a"]], body="第 1–5 题", due_at="2026-12-08T20:00", file_ids=[sheet["id"]])
    # A due time without an offset is in the school's timezone; stored and shown in UTC.
    assert homework["due_at"] == "2026-12-08T12:00:00Z"
    assert homework["due_at_local"].startswith("2026-12-08T20:00:00+08:00")
    assert [f["name"] for f in homework["files"]] == ["练习.pdf"]
    assert homework["remind_before_minutes"] == 120
    hid = homework["id"]

    # Who heard of it: the class's teachers and guardians, not class B's guardian.
    for who in ("ta", "tm", "p1", "p2"):
        events, cursors[who] = await events_after(people[who], app, cursors[who])
        assigned = of_type(events, "homework.assigned")
        assert [e["data"]["homework"]["id"] for e in assigned] == [hid], who
    events, cursors["pb"] = await events_after(pb, app, cursors["pb"])
    assert of_type(events, "homework.assigned") == []

    # Guardian 1 hands in with a photo, withdraws, hands in again.
    photo = await files.upload(p1, b"\x89PNG photo", "作业.png", "image/png")
    first = check(await submit(p1, hid, ids["小明"], file_ids=[photo["id"]]), 201)
    assert (first["status"], first["late"], [f["name"] for f in first["files"]]) == ("submitted", False, ["作业.png"])
    assert code(await submit(p1, hid, ids["小明"])) == (409, "homework_already_submitted")
    sid = first["id"]
    withdrawn = check(await p1.post(f"{H}/{hid}/submissions/{sid}/withdraw"))
    assert (withdrawn["status"], withdrawn["state"]) == ("withdrawn", "not_submitted")
    again = check(await submit(p1, hid, ids["小明"], body="改好了", file_ids=[photo["id"]]), 201)
    assert (again["id"], again["status"], again["body"]) == (sid, "submitted", "改好了")
    # Teachers (the author and the maths teacher) hear of it; so does guardian 1, not guardian 2.
    events, cursors["tm"] = await events_after(people["tm"], app, cursors["tm"])
    assert [e["type"] for e in events if e["type"].startswith("homework.")] == [
        "homework.submitted", "homework.withdrawn", "homework.submitted",
    ]  # fmt: skip
    events, cursors["p2"] = await events_after(p2, app, cursors["p2"])
    assert [e for e in events if e["type"].startswith("homework.")] == []

    # Guardian 2 hands in after the due time: accepted, marked late.
    clock.freeze(shanghai("2026-12-08", "21:00"))
    late = check(await submit(p2, hid, ids["小红"], body="晚交了"), 201)
    assert late["late"] is True

    # Grading: a level (优 = A) and excellent for 小明, a score for 小红.
    graded = check(
        await ta.put(f"{H}/{hid}/submissions/{sid}/grade", json={"level": "优", "comment": "很好", "excellent": True})
    )
    assert (graded["status"], graded["grade"]["level"], graded["excellent"]) == ("graded", "A", True)
    check(await people["tm"].put(f"{H}/{hid}/submissions/{late['id']}/grade", json={"score": 85, "comment": "注意"}))
    # A teacher grading what they saw before another teacher changed it is told so.
    stale = await ta.put(f"{H}/{hid}/submissions/{late['id']}/grade", json={"score": 60, "version": late["version"]})
    assert code(stale) == (409, "submission_changed")
    # After grading: no more handing in or withdrawing.
    assert code(await submit(p1, hid, ids["小明"])) == (409, "homework_already_graded")
    assert code(await p1.post(f"{H}/{hid}/submissions/{sid}/withdraw")) == (409, "homework_already_graded")
    events, cursors["p1"] = await events_after(p1, app, cursors["p1"])
    assert [e["data"]["submission"]["id"] for e in of_type(events, "homework.graded")] == [sid]

    # The excellent work is shared with the class's guardians; the rest stays with its family.
    shared = check(await p3.get(f"{H}/{hid}/submissions"))
    assert [(s["id"], s["submitted_by"]) for s in shared] == [(sid, None)]
    assert code(await p3.get(f"{H}/{hid}/submissions/{late['id']}")) == (404, "submission_not_found")
    own = check(await p2.get(f"{H}/{hid}/submissions"))
    assert {s["student"]["name"]: s["grade"]["score"] for s in own} == {"小明": None, "小红": 85}  # 小明's: a level
    assert check(await p2.get(f"{H}/{hid}/submissions/{late['id']}"))["grade"]["score"] == 85
    assert len(check(await ta.get(f"{H}/{hid}/submissions"))) == 2
    assert code(await pb.get(f"{H}/{hid}/submissions")) == (404, "homework_not_found")

    # Files: the sheet for everyone who sees the homework; the excellent photo for the class.
    for who, may in (("p3", True), ("pb", False), ("tb", False), ("clerk", False), ("admin", True)):
        response = await files.fetch(people[who], f"/api/v1/files/{sheet['id']}/download")
        assert (response.status_code == 200) is may, who
    assert (await files.fetch(p3, f"/api/v1/files/{photo['id']}/download")).content == b"\x89PNG photo"
    assert (await pb.get(f"/api/v1/files/{photo['id']}")).status_code == 404
    # The uploader cannot drop a file the homework shows.
    assert (await ta.delete(f"/api/v1/files/{sheet['id']}")).status_code == 409

    # A guardian's detail and list: their children's state only.
    detail = check(await p1.get(f"{H}/{hid}"))
    assert detail["my_roles"] == {"teacher": False, "guardian": True} and "stats" not in detail
    assert [(c["name"], c["state"], c["level"], c["excellent"]) for c in detail["children"]] == [
        ("小明", "graded", "A", True)
    ]
    listed = check(await p2.get(H))["items"]
    assert [(h["id"], [(c["name"], c["state"], c["late"]) for c in h["children"]]) for h in listed] == [
        (hid, [("小红", "graded", True)])
    ]


async def test_statistics_lists_and_home_counts(client: httpx.AsyncClient, make_client: Any) -> None:
    clock.freeze(shanghai("2026-12-07", "10:00"))
    setup = await school(client, make_client)
    people, ids = setup["people"], setup["ids"]
    ta, tm, p1, p2 = (people[k] for k in ("ta", "tm", "p1", "p2"))
    both = await assign(client, [ids["class_a"], ids["class_b"]], due_at="2026-12-07T18:00:00+08:00")
    mine = await assign(ta, [ids["class_a"]], title="背诵课文", subject="语文")
    assert check(await p1.get(f"{S}/me"))["homework_due"] == 2
    check(await submit(p1, both["id"], ids["小明"]), 201)
    clock.freeze(shanghai("2026-12-07", "19:00"))
    late = check(await submit(p2, both["id"], ids["小红"]), 201)
    check(await submit(p1, mine["id"], ids["小明"]), 201)
    check(await client.put(f"{H}/{both['id']}/submissions/{late['id']}/grade", json={"level": "B"}))

    stats = check(await client.get(f"{H}/{both['id']}/stats"))
    by_class = {c["class"]["id"]: c for c in stats["classes"]}
    a = by_class[ids["class_a"]]
    assert a["counts"] == {"submitted": 1, "late": 1, "not_submitted": 1, "graded": 1}
    assert [s["name"] for s in a["students"]["submitted"]] == ["小明"]
    assert [s["name"] for s in a["students"]["graded"]] == [s["name"] for s in a["students"]["late"]] == ["小红"]
    assert [s["name"] for s in a["students"]["not_submitted"]] == ["小刚"]
    assert by_class[ids["class_b"]]["counts"]["not_submitted"] == 1
    assert stats["totals"] == {"student_count": 4, "submitted": 1, "late": 1, "not_submitted": 2, "graded": 1}
    # Class A's head teacher sees only class A of the admin's homework; guardians no statistics.
    assert [c["class"]["id"] for c in check(await ta.get(f"{H}/{both['id']}/stats"))["classes"]] == [ids["class_a"]]
    assert code(await p1.get(f"{H}/{both['id']}/stats")) == (403, "class_teacher_required")

    # Lists with counts: the teacher's, what waits for a grade, what I assigned.
    teaching = check(await tm.get(H))["items"]
    assert [(h["id"], h["stats"]["to_grade"], h["stats"]["student_count"]) for h in teaching] == [
        (mine["id"], 1, 3), (both["id"], 1, 3),
    ]  # fmt: skip
    assert [c["id"] for c in teaching[1]["classes"]] == [ids["class_a"]]
    assert [h["id"] for h in check(await ta.get(H, params={"scope": "assigned"}))["items"]] == [mine["id"]]
    assert [h["id"] for h in check(await ta.get(H, params={"scope": "to_grade"}))["items"]] == [
        mine["id"], both["id"],
    ]  # fmt: skip
    assert [h["id"] for h in check(await client.get(H, params={"scope": "all", "limit": 1}))["items"]] == [mine["id"]]
    page = check(await client.get(H, params={"scope": "all", "limit": 1}))
    rest = check(await client.get(H, params={"scope": "all", "cursor": page["next_cursor"]}))
    assert [h["id"] for h in rest["items"]] == [both["id"]]
    assert check(await people["tb"].get(H, params={"scope": "to_grade"}))["items"] == []
    assert code(await ta.get(H, params={"scope": "all"}))[0] == 404
    home = check(await ta.get(f"{S}/me"))
    assert home["homework_to_grade"] == 2 and home["homework_due"] == 0
    assert check(await p2.get(f"{S}/me"))["homework_due"] == 1  # 背诵课文 (no due time); the other is graded
    assert check(await people["p3"].get(f"{S}/me"))["homework_due"] == 1  # the first one is past due


async def test_who_sees_homework_and_bad_input(client: httpx.AsyncClient, make_client: Any) -> None:
    clock.freeze(shanghai("2026-12-07", "10:00"))
    setup = await school(client, make_client)
    people, ids = setup["people"], setup["ids"]
    homework = await assign(people["ta"], [ids["class_a"]], due_at="2026-12-09T08:00:00+08:00")
    hid = homework["id"]
    sub = check(await submit(people["p1"], hid, ids["小明"]), 201)
    sees = {"admin": True, "ta": True, "tm": True, "p1": True, "p2": True, "tb": False, "pb": False, "clerk": False}
    for who, visible in sees.items():
        for url in (f"{H}/{hid}", f"{H}/{hid}/submissions"):
            response = await people[who].get(url)
            assert response.status_code == (200 if visible else 404), f"{who} {url}: {response.text}"
        listed = [h["id"] for h in check(await people[who].get(H))["items"]]
        assert listed == ([hid] if visible and who != "admin" else []), who
    # Another family's child, a child of another class, a teacher handing in: 404.
    assert code(await submit(people["p2"], hid, ids["小明"])) == (404, "student_not_found")
    assert code(await submit(people["pb"], hid, ids["小华"])) == (404, "homework_not_found")
    assert code(await submit(people["ta"], hid, ids["小刚"])) == (404, "student_not_found")
    assert code(await people["p2"].post(f"{H}/{hid}/submissions/{sub['id']}/withdraw")) == (
        404, "submission_not_found",
    )  # fmt: skip
    assert code(await people["ta"].post(f"{H}/{hid}/submissions/{sub['id']}/withdraw")) == (
        403, "homework_guardian_required",
    )  # fmt: skip
    # Grading: teachers of the class only, a score or a level.
    assert code(await people["p1"].put(f"{H}/{hid}/submissions/{sub['id']}/grade", json={"score": 100}))[0] == 403
    assert code(await people["tb"].put(f"{H}/{hid}/submissions/{sub['id']}/grade", json={"score": 100}))[0] == 404
    for bad in ({}, {"score": 90, "level": "A"}, {"level": "E"}):
        response = await people["ta"].put(f"{H}/{hid}/submissions/{sub['id']}/grade", json=bad)
        assert code(response) == (422, "invalid_grade"), bad
    assert (await people["ta"].put(f"{H}/{hid}/submissions/{sub['id']}/grade", json={"score": 101})).status_code == 422
    # Empty work; a due time in the past; classes one does not teach.
    assert code(await submit(people["p2"], hid, ids["小红"], body="  ")) == (422, "submission_empty")
    past = await people["ta"].post(H, json={"class_ids": [ids["class_a"]], "title": "x", "due_at": "2026-12-07T09:00"})
    assert code(past) == (422, "homework_due_in_past")
    assert code(await people["tb"].post(H, json={"class_ids": [ids["class_a"]], "title": "x"})) == (
        404, "class_not_found",
    )  # fmt: skip
    assert code(await people["p1"].post(H, json={"class_ids": [ids["class_a"]], "title": "x"})) == (
        403, "class_teacher_required",
    )  # fmt: skip
    stranger = await files.upload(people["p2"], b"not yours", "x.pdf")
    sub_again = await submit(people["p1"], hid, ids["小刚"], file_ids=[stranger["id"]])
    assert code(sub_again) == (404, "student_not_found")
    check(await people["p1"].post(f"{H}/{hid}/submissions/{sub['id']}/withdraw"))
    assert code(await submit(people["p1"], hid, ids["小明"], file_ids=[stranger["id"]])) == (404, "file_not_found")
    with_file = {"class_ids": [ids["class_a"]], "title": "x", "file_ids": [stranger["id"]]}
    assert code(await people["ta"].post(H, json=with_file)) == (404, "file_not_found")

    # Another organisation sees nothing.
    a_org = check(await client.get("/api/v1/org"))["id"]
    check(await client.post("/api/v1/orgs", json={"name": "Org B"}), 201)
    await add_member(client, name="B Admin", email="b@example.com", role="admin", password="b password")
    check(await client.put("/api/v1/auth/session/org", json={"org_id": a_org}))
    b = await make_client()
    await login(b, "b@example.com", "b password")
    check(await b.put(S, json={"enabled": True}))
    for method, url, body in [
        ("GET", f"{H}/{hid}", None),
        ("GET", f"{H}/{hid}/stats", None),
        ("GET", f"{H}/{hid}/submissions/{sub['id']}", None),
        ("POST", f"{H}/{hid}/submissions", {"student_id": ids["小明"], "body": "x"}),
        ("PUT", f"{H}/{hid}/submissions/{sub['id']}/grade", {"score": 1}),
        ("POST", H, {"class_ids": [ids["class_a"]], "title": "x"}),
    ]:
        response = await b.request(method, url, json=body)
        assert response.status_code == 404, f"{method} {url}: {response.text}"
    assert check(await b.get(H))["items"] == []


async def test_the_reminder_goes_once_to_those_who_have_not_handed_in(
    client: httpx.AsyncClient, make_client: Any, app: FastAPI
) -> None:
    clock.freeze(shanghai("2026-12-07", "10:00"))
    setup = await school(client, make_client)
    people, ids = setup["people"], setup["ids"]
    homework = await assign(people["ta"], [ids["class_a"]], due_at="2026-12-07T20:00")
    quiet = await assign(people["ta"], [ids["class_a"]], due_at="2026-12-07T20:00", remind_before_minutes=0)
    check(await submit(people["p1"], homework["id"], ids["小明"]), 201)
    withdrawn = check(await submit(people["p2"], homework["id"], ids["小红"]), 201)
    check(await people["p2"].post(f"{H}/{homework['id']}/submissions/{withdrawn['id']}/withdraw"))
    from hobnail.domains.education import homework_jobs

    watched = ("p1", "p2", "p3", "pb", "ta")
    cursors = {k: await head(people[k], app) for k in watched}

    async def run(at: str) -> dict[str, list[dict[str, Any]]]:
        clock.freeze(shanghai("2026-12-07", at))
        async with app.state.sessionmaker() as session:
            await homework_jobs.remind(session, {})
            await session.commit()
        found = {}
        for who in watched:
            events, cursors[who] = await events_after(people[who], app, cursors[who])
            found[who] = of_type(events, "homework.reminder")
        return found

    assert all(v == [] for v in (await run("17:30")).values())  # more than 2 hours before
    sent = await run("18:05")
    assert {k for k, v in sent.items() if v} == {"p2", "p3"}
    assert [s["name"] for s in sent["p2"][0]["data"]["students"]] == ["小红"]
    assert sent["p3"][0]["data"]["homework_id"] == homework["id"] != quiet["id"]
    assert sent["p3"][0]["data"]["due_at"] == "2026-12-07T12:00:00Z"
    assert all(v == [] for v in (await run("18:30")).values())  # once
    assert check(await people["ta"].get(f"{H}/{homework['id']}"))["reminded_at"] is not None
