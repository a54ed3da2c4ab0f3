"""Attendance through the API: groups and rules, punching inside and outside the fence,
field punches, the day's result, approvals feeding attendance, the board, the monthly
report and its exports, rosters, the calendar, reminders, review of odd punches, and
bad input."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

import httpx
import sqlalchemy as sa
from fastapi import FastAPI
from openpyxl import load_workbook

from hobnail.core import clock
from hobnail.models import AttendanceDay
from tests.support.api import add_department, check, events_after, head, member_client, settle, setup_org

OFFICE = {"name": "总部 HQ", "latitude": 31.2304, "longitude": 121.4737, "radius": 300}
INSIDE = {"latitude": 31.2310, "longitude": 121.4740, "accuracy": 20}  # ~70 m from the office
OUTSIDE = {"latitude": 31.2600, "longitude": 121.5000, "accuracy": 20}  # ~4 km away


def shanghai(day: str, hhmm: str) -> datetime:
    """A wall-clock time in Asia/Shanghai (UTC+8, no daylight saving) as a UTC instant."""
    return datetime.fromisoformat(f"{day}T{hhmm}:00+08:00").astimezone(UTC)


async def office_team(
    client: httpx.AsyncClient, make_client: Any, names: list[str], **rules: Any
) -> tuple[dict[str, Any], dict[str, tuple[httpx.AsyncClient, dict[str, Any]]]]:
    """A department with members, and a fixed 09:00–18:00 group covering it."""
    sales = await add_department(client, "销售部")
    people = {}
    for name in names:
        people[name] = await member_client(
            client, await make_client(), name=name, email=f"{name.lower()}@example.com", department_ids=[sales["id"]]
        )
    group = check(
        await client.post(
            "/api/v1/attendance/groups",
            json={"name": "总部考勤", "department_ids": [sales["id"]], "rules": {"places": [OFFICE], **rules}},
        ),
        201,
    )
    return group, people


async def test_a_member_clocks_in_on_time_and_out_late_and_the_day_is_normal(
    client: httpx.AsyncClient, make_client: Any, app: FastAPI
) -> None:
    clock.freeze(shanghai("2026-12-07", "08:00"))  # a Monday
    await setup_org(client)
    group, people = await office_team(client, make_client, ["Ann"])
    ann, a = people["Ann"]
    today = check(await ann.get("/api/v1/attendance/me/today", params=INSIDE))
    assert today["can_punch"] and today["next_kind"] == "in" and today["location"]["result"] == "place"
    assert today["plan"]["shift"]["start"] == "09:00" and today["group_id"] == group["id"]
    away = check(await ann.get("/api/v1/attendance/me/today", params=OUTSIDE))
    assert not away["can_punch"] and away["refusal"]["code"] == "outside_area"
    assert away["location"]["distance_m"] > 3000

    clock.freeze(shanghai("2026-12-07", "08:55"))
    cursor = await head(client, app)
    punched = check(
        await ann.post("/api/v1/attendance/punches", json={**INSIDE, "client_id": "c1", "device_id": "d1"}), 201
    )
    assert punched["punch"]["kind"] == "in" and punched["punch"]["place"] == "总部 HQ"
    assert punched["day"]["status"] == "pending"
    again = check(
        await ann.post("/api/v1/attendance/punches", json={**INSIDE, "client_id": "c1", "device_id": "d1"}), 201
    )
    assert again["punch"]["id"] == punched["punch"]["id"]  # a retry punches once
    events, _ = await events_after(client, app, cursor)
    assert [e["type"] for e in events].count("attendance.punched") == 1

    clock.freeze(shanghai("2026-12-07", "18:10"))
    out = check(await ann.post("/api/v1/attendance/punches", json={**INSIDE, "device_id": "d1"}), 201)
    assert out["punch"]["kind"] == "out" and out["day"]["status"] == "normal"
    assert out["day"]["worked_minutes"] == 9 * 60 + 15

    board = check(await client.get("/api/v1/attendance/board"))
    assert board["counts"]["in"] == 1 and board["lists"]["in"][0]["user_id"] == a["id"]
    month = check(await ann.get("/api/v1/attendance/me/month", params={"month": "2026-12"}))
    assert month["days"][6]["status"] == "normal"
    assert month["days"][7]["status"] == "upcoming"  # the days to come show their plan
    assert month["summary"]["present_days"] == 1


async def test_late_early_absent_and_missing_punches_show_why(
    client: httpx.AsyncClient, make_client: Any, app: FastAPI
) -> None:
    clock.freeze(shanghai("2026-12-07", "09:20"))
    await setup_org(client)
    _group, people = await office_team(client, make_client, ["Ann", "Bob", "Cat"])
    (ann, a), (bob, b), (cat, c) = people["Ann"], people["Bob"], people["Cat"]
    late = check(await ann.post("/api/v1/attendance/punches", json=INSIDE), 201)
    assert late["day"]["status"] == "late" and late["day"]["late_minutes"] == 20
    assert {"code": "late", "minutes": 20} in late["day"]["reasons"]
    check(await bob.post("/api/v1/attendance/punches", json=INSIDE), 201)  # Bob never clocks out
    clock.freeze(shanghai("2026-12-07", "17:00"))
    early = check(await ann.post("/api/v1/attendance/punches", json=INSIDE), 201)
    assert early["day"]["early_minutes"] == 60 and early["day"]["status"] == "late"  # late is worse than early

    clock.freeze(shanghai("2026-12-09", "10:00"))
    await app.state.runner.run_due(limit=100)
    from hobnail.domains.attendance import jobs

    async with app.state.sessionmaker() as session:
        await jobs.close_days(session, {})
        await session.commit()
    await settle(app)  # the closing job queued a recompute per slice of people; they ran
    async with app.state.sessionmaker() as session:
        stored = (await session.execute(sa.select(AttendanceDay.day, AttendanceDay.status, AttendanceDay.detail))).all()
    assert {(row.day.isoformat(), row.status) for row in stored if row.detail["final"]} >= {
        ("2026-12-07", "late"),
        ("2026-12-07", "missing"),
        ("2026-12-07", "absent"),
        ("2026-12-08", "absent"),
    }
    days = {
        name: check(await client.get(f"/api/v1/attendance/people/{p['id']}/month", params={"month": "2026-12"}))
        for name, p in (("Ann", a), ("Bob", b), ("Cat", c))
    }
    monday = {name: month["days"][6] for name, month in days.items()}
    assert monday["Bob"]["status"] == "missing" and {"code": "missing_out"} in monday["Bob"]["reasons"]
    assert monday["Cat"]["status"] == "absent" and monday["Cat"]["absent_days"] == 1
    assert days["Cat"]["days"][7]["status"] == "absent"  # Tuesday too
    report = check(await client.get("/api/v1/attendance/reports/monthly", params={"month": "2026-12"}))
    rows = {r["name"]: r for r in report["rows"]}
    assert rows["Ann"]["late_count"] == 1 and rows["Ann"]["late_minutes"] == 20 and rows["Ann"]["early_minutes"] == 60
    assert rows["Cat"]["absent_days"] == 2 and rows["Bob"]["missing_punches"] == 1
    sales = report["departments"][0]
    # Cat twice, and Ann and Bob on Tuesday; Ann and Bob both came at 09:20 on Monday.
    assert (sales["department"], sales["people"], sales["absent_days"], sales["late_count"]) == ("销售部", 3, 4, 2)
    # The members see only their own month.
    check(await cat.get(f"/api/v1/attendance/people/{a['id']}/month", params={"month": "2026-12"}), 403)


async def test_field_clock_in_needs_a_note_when_allowed_and_is_refused_when_not(
    client: httpx.AsyncClient, make_client: Any
) -> None:
    clock.freeze(shanghai("2026-12-07", "08:50"))
    await setup_org(client)
    group, people = await office_team(client, make_client, ["Ann"])
    ann, _a = people["Ann"]
    refused = await ann.post("/api/v1/attendance/punches", json=OUTSIDE)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "outside_area"
    rules = {**group["rules"], "field_allowed": True}
    check(await client.patch(f"/api/v1/attendance/groups/{group['id']}", json={"rules": rules}))
    no_note = await ann.post("/api/v1/attendance/punches", json=OUTSIDE)
    assert no_note.status_code == 422 and no_note.json()["error"]["code"] == "field_note_required"
    field = check(
        await ann.post("/api/v1/attendance/punches", json={**OUTSIDE, "note": "拜访客户 visiting a client"}), 201
    )
    assert field["punch"]["location_result"] == "field" and field["day"]["field"] is True


async def test_office_network_is_enough_without_a_position(client: httpx.AsyncClient, make_client: Any) -> None:
    clock.freeze(shanghai("2026-12-07", "08:50"))
    await setup_org(client)
    _group, people = await office_team(
        client, make_client, ["Ann"], networks=[{"name": "办公室", "cidr": "127.0.0.0/8"}],
        wifi=[{"ssid": "Office-5G", "bssid": "00:11:22:33:44:55"}],
    )  # fmt: skip
    ann, _a = people["Ann"]
    today = check(await ann.get("/api/v1/attendance/me/today"))
    # The test client's address is 127.0.0.1 (ASGI); a phone may send the Wi-Fi it sees instead.
    assert today["location"]["result"] == "network" and today["can_punch"]
    by_wifi = check(
        await ann.post("/api/v1/attendance/punches", json={"ssid": "Office-5G", "bssid": "00-11-22-33-44-55"}), 201
    )
    assert by_wifi["punch"]["location_result"] == "network"


async def test_approved_leave_trip_overtime_and_makeup_reach_attendance(
    client: httpx.AsyncClient, make_client: Any, app: FastAPI
) -> None:
    clock.freeze(shanghai("2026-12-07", "08:00"))
    await setup_org(client)
    _group, people = await office_team(client, make_client, ["Ann"])
    ann, a = people["Ann"]
    forms = {f["builtin"]: f["id"] for f in check(await ann.get("/api/v1/approvals/forms"))}
    check(
        await client.put(
            "/api/v1/leave/quotas", json={"user_ids": [a["id"]], "leave_type": "annual", "year": 2026, "quota_days": 5}
        )
    )

    async def approved(form: str, values: dict[str, Any]) -> None:
        request = check(await ann.post("/api/v1/approvals", json={"form_id": forms[form], "values": values}), 201)
        check(await client.post(f"/api/v1/approvals/{request['id']}/actions", json={"action": "approve"}))

    await approved("leave", {"leave_type": "annual", "start": "2026-12-08", "start_half": "am", "end": "2026-12-08",
                             "end_half": "am", "reason": "看病"})  # fmt: skip
    await approved("trip", {"destination": "北京", "dates": ["2026-12-09", "2026-12-09"], "reason": "客户"})
    await approved("overtime", {"date": "2026-12-12", "hours": 4, "reason": "上线"})
    await settle(app)
    # Monday: in at 9, forgot to clock out; a make-up punch is approved on Tuesday.
    clock.freeze(shanghai("2026-12-07", "08:58"))
    check(await ann.post("/api/v1/attendance/punches", json=INSIDE), 201)
    clock.freeze(shanghai("2026-12-08", "13:40"))  # Tuesday: morning off, in by 13:30 + 5 min grace
    tuesday = check(await ann.post("/api/v1/attendance/punches", json=INSIDE), 201)
    assert tuesday["day"]["status"] == "late" and tuesday["day"]["late_minutes"] == 10
    assert tuesday["day"]["leave"] == {"annual": 0.5}
    await approved("makeup", {"date": "2026-12-07", "punch": "clock_out", "reason": "忘了打卡"})
    await settle(app)
    clock.freeze(shanghai("2026-12-14", "10:00"))
    month = check(await ann.get("/api/v1/attendance/me/month", params={"month": "2026-12"}))
    days = {d["day"]: d for d in month["days"]}
    assert days["2026-12-07"]["status"] == "normal"  # the make-up punch filled the gap
    assert days["2026-12-09"]["status"] == "trip"
    assert days["2026-12-12"]["status"] == "rest" and days["2026-12-12"]["overtime_minutes"] == 240
    assert month["summary"]["leave"] == {"annual": 0.5} and month["summary"]["overtime_hours"] == 4
    punches = check(await ann.get("/api/v1/attendance/me/punches", params={"month": "2026-12"}))
    assert [p["source"] for p in punches].count("approval") == 1


async def test_makeup_requests_respect_the_groups_allowance_and_membership(
    client: httpx.AsyncClient, make_client: Any
) -> None:
    clock.freeze(shanghai("2026-12-01", "10:00"))
    await setup_org(client)
    _group, people = await office_team(client, make_client, ["Ann"], makeup_per_month=1)
    clock.freeze(shanghai("2026-12-09", "10:00"))
    ann, _a = people["Ann"]
    outsider, _o = await member_client(client, await make_client(), name="Out", email="out@example.com")
    forms = {f["builtin"]: f["id"] for f in check(await ann.get("/api/v1/approvals/forms"))}
    values = {"date": "2026-12-07", "punch": "clock_in", "reason": "忘了"}
    check(await ann.post("/api/v1/approvals", json={"form_id": forms["makeup"], "values": values}), 201)
    second = await ann.post(
        "/api/v1/approvals", json={"form_id": forms["makeup"], "values": {**values, "date": "2026-12-08"}}
    )
    assert second.status_code == 409 and second.json()["error"]["code"] == "makeup_limit_reached"
    future = await outsider.post("/api/v1/approvals", json={"form_id": forms["makeup"], "values": values})
    assert future.json()["error"]["code"] == "not_in_attendance_group"


async def test_exports_have_chinese_headers_and_csv_opens_in_excel(client: httpx.AsyncClient, make_client: Any) -> None:
    clock.freeze(shanghai("2026-12-07", "09:00"))
    await setup_org(client)
    _group, people = await office_team(client, make_client, ["Ann"])
    check(await people["Ann"][0].post("/api/v1/attendance/punches", json=INSIDE), 201)
    xlsx = await client.get("/api/v1/attendance/reports/monthly/export", params={"month": "2026-12"})
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("姓名", "部门", "应出勤天数", "出勤天数") and rows[1][0] == "Ann"
    departments = list(load_workbook(io.BytesIO(xlsx.content))["部门汇总"].iter_rows(values_only=True))
    assert departments[0][:2] == ("部门", "人数") and departments[1][:2] == ("销售部", 1)
    raw = check_bytes(
        await client.get("/api/v1/attendance/reports/monthly/export", params={"month": "2026-12", "format": "csv"})
    )
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert table[0][0] == "姓名" and table[1][0] == "Ann"
    member = await people["Ann"][0].get("/api/v1/attendance/reports/monthly/export", params={"month": "2026-12"})
    assert member.status_code == 403


def check_bytes(response: httpx.Response) -> bytes:
    assert response.status_code == 200, response.text
    return response.content


async def test_shift_roster_with_a_night_shift_and_overlap_refused(client: httpx.AsyncClient, make_client: Any) -> None:
    clock.freeze(shanghai("2026-12-07", "12:00"))
    await setup_org(client)
    shifts = [
        {"id": "early", "name": "早班", "start": "05:00", "end": "13:00"},
        {"id": "night", "name": "夜班", "start": "22:00", "end": "06:00"},
    ]
    group, people = await office_team(client, make_client, ["Ann"], kind="shift", shifts=shifts)
    ann, a = people["Ann"]
    overlap = await client.put(
        f"/api/v1/attendance/groups/{group['id']}/roster",
        json={"entries": [{"user_id": a["id"], "day": "2026-12-07", "shift_id": "night"},
                          {"user_id": a["id"], "day": "2026-12-08", "shift_id": "early"}]},
    )  # fmt: skip
    assert overlap.status_code == 422 and overlap.json()["error"]["code"] == "roster_overlap"
    past = await client.put(
        f"/api/v1/attendance/groups/{group['id']}/roster",
        json={"entries": [{"user_id": a["id"], "day": "2026-12-06", "shift_id": "night"}]},
    )
    assert past.json()["error"]["code"] == "roster_in_past"
    roster = check(
        await client.put(
            f"/api/v1/attendance/groups/{group['id']}/roster",
            json={"entries": [{"user_id": a["id"], "day": "2026-12-07", "shift_id": "night"},
                              {"user_id": a["id"], "day": "2026-12-08", "shift_id": None}]},
        )
    )  # fmt: skip
    assert len(roster["entries"]) == 2
    clock.freeze(shanghai("2026-12-07", "21:50"))
    check(await ann.post("/api/v1/attendance/punches", json=INSIDE), 201)
    clock.freeze(shanghai("2026-12-08", "06:05"))
    out = check(await ann.post("/api/v1/attendance/punches", json=INSIDE), 201)
    assert out["punch"]["work_date"] == "2026-12-07" and out["day"]["status"] in ("normal", "pending")
    assert out["day"]["required_minutes"] == 480


async def test_rules_apply_from_today_on_and_members_move_only_when_asked(
    client: httpx.AsyncClient, make_client: Any
) -> None:
    clock.freeze(shanghai("2026-12-07", "08:00"))
    await setup_org(client)
    group, people = await office_team(client, make_client, ["Ann"])
    _ann, a = people["Ann"]
    past = await client.patch(
        f"/api/v1/attendance/groups/{group['id']}", json={"rules": group["rules"], "effective_from": "2026-12-01"}
    )
    assert past.status_code == 422 and past.json()["error"]["code"] == "rules_in_past"
    later = {**group["rules"], "shift": {"id": "day", "name": "Day", "start": "10:00", "end": "19:00"}}
    changed = check(
        await client.patch(
            f"/api/v1/attendance/groups/{group['id']}", json={"rules": later, "effective_from": "2027-01-01"}
        )
    )
    assert changed["rules"]["shift"]["start"] == "09:00" and changed["upcoming"][0]["effective_from"] == "2027-01-01"
    bad_radius = await client.patch(
        f"/api/v1/attendance/groups/{group['id']}", json={"rules": {"places": [{**OFFICE, "radius": 50}]}}
    )
    assert bad_radius.status_code == 422 and bad_radius.json()["error"]["details"]["field"] == "places.0.radius"
    clash = await client.post("/api/v1/attendance/groups", json={"name": "二组", "user_ids": [a["id"]]})
    assert clash.status_code == 409 and clash.json()["error"]["code"] == "already_in_group"
    assert (
        check(await client.get("/api/v1/attendance/groups"))
        and len(check(await client.get("/api/v1/attendance/groups"))) == 1
    )
    moved = check(
        await client.post("/api/v1/attendance/groups", json={"name": "二组", "user_ids": [a["id"]], "move": True}), 201
    )
    members = check(await client.get(f"/api/v1/attendance/groups/{moved['id']}/members"))
    assert [m["id"] for m in members] == [a["id"]]


async def test_bad_punches_get_clear_errors(client: httpx.AsyncClient, make_client: Any) -> None:
    clock.freeze(shanghai("2026-12-07", "03:00"))
    await setup_org(client)
    _group, people = await office_team(client, make_client, ["Ann"])
    ann, _a = people["Ann"]
    closed = await ann.post("/api/v1/attendance/punches", json=INSIDE)
    assert closed.status_code == 409 and closed.json()["error"]["code"] == "outside_punch_window"
    clock.freeze(shanghai("2026-12-07", "08:30"))
    for body in ({"latitude": 91, "longitude": 0}, {"latitude": 10}, {"latitude": "north", "longitude": 1}):
        response = await ann.post("/api/v1/attendance/punches", json=body)
        assert response.status_code == 422, response.text
    owner_punch = await client.post("/api/v1/attendance/punches", json=INSIDE)
    assert owner_punch.status_code == 409 and owner_punch.json()["error"]["code"] == "not_in_attendance_group"
    extra = await ann.post("/api/v1/attendance/punches", json={**INSIDE, "user_id": "someone-else"})
    assert extra.status_code == 422  # nobody punches for another person


async def test_odd_punches_are_flagged_for_review_and_a_rejection_stops_them_counting(
    client: httpx.AsyncClient, make_client: Any
) -> None:
    clock.freeze(shanghai("2026-12-07", "08:50"))
    await setup_org(client)
    _group, people = await office_team(client, make_client, ["Ann"])
    ann, _a = people["Ann"]
    check(await ann.post("/api/v1/attendance/punches", json={**INSIDE, "device_id": "phone-1"}), 201)
    clock.freeze(shanghai("2026-12-07", "09:10"))
    # 20 minutes later, from another device, with a location spoofer's accuracy of 0 m.
    odd = await ann.post("/api/v1/attendance/punches", json={**INSIDE, "accuracy": 0, "device_id": "phone-2"})
    body = check(odd, 201)
    assert (
        set(body["punch"]["flags"]) == {"implausible_accuracy", "new_device"} and body["punch"]["review"] == "pending"
    )
    queue = check(await client.get("/api/v1/attendance/punches", params={"review": "pending"}))
    assert [p["id"] for p in queue] == [body["punch"]["id"]]
    reviewed = check(
        await client.post(f"/api/v1/attendance/punches/{body['punch']['id']}/review", json={"decision": "reject"})
    )
    assert reviewed["punch"]["review"] == "rejected" and reviewed["day"]["out_at"] is None
    mine = check(await ann.get("/api/v1/attendance/me/punches", params={"month": "2026-12"}))
    assert {p["review"] for p in mine} == {"", "rejected"}  # members see what is recorded about them


async def test_the_calendar_has_chinas_holidays_and_admins_change_days(client: httpx.AsyncClient) -> None:
    clock.freeze(shanghai("2026-09-01", "10:00"))
    await setup_org(client)
    calendar = check(await client.get("/api/v1/attendance/calendar", params={"year": 2026}))
    days = {d["day"]: d for d in calendar["days"]}
    assert days["2026-10-01"]["kind"] == "holiday" and days["2026-10-01"]["name_zh"] == "国庆节"
    assert days["2026-10-10"]["kind"] == "workday"
    check(await client.put("/api/v1/attendance/calendar/2026-10-10", json={"kind": "normal"}))
    check(await client.put("/api/v1/attendance/calendar/2026-12-24", json={"kind": "holiday", "name": "公司年会"}))
    calendar = check(await client.get("/api/v1/attendance/calendar", params={"year": 2026}))
    days = {d["day"]: d for d in calendar["days"]}
    assert "2026-10-10" not in days and days["2026-12-24"]["source"] == "org"
    past = await client.put("/api/v1/attendance/calendar/2026-08-01", json={"kind": "holiday"})
    assert past.status_code == 422


async def test_reminders_before_work_and_after_it_once_each(
    client: httpx.AsyncClient, make_client: Any, app: FastAPI
) -> None:
    clock.freeze(shanghai("2026-12-07", "08:52"))
    await setup_org(client)
    _group, people = await office_team(client, make_client, ["Ann", "Bob"])
    (ann, a), (bob, b) = people["Ann"], people["Bob"]
    from hobnail.domains.attendance import jobs

    cursor = await head(bob, app)

    async def remind() -> list[dict[str, Any]]:
        nonlocal cursor
        async with app.state.sessionmaker() as session:
            await jobs.remind(session, {})
            await session.commit()
        events, cursor = await events_after(bob, app, cursor)
        return [e for e in events if e["type"] == "attendance.reminder"]

    check(await ann.post("/api/v1/attendance/punches", json=INSIDE), 201)
    sent = await remind()
    assert [(e["data"]["kind"]) for e in sent] == ["in"] and sent[0]["data"]["day"] == "2026-12-07"
    assert await remind() == []  # once
    clock.freeze(shanghai("2026-12-07", "18:45"))
    assert await remind() == []  # Bob never clocked in, so there is nothing to clock out of
    ann_events, _ = await events_after(ann, app, "0")
    reminders = [e["data"]["kind"] for e in ann_events if e["type"] == "attendance.reminder"]
    assert reminders == ["out"] and b["id"] != a["id"]  # Ann clocked in at 08:52, so no "in" reminder


async def test_leave_counts_the_working_days_of_the_persons_schedule(
    client: httpx.AsyncClient, make_client: Any
) -> None:
    clock.freeze(shanghai("2026-09-01", "10:00"))
    await setup_org(client)
    _group, people = await office_team(client, make_client, ["Ann"])
    ann, a = people["Ann"]
    quota = {"user_ids": [a["id"]], "leave_type": "annual", "year": 2026, "quota_days": 10}
    check(await client.put("/api/v1/leave/quotas", json=quota))
    forms = {f["builtin"]: f["id"] for f in check(await ann.get("/api/v1/approvals/forms"))}
    values = {"leave_type": "annual", "start": "2026-09-30", "start_half": "am", "end": "2026-10-10",
              "end_half": "pm", "reason": "国庆"}  # fmt: skip
    request = check(await ann.post("/api/v1/approvals", json={"form_id": forms["leave"], "values": values}), 201)
    # 30 Sep, 8 and 9 Oct, and Saturday 10 Oct (a 调休 working day); 1–7 Oct are the holiday.
    assert request["days"] == 4
    _outsider, _o = await member_client(client, await make_client(), name="Out", email="out@example.com")
    values_out = {**values, "leave_type": "personal"}
    plain = check(
        await _outsider.post("/api/v1/approvals", json={"form_id": forms["leave"], "values": values_out}), 201
    )
    assert plain["days"] == 8  # no attendance group: Monday to Friday


async def test_leave_by_the_hour_moves_the_start_and_counts_hours(
    client: httpx.AsyncClient, make_client: Any, app: FastAPI
) -> None:
    clock.freeze(shanghai("2026-12-07", "08:00"))
    await setup_org(client)
    _group, people = await office_team(client, make_client, ["Ann"])
    ann, a = people["Ann"]
    quota = {"user_ids": [a["id"]], "leave_type": "annual", "year": 2026, "quota_days": 5}
    check(await client.put("/api/v1/leave/quotas", json=quota))
    forms = {f["builtin"]: f["id"] for f in check(await ann.get("/api/v1/approvals/forms"))}
    values = {"leave_type": "annual", "start": "2026-12-07", "start_half": "am", "end": "2026-12-07",
              "end_half": "pm", "start_time": "09:00", "end_time": "11:00", "reason": "体检"}  # fmt: skip
    two_days = await ann.post(
        "/api/v1/approvals", json={"form_id": forms["leave"], "values": {**values, "end": "2026-12-08"}}
    )
    assert two_days.status_code == 422 and two_days.json()["error"]["code"] == "invalid_period"
    backwards = await ann.post(
        "/api/v1/approvals", json={"form_id": forms["leave"], "values": {**values, "end_time": "08:00"}}
    )
    assert backwards.status_code == 422
    request = check(await ann.post("/api/v1/approvals", json={"form_id": forms["leave"], "values": values}), 201)
    assert request["days"] == 0.25
    check(await client.post(f"/api/v1/approvals/{request['id']}/actions", json={"action": "approve"}))
    await settle(app)
    clock.freeze(shanghai("2026-12-07", "11:03"))  # the day starts at 11:00 for her; 5 minutes' grace
    day = check(await ann.post("/api/v1/attendance/punches", json=INSIDE), 201)["day"]
    assert day["status"] == "pending" and day["late_minutes"] == 0 and day["leave"] == {"annual": 0.25}
    assert day["required_minutes"] == 7 * 60
    balance = next(b for b in check(await ann.get("/api/v1/leave/balances")) if b["leave_type"] == "annual")
    assert balance["used_days"] == 0.25
