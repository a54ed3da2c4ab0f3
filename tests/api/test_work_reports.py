"""Work reports (日志) through the API: templates, writing to the manager, drafts, read
status, editing until read, comments and likes, chats, who may read, search, statistics
across the day boundary and holidays, exports, reminders, and bad input."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

import httpx
from fastapi import FastAPI
from openpyxl import load_workbook

from hobnail.core import clock
from tests.support.api import add_department, check, events_after, head, member_client, setup_org


def shanghai(day: str, hhmm: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{hhmm}:00+08:00").astimezone(UTC)


async def team(
    client: httpx.AsyncClient, make_client: Any, names: list[str]
) -> tuple[dict[str, Any], dict[str, tuple[httpx.AsyncClient, dict[str, Any]]]]:
    """A department whose first person is its manager."""
    sales = await add_department(client, "销售部")
    people = {}
    for name in names:
        people[name] = await member_client(
            client, await make_client(), name=name, email=f"{name.lower()}@example.com", department_ids=[sales["id"]]
        )
    manager = people[names[0]][1]
    check(await client.put(f"/api/v1/departments/{sales['id']}/managers", json={"user_ids": [manager["id"]]}))
    return sales, people


async def templates(client: httpx.AsyncClient) -> dict[str, dict[str, Any]]:
    return {t["builtin"] or t["name"]: t for t in check(await client.get("/api/v1/report-templates"))}


DAILY = {"done": "完成了本周项目进度汇报 and the Budget review", "unfinished": "客户回访", "help": ""}


async def test_a_daily_report_goes_to_the_manager_who_reads_and_comments(
    client: httpx.AsyncClient, make_client: Any, app: FastAPI
) -> None:
    clock.freeze(shanghai("2026-12-07", "18:00"))
    await setup_org(client)
    _sales, people = await team(client, make_client, ["Mia", "Ann", "Bob"])
    (mia, m), (ann, _a), (bob, _b) = people["Mia"], people["Ann"], people["Bob"]
    daily = (await templates(ann))["daily"]
    assert [f["key"] for f in daily["fields"]][:3] == ["done", "unfinished", "help"]
    ann_cursor, mia_cursor = await head(ann, app), await head(mia, app)
    report = check(
        await ann.post("/api/v1/reports", json={"template_id": daily["id"], "values": DAILY, "client_id": "r1"}), 201
    )
    assert report["recipient_ids"] == [m["id"]] and report["period_key"] == "2026-12-07" and not report["late"]
    again = check(
        await ann.post("/api/v1/reports", json={"template_id": daily["id"], "values": DAILY, "client_id": "r1"}), 201
    )
    assert again["id"] == report["id"]
    inbox = check(await mia.get("/api/v1/reports", params={"box": "inbox"}))
    assert [r["id"] for r in inbox] == [report["id"]] and inbox[0]["read_by_me"] is False
    events, mia_cursor = await events_after(mia, app, mia_cursor)
    assert [e["type"] for e in events] == ["report.submitted"]
    # Bob was not sent it: it does not exist for him.
    assert (await bob.get(f"/api/v1/reports/{report['id']}")).status_code == 404
    opened = check(await mia.post(f"/api/v1/reports/{report['id']}/read"))
    assert opened["read_by_me"] is True
    mine = check(await ann.get(f"/api/v1/reports/{report['id']}"))
    assert mine["read_count"] == 1 and mine["reads"][0]["user_id"] == m["id"] and mine["reads"][0]["read_at"]
    # Read: the author can no longer edit it.
    edit = await ann.patch(f"/api/v1/reports/{report['id']}", json={"values": {**DAILY, "done": "改了"}})
    assert edit.status_code == 409 and edit.json()["error"]["code"] == "report_already_read"
    check(await mia.post(f"/api/v1/reports/{report['id']}/comments", json={"body": "做得好 👍"}), 201)
    liked = check(await mia.put(f"/api/v1/reports/{report['id']}/like"))
    assert liked["likes"] == [m["id"]] and liked["comments"][0]["body"] == "做得好 👍"
    events, _ = await events_after(ann, app, ann_cursor)
    assert [e["type"] for e in events] == ["report.submitted", "report.read", "report.commented", "report.liked"]
    assert events[1]["data"]["read_count"] == 1


async def test_drafts_extra_recipients_editing_before_read_and_chats(
    client: httpx.AsyncClient, make_client: Any
) -> None:
    clock.freeze(shanghai("2026-12-07", "21:00"))  # after the 20:00 deadline
    await setup_org(client)
    _sales, people = await team(client, make_client, ["Mia", "Ann", "Bob"])
    (mia, m), (ann, a), (bob, b) = people["Mia"], people["Ann"], people["Bob"]
    daily = (await templates(ann))["daily"]
    draft = check(
        await ann.post(
            "/api/v1/reports", json={"template_id": daily["id"], "values": {"unfinished": "x"}, "submit": False}
        ),
        201,
    )
    assert draft["status"] == "draft"
    assert check(await ann.get("/api/v1/reports", params={"box": "drafts"}))[0]["id"] == draft["id"]
    assert check(await mia.get("/api/v1/reports")) == []  # drafts reach nobody
    missing = await ann.patch(f"/api/v1/reports/{draft['id']}", json={"submit": True})
    assert missing.status_code == 422 and missing.json()["error"]["details"]["field"] == "done"
    chat = check(await ann.post("/api/v1/conversations/groups", json={"name": "项目组", "member_ids": [b["id"]]}), 201)
    sent = check(
        await ann.patch(
            f"/api/v1/reports/{draft['id']}",
            json={"values": DAILY, "submit": True, "chat_ids": [chat["id"]]},
        )
    )
    assert sent["status"] == "submitted" and sent["late"] is True and sent["recipient_ids"] == [m["id"]]
    edited = check(
        await ann.patch(f"/api/v1/reports/{draft['id']}", json={"values": {**DAILY, "help": "需要设计支持"}})
    )
    assert edited["values"]["help"] == "需要设计支持" and edited["edited_at"]
    messages = check(await bob.get(f"/api/v1/conversations/{chat['id']}/messages"))
    bodies = [msg["body"] for msg in messages["items"]]
    assert any("Daily report" in body and "项目进度" in body for body in bodies)
    stranger = await ann.post(
        "/api/v1/reports", json={"template_id": daily["id"], "values": DAILY, "recipient_ids": ["nobody"]}
    )
    assert stranger.status_code == 422 and stranger.json()["error"]["code"] == "member_not_found"
    assert a["id"] not in sent["recipient_ids"]
    # Mia got it as the manager; Bob, in the chat it was posted to, finds it among "all".
    assert [r["id"] for r in check(await bob.get("/api/v1/reports", params={"box": "all"}))] == [draft["id"]]
    assert check(await bob.get("/api/v1/reports", params={"box": "inbox"})) == []
    assert check(await mia.get("/api/v1/reports", params={"box": "inbox"}))[0]["id"] == draft["id"]


async def test_search_finds_chinese_and_english_among_reports_one_may_read(
    client: httpx.AsyncClient, make_client: Any
) -> None:
    clock.freeze(shanghai("2026-12-07", "18:00"))
    await setup_org(client)
    _sales, people = await team(client, make_client, ["Mia", "Ann", "Bob"])
    (mia, _m), (ann, _a), (bob, _b) = people["Mia"], people["Ann"], people["Bob"]
    daily = (await templates(ann))["daily"]
    check(await ann.post("/api/v1/reports", json={"template_id": daily["id"], "values": DAILY}), 201)
    for q in ("项目进度", "budget", "BUDGET REVIEW 项目"):
        found = check(await mia.get("/api/v1/reports", params={"box": "all", "q": q}))
        assert len(found) == 1, q
    assert check(await mia.get("/api/v1/reports", params={"box": "all", "q": "预算"})) == []
    assert check(await bob.get("/api/v1/reports", params={"box": "all", "q": "项目进度"})) == []
    assert len(check(await client.get("/api/v1/reports", params={"box": "all", "q": "项目进度"}))) == 1  # admins


async def test_statistics_follow_the_org_day_and_the_holiday_calendar(
    client: httpx.AsyncClient, make_client: Any
) -> None:
    clock.freeze(shanghai("2026-09-28", "09:00"))
    await setup_org(client)
    sales, people = await team(client, make_client, ["Mia", "Ann", "Bob"])
    (mia, _m), (ann, a), (bob, _b) = people["Mia"], people["Ann"], people["Bob"]
    daily = (await templates(client))["daily"]
    check(
        await client.patch(
            f"/api/v1/report-templates/{daily['id']}",
            json={"rules": {"period": "daily", "deadline": "20:00", "department_ids": [sales["id"]]}},
        )
    )
    # Ann writes on time on Monday 28 Sep at 19:59 Shanghai (11:59 UTC) and late on Tuesday at 00:30 (the
    # next day in Shanghai, still the 29th in UTC: the organisation's day counts).
    clock.freeze(shanghai("2026-09-28", "19:59"))
    check(await ann.post("/api/v1/reports", json={"template_id": daily["id"], "values": DAILY}), 201)
    clock.freeze(shanghai("2026-09-30", "00:30"))
    late = check(
        await ann.post(
            "/api/v1/reports", json={"template_id": daily["id"], "values": DAILY, "period_key": "2026-09-29"}
        ),
        201,
    )
    assert late["late"] is True
    # Without a period, it is the organisation's day (30 Sep in Shanghai, though still 29 Sep in UTC).
    draft = check(
        await ann.post("/api/v1/reports", json={"template_id": daily["id"], "values": {}, "submit": False}), 201
    )
    assert draft["period_key"] == "2026-09-30"
    clock.freeze(shanghai("2026-10-12", "09:00"))
    stats = check(
        await mia.get(
            "/api/v1/reports/stats", params={"template_id": daily["id"], "first": "2026-09-28", "last": "2026-10-11"}
        )
    )
    # 28–30 Sep and 8–10 Oct (Saturday the 10th is a 调休 working day); 1–7 Oct are the holiday.
    assert stats["keys"] == ["2026-09-28", "2026-09-29", "2026-09-30", "2026-10-08", "2026-10-09", "2026-10-10"]
    rows = {r["name"]: r for r in stats["rows"]}
    assert (rows["Ann"]["on_time"], rows["Ann"]["late"], rows["Ann"]["missing"]) == (1, 1, 4)
    assert rows["Bob"]["missing"] == 6 and rows["Mia"]["missing"] == 6
    assert stats["trend"][0] == {"key": "2026-09-28", "on_time": 1, "late": 0, "missing": 2, "pending": 0}
    assert stats["departments"][0]["department"] == "销售部"
    # Bob manages nothing: no statistics for him.
    assert (
        await bob.get(
            "/api/v1/reports/stats", params={"template_id": daily["id"], "first": "2026-09-28", "last": "2026-10-11"}
        )
    ).status_code == 403
    xlsx = await mia.get(
        "/api/v1/reports/stats/export", params={"template_id": daily["id"], "first": "2026-09-28", "last": "2026-10-11"}
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    header = next(sheet.iter_rows(values_only=True))
    assert header[:3] == ("姓名", "部门", "应交") and header[-1] == "2026-10-10"
    raw = await mia.get(
        "/api/v1/reports/stats/export",
        params={"template_id": daily["id"], "first": "2026-09-28", "last": "2026-10-11", "format": "csv"},
    )
    table = list(csv.reader(io.StringIO(raw.content.decode("utf-8-sig"))))
    assert table[0][0] == "姓名" and {row[0] for row in table[1:]} == {"Ann", "Bob", "Mia"}
    assert a["id"]


async def test_custom_templates_and_bad_input(client: httpx.AsyncClient, make_client: Any) -> None:
    clock.freeze(shanghai("2026-12-07", "10:00"))
    await setup_org(client)
    _sales, people = await team(client, make_client, ["Mia", "Ann"])
    (mia, _m), (ann, _a) = people["Mia"], people["Ann"]
    empty = await client.post("/api/v1/report-templates", json={"name": "空", "fields": []})
    assert empty.status_code == 422
    bad_type = await client.post(
        "/api/v1/report-templates", json={"name": "x", "fields": [{"key": "a", "type": "people", "label": "A"}]}
    )
    assert bad_type.status_code == 422 and bad_type.json()["error"]["code"] == "invalid_template"
    visits = check(
        await client.post(
            "/api/v1/report-templates",
            json={"name": "客户拜访 Visits", "fields": [
                {"key": "client", "type": "text", "label": "客户", "required": True},
                {"key": "count", "type": "number", "label": "次数", "required": True},
                {"key": "photos", "type": "image", "label": "照片"},
            ], "rules": {"period": "weekly", "deadline": "18:00"}},
        ),
        201,
    )  # fmt: skip
    assert (
        await ann.post(
            "/api/v1/report-templates", json={"name": "x", "fields": [{"key": "a", "type": "text", "label": "A"}]}
        )
    ).status_code == 403
    wrong = await ann.post(
        "/api/v1/reports", json={"template_id": visits["id"], "values": {"client": "甲", "count": "three"}}
    )
    assert wrong.status_code == 422 and wrong.json()["error"]["details"]["field"] == "count"
    week = check(
        await ann.post("/api/v1/reports", json={"template_id": visits["id"], "values": {"client": "甲", "count": 3}}),
        201,
    )
    assert week["period_key"] == "2026-12-07"  # Monday of the week
    not_monday = await ann.post(
        "/api/v1/reports",
        json={"template_id": visits["id"], "values": {"client": "甲", "count": 3}, "period_key": "2026-12-08"},
    )
    assert not_monday.status_code == 422 and not_monday.json()["error"]["code"] == "invalid_period"
    photo = await ann.post(
        "/api/v1/reports",
        json={"template_id": visits["id"], "values": {"client": "甲", "count": 1, "photos": ["nope"]}},
    )
    assert photo.status_code == 404
    builtin_fields = await client.patch(
        f"/api/v1/report-templates/{(await templates(client))['daily']['id']}",
        json={"fields": [{"key": "a", "type": "text", "label": "A"}]},
    )
    assert builtin_fields.status_code == 422
    assert (await mia.patch(f"/api/v1/reports/{week['id']}", json={"values": {}})).status_code == 403


async def test_reminders_go_before_the_deadline_to_those_who_have_not_written(
    client: httpx.AsyncClient, make_client: Any, app: FastAPI
) -> None:
    clock.freeze(shanghai("2026-12-07", "10:00"))
    await setup_org(client)
    sales, people = await team(client, make_client, ["Mia", "Ann"])
    (mia, _m), (ann, _a) = people["Mia"], people["Ann"]
    daily = (await templates(client))["daily"]
    check(
        await client.patch(
            f"/api/v1/report-templates/{daily['id']}",
            json={
                "rules": {
                    "period": "daily",
                    "deadline": "20:00",
                    "department_ids": [sales["id"]],
                    "remind_before_minutes": 60,
                }
            },
        )
    )
    check(await ann.post("/api/v1/reports", json={"template_id": daily["id"], "values": DAILY}), 201)
    from hobnail.domains.reports import reminders

    cursors = {"mia": await head(mia, app), "ann": await head(ann, app)}

    async def run(at: str) -> dict[str, list[dict[str, Any]]]:
        clock.freeze(shanghai("2026-12-07", at))
        async with app.state.sessionmaker() as session:
            await reminders.remind(session, {})
            await session.commit()
        found = {}
        for name, person in (("mia", mia), ("ann", ann)):
            events, cursors[name] = await events_after(person, app, cursors[name])
            found[name] = [e for e in events if e["type"] == "report.reminder"]
        return found

    assert await run("18:30") == {"mia": [], "ann": []}  # too early
    sent = await run("19:05")
    assert len(sent["mia"]) == 1 and sent["ann"] == [] and sent["mia"][0]["data"]["period_key"] == "2026-12-07"
    assert await run("19:30") == {"mia": [], "ann": []}  # once
