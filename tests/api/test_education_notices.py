"""Class groups that follow the roster, and notices families confirm (issue #10): a
teacher's notice to a class, guardians reading and confirming live, the teacher DINGing
the rest, scheduled release on a controlled clock, files, and who may see what."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from hobnail.core import clock
from tests.api.test_education import S, enrol, guardian, guardian_signs_up, school_with_class
from tests.support.api import check, events_after, head, member_client, settle, setup_org
from tests.support.files import upload


async def school_with_families(client: httpx.AsyncClient, make_client: Any, app: FastAPI) -> dict[str, Any]:
    """初一(3)班 with three students; the guardians of two have joined."""
    setup = await school_with_class(client, make_client)
    class_id = setup["class"]["id"]
    ming = await enrol(client, class_id, "小明", "2026001", guardian("明爸", "13800138001"))
    hong = await enrol(client, class_id, "小红", "2026002", guardian("红妈", "13800138002", "母亲"))
    gang = await enrol(client, class_id, "小刚", "2026003", guardian("刚爸", "13800138003"))
    head_client, _ = setup["head"]
    code = check(await head_client.post(f"{S}/classes/{class_id}/invitations", json={"days_valid": 7}), 201)["code"]
    ming_parent, _ = await guardian_signs_up(make_client, code, name="明爸", phone="13800138001", child="小明")
    hong_parent, _ = await guardian_signs_up(make_client, code, name="红妈", phone="13800138002", child="小红")
    await settle(app)
    return {**setup, "students": (ming, hong, gang), "parents": (ming_parent, hong_parent), "code": code}


async def me(client: httpx.AsyncClient) -> dict[str, Any]:
    return check(await client.get("/api/v1/me"))  # type: ignore[no-any-return]


async def test_class_groups_follow_the_roster(client: httpx.AsyncClient, make_client: Any, app: FastAPI) -> None:
    await setup_org(client)
    setup = await school_with_families(client, make_client, app)
    head_client, head_teacher = setup["head"]
    maths_client, maths = setup["maths"]
    ming_parent, hong_parent = setup["parents"]
    chats = check(await head_client.get("/api/v1/conversations"))
    chats = chats["items"] if isinstance(chats, dict) else chats
    family_chat = next(c for c in chats if c["kind"] == "class" and "家校群" in c["name"])
    assert any(c["kind"] == "class" and "师生群" in c["name"] for c in chats)
    members = {
        m["user_id"]: m for m in check(await head_client.get(f"/api/v1/conversations/{family_chat['id']}/members"))
    }
    ming_id, hong_id = (await me(ming_parent))["id"], (await me(hong_parent))["id"]
    assert set(members) == {head_teacher["id"], maths["id"], ming_id, hong_id}
    assert members[head_teacher["id"]]["role"] == "owner" and members[maths["id"]]["role"] == "admin"
    assert members[ming_id]["role"] == "member"
    # Guardians see each other's names in the chat, never their numbers.
    seen_by_parent = check(await ming_parent.get(f"/api/v1/conversations/{family_chat['id']}/members"))
    assert "13800138002" not in str(seen_by_parent) and "+8613800138002" not in str(seen_by_parent)
    assert (await ming_parent.get(f"/api/v1/members/{hong_id}")).status_code == 404
    # Guardians are not in staff chats.
    parent_chats = check(await ming_parent.get("/api/v1/conversations"))
    parent_chats = parent_chats["items"] if isinstance(parent_chats, dict) else parent_chats
    assert {c["kind"] for c in parent_chats} == {"class"}
    # Nobody adds, removes or leaves by hand; teachers can mute the group.
    leave = await ming_parent.delete(f"/api/v1/conversations/{family_chat['id']}/members/{ming_id}")
    assert leave.status_code == 409 and leave.json()["error"]["code"] == "managed_by_directory"
    check(await maths_client.patch(f"/api/v1/conversations/{family_chat['id']}", json={"only_admins_speak": True}))
    muted = await ming_parent.post(f"/api/v1/conversations/{family_chat['id']}/messages", json={"body": "hi"})
    assert muted.status_code == 403
    check(await head_client.post(f"/api/v1/conversations/{family_chat['id']}/messages", json={"body": "明天春游"}), 201)
    # A student withdrawn: their family leaves the chat; a new head teacher owns it.
    check(await client.delete(f"{S}/students/{setup['students'][1]['id']}"), 204)
    check(
        await client.put(
            f"{S}/classes/{setup['class']['id']}/teachers",
            json={"head_teacher_id": maths["id"], "subject_teachers": []},
        )
    )
    await settle(app)
    members = {
        m["user_id"]: m for m in check(await maths_client.get(f"/api/v1/conversations/{family_chat['id']}/members"))
    }
    assert set(members) == {maths["id"], ming_id}
    assert members[maths["id"]]["role"] == "owner"


async def test_a_notice_families_confirm_live_and_the_rest_are_dinged(
    client: httpx.AsyncClient, make_client: Any, app: FastAPI
) -> None:
    await setup_org(client)
    setup = await school_with_families(client, make_client, app)
    head_client, head_teacher = setup["head"]
    ming_parent, hong_parent = setup["parents"]
    _ming, hong, gang = setup["students"]
    class_id = setup["class"]["id"]
    cursor = await head(head_client, app)
    notice = check(
        await head_client.post(
            f"{S}/notices",
            json={"title": "周五家长会", "body": "周五下午三点,教室。", "class_ids": [class_id],
                  "require_confirm": True, "deadline": (clock.now() + timedelta(days=2)).isoformat()},
        ),
        201,
    )  # fmt: skip
    assert notice["status"] == "sent"
    assert notice["classes"][0]["total"] == 3 and notice["classes"][0]["confirmed"] == 0
    # The guardian sees it, with only their own child, and it counts on both homes.
    assert check(await ming_parent.get(f"{S}/me"))["notices_to_confirm"] == 1
    assert check(await head_client.get(f"{S}/me"))["notices_waiting"] == 1
    received = check(await ming_parent.get(f"{S}/notices"))
    assert [n["title"] for n in received] == ["周五家长会"]
    assert [c["name"] for c in received[0]["my_children"]] == ["小明"]
    detail = check(await ming_parent.get(f"{S}/notices/{notice['id']}"))
    assert "classes" not in detail  # no other families
    check(await ming_parent.post(f"{S}/notices/{notice['id']}/read"))
    confirmed = check(await ming_parent.post(f"{S}/notices/{notice['id']}/confirm", json={}))
    assert confirmed["my_children"][0]["confirmed_at"]
    assert check(await ming_parent.get(f"{S}/me"))["notices_to_confirm"] == 0
    again = check(await ming_parent.post(f"{S}/notices/{notice['id']}/confirm", json={}))
    assert again["my_children"][0]["confirmed_at"] == confirmed["my_children"][0]["confirmed_at"]
    # The teacher's count moved, live.
    events, _ = await events_after(head_client, app, cursor)
    progress = [e for e in events if e["type"] == "school_notice.progress"]
    assert progress[-1]["data"]["counts"] == {"total": 3, "read": 1, "confirmed": 1}
    assert progress[-1]["data"]["student"]["name"] == "小明"
    teacher_view = check(await head_client.get(f"{S}/notices/{notice['id']}"))
    families = {f["name"]: f for f in teacher_view["classes"][0]["families"]}
    assert families["小明"]["confirmed_at"] and not families["小红"]["confirmed_at"]
    assert families["小明"]["confirmed_by_name"] == "明爸" and teacher_view["author_name"] == "王老师"
    sent = check(await head_client.get(f"{S}/notices", params={"box": "sent"}))
    assert (sent[0]["total"], sent[0]["read"], sent[0]["confirmed"]) == (3, 1, 1)
    # DING the rest: 小红's mother (joined); 小刚's family has not joined.
    dinged = check(await head_client.post(f"{S}/notices/{notice['id']}/ding", json={}))
    assert dinged["guardian_count"] == 1 and dinged["unreachable_student_ids"] == [gang["id"]]
    alerts = check(await hong_parent.get("/api/v1/dings/received"))
    assert len(alerts) == 1 and "周五家长会" in alerts[0]["body"]
    assert check(await ming_parent.get("/api/v1/dings/received")) == []
    # Families cannot DING, read the class's list, or confirm a notice without confirmation.
    assert (await ming_parent.post(f"{S}/notices/{notice['id']}/ding", json={})).status_code == 404
    plain = check(await head_client.post(f"{S}/notices", json={"title": "放假通知", "class_ids": [class_id]}), 201)
    refused = await hong_parent.post(f"{S}/notices/{plain['id']}/confirm", json={})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "confirmation_not_required"
    _ = (hong, head_teacher)


async def test_notices_reach_only_their_families_and_release_on_time(
    client: httpx.AsyncClient, make_client: Any, app: FastAPI
) -> None:
    await setup_org(client)
    setup = await school_with_families(client, make_client, app)
    head_client, _ = setup["head"]
    ming_parent, hong_parent = setup["parents"]
    ming, _hong, _gang = setup["students"]
    class_id = setup["class"]["id"]
    # Another class and its teacher.
    other = check(await client.post(f"{S}/classes", json={"grade_id": setup["grade"]["id"], "name": "初一(4)班"}), 201)
    other_client, other_teacher = await member_client(client, await make_client(), name="赵老师", email="z@example.com")
    check(await client.put(f"{S}/classes/{other['id']}/teachers", json={"head_teacher_id": other_teacher["id"]}))
    refused = await other_client.post(f"{S}/notices", json={"title": "x", "class_ids": [class_id]})
    assert refused.status_code in (403, 404)
    bad = await head_client.post(f"{S}/notices", json={"title": "x"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "notice_without_recipients"
    past = await head_client.post(
        f"{S}/notices", json={"title": "x", "class_ids": [class_id], "deadline": "2000-01-01T00:00:00+08:00"}
    )
    assert past.status_code == 422 and past.json()["error"]["code"] == "time_in_past"
    # One family only, with a file only those who may read the notice can fetch.
    sheet = await upload(head_client, b"%PDF-1.4 homework list", name="作业清单.pdf")
    only_ming = check(
        await head_client.post(
            f"{S}/notices", json={"title": "请带作业本", "student_ids": [ming["id"]], "file_ids": [sheet["id"]]}
        ),
        201,
    )
    assert [f["name"] for f in only_ming["files"]] == ["作业清单.pdf"]
    assert (await ming_parent.get(f"/api/v1/files/{sheet['id']}")).status_code == 200
    assert (await hong_parent.get(f"/api/v1/files/{sheet['id']}")).status_code == 404
    assert [n["title"] for n in check(await ming_parent.get(f"{S}/notices"))] == ["请带作业本"]
    assert check(await hong_parent.get(f"{S}/notices")) == []
    assert (await hong_parent.get(f"{S}/notices/{only_ming['id']}")).status_code == 404
    assert (await other_client.get(f"{S}/notices/{only_ming['id']}")).status_code == 404
    # Released later: nobody sees it before, everybody after.
    clock.freeze(clock.now())
    later = check(
        await head_client.post(
            f"{S}/notices",
            json={"title": "下周考试", "class_ids": [class_id],
                  "release_at": (clock.now() + timedelta(hours=1)).isoformat()},
        ),
        201,
    )  # fmt: skip
    assert later["status"] == "scheduled" and later["classes"] == []
    assert (await hong_parent.get(f"{S}/notices/{later['id']}")).status_code == 404
    await settle(app)
    assert [n["title"] for n in check(await hong_parent.get(f"{S}/notices"))] == []
    clock.advance(timedelta(hours=1, seconds=1))
    await settle(app)
    assert [n["title"] for n in check(await hong_parent.get(f"{S}/notices"))] == ["下周考试"]
    teacher_view = check(await head_client.get(f"{S}/notices/{later['id']}"))
    assert teacher_view["status"] == "sent" and teacher_view["classes"][0]["total"] == 3
