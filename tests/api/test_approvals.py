"""Approvals through the API: leave with balances, flows with conditions, countersign and
or-sign, transfer and added approvers, withdraw, comments, who may see what, races."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from openpyxl import load_workbook

from hobnail.core import clock
from tests.support import files
from tests.support.api import add_department, check, events_after, head, member_client, settle, setup_org

MONDAY = "2026-12-07"  # a Monday, after the test clock's today


async def team(
    client: httpx.AsyncClient, make_client: Any, names: list[str]
) -> dict[str, tuple[httpx.AsyncClient, dict[str, Any]]]:
    sales = await add_department(client, "销售部")
    people = {}
    for name in names:
        people[name] = await member_client(
            client, await make_client(), name=name, email=f"{name.lower()}@example.com", department_ids=[sales["id"]]
        )
    people["_dept"] = (client, sales)
    return people


async def form_id(client: httpx.AsyncClient, builtin: str) -> str:
    return next(f["id"] for f in check(await client.get("/api/v1/approvals/forms")) if f["builtin"] == builtin)


def leave(start: str, end: str, start_half: str = "am", end_half: str = "pm", kind: str = "annual") -> dict[str, Any]:
    return {"leave_type": kind, "start": start, "start_half": start_half, "end": end, "end_half": end_half,
            "reason": "家里有事"}  # fmt: skip


async def test_annual_leave_goes_to_the_manager_and_the_balance_drops(
    client: httpx.AsyncClient, make_client: Any, app: FastAPI
) -> None:
    await setup_org(client)
    people = await team(client, make_client, ["Mia", "Ann"])
    (mia, m), (ann, a) = people["Mia"], people["Ann"]
    sales = people["_dept"][1]
    check(await client.put(f"/api/v1/departments/{sales['id']}/managers", json={"user_ids": [m["id"]]}))
    check(await client.put("/api/v1/leave/quotas", json={"user_ids": [a["id"]], "leave_type": "annual", "year": 2026,
                                                        "quota_days": 5}))  # fmt: skip
    leave_form = await form_id(ann, "leave")
    owner_cursor = await head(client, app)
    request = check(
        await ann.post("/api/v1/approvals", json={"form_id": leave_form, "values": leave(MONDAY, "2026-12-08")}), 201
    )
    assert (request["status"], request["days"], request["steps"][0]["approvers"]) == ("pending", 2.0, [m["id"]])
    todo = check(await mia.get("/api/v1/approvals", params={"box": "todo"}))
    assert [r["id"] for r in todo] == [request["id"]]
    # Over the balance (2 pending + 4 > 5) and overlapping: refused.
    over = await ann.post(
        "/api/v1/approvals", json={"form_id": leave_form, "values": leave("2026-12-14", "2026-12-17")}
    )
    assert (over.status_code, over.json()["error"]["code"]) == (409, "insufficient_balance")
    overlap = await ann.post(
        "/api/v1/approvals", json={"form_id": leave_form, "values": leave("2026-12-08", "2026-12-08")}
    )
    assert (overlap.status_code, overlap.json()["error"]["code"]) == (409, "leave_overlaps")
    backwards = await ann.post(
        "/api/v1/approvals", json={"form_id": leave_form, "values": leave("2026-12-10", "2026-12-09")}
    )
    assert (backwards.status_code, backwards.json()["error"]["code"]) == (422, "invalid_period")

    done = check(
        await mia.post(f"/api/v1/approvals/{request['id']}/actions", json={"action": "approve", "comment": "好"})
    )
    assert done["status"] == "approved"
    again = await mia.post(f"/api/v1/approvals/{request['id']}/actions", json={"action": "approve"})
    assert (again.status_code, again.json()["error"]["code"]) == (409, "approval_not_pending")
    annual = next(
        b for b in check(await ann.get("/api/v1/leave/balances", params={"year": 2026})) if b["leave_type"] == "annual"
    )
    assert (annual["used_days"], annual["left_days"]) == (2.0, 3.0)
    events, _ = await events_after(client, app, owner_cursor)
    finished = [e["data"] for e in events if e["type"] == "approval.finished"]
    assert finished == [{"request_id": request["id"], "kind": "leave", "status": "approved", "requester_id": a["id"],
                         "values": request["values"], "period": [MONDAY, "2026-12-08"], "days": 2.0}]  # fmt: skip
    timeline = check(await ann.get(f"/api/v1/approvals/{request['id']}"))["timeline"]
    assert [t["action"] for t in timeline] == ["submitted", "approved"]
    assert (await mia.get("/api/v1/approvals", params={"box": "done"})).json()[0]["id"] == request["id"]


async def test_custom_form_with_countersign_condition_transfer_and_added_approver(
    client: httpx.AsyncClient, make_client: Any
) -> None:
    await setup_org(client)
    people = await team(client, make_client, ["Xu", "Yan", "Zoe", "Wei", "Req"])
    ids = {name: pair[1]["id"] for name, pair in people.items() if name != "_dept"}
    design = {
        "name": "Purchase 采购",
        "fields": [{"key": "amount", "type": "amount", "label": "Amount 金额", "required": True},
                   {"key": "item", "type": "text", "label": "Item 物品", "required": True}],
        "flow": {"nodes": [
            {"name": "Team leads", "type": "users", "user_ids": [ids["Xu"], ids["Yan"]], "mode": "all"},
            {"name": "Director", "type": "users", "user_ids": [ids["Zoe"]], "mode": "any",
             "condition": {"field": "amount", "op": "gt", "value": 1000}},
        ]},
    }  # fmt: skip
    form = check(await client.post("/api/v1/approvals/forms", json=design), 201)
    requester = people["Req"][0]
    small = check(
        await requester.post(
            "/api/v1/approvals", json={"form_id": form["id"], "values": {"amount": 500, "item": "键盘"}}
        ),
        201,
    )
    assert len(small["steps"]) == 1
    xu, yan, zoe, wei = (people[n][0] for n in ("Xu", "Yan", "Zoe", "Wei"))
    after_one = check(await xu.post(f"/api/v1/approvals/{small['id']}/actions", json={"action": "approve"}))
    assert after_one["status"] == "pending"  # countersign: Yan too
    # Yan hands it to Wei, who approves.
    check(
        await yan.post(f"/api/v1/approvals/{small['id']}/actions", json={"action": "transfer", "user_id": ids["Wei"]})
    )
    assert (await yan.post(f"/api/v1/approvals/{small['id']}/actions", json={"action": "approve"})).status_code == 409
    assert (
        check(await wei.post(f"/api/v1/approvals/{small['id']}/actions", json={"action": "approve"}))["status"]
        == "approved"
    )

    big = check(
        await requester.post(
            "/api/v1/approvals", json={"form_id": form["id"], "values": {"amount": 5000, "item": "服务器"}}
        ),
        201,
    )
    assert [s["name"] for s in big["steps"]] == ["Team leads", "Director"]
    check(await xu.post(f"/api/v1/approvals/{big['id']}/actions", json={"action": "approve"}))
    # Yan asks Wei to look first (before), then decides.
    added = check(
        await yan.post(f"/api/v1/approvals/{big['id']}/actions", json={"action": "add_before", "user_id": ids["Wei"]})
    )
    assert added["steps"][added["current_step"]]["approvers"] == [ids["Wei"]]
    assert (await yan.post(f"/api/v1/approvals/{big['id']}/actions", json={"action": "approve"})).status_code == 409
    check(await wei.post(f"/api/v1/approvals/{big['id']}/actions", json={"action": "approve"}))
    check(await yan.post(f"/api/v1/approvals/{big['id']}/actions", json={"action": "approve"}))
    rejected = check(
        await zoe.post(f"/api/v1/approvals/{big['id']}/actions", json={"action": "reject", "comment": "太贵"})
    )
    assert rejected["status"] == "rejected"
    assert [t["action"] for t in rejected["timeline"]] == [
        "submitted",
        "approved",
        "add_before",
        "approved",
        "approved",
        "rejected",
    ]

    wrong = await requester.post(
        "/api/v1/approvals", json={"form_id": form["id"], "values": {"amount": "lots", "item": "x"}}
    )
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (422, "invalid_values")
    no_flow = await client.post("/api/v1/approvals/forms", json={**design, "flow": {"nodes": []}})
    assert (no_flow.status_code, no_flow.json()["error"]["code"]) == (422, "invalid_form")


async def test_withdraw_comments_and_who_may_see(client: httpx.AsyncClient, make_client: Any) -> None:
    await setup_org(client)
    people = await team(client, make_client, ["Req", "Other"])
    requester, other = people["Req"][0], people["Other"][0]
    general = await form_id(requester, "general")
    # Nobody manages the department: the flow falls back to the admins (the owner).
    request = check(
        await requester.post("/api/v1/approvals", json={"form_id": general, "values": {"subject": "新电脑"}}), 201
    )
    assert request["steps"][0]["approvers"]
    assert (await other.get(f"/api/v1/approvals/{request['id']}")).status_code == 404
    assert (
        await other.post(f"/api/v1/approvals/{request['id']}/actions", json={"action": "approve"})
    ).status_code == 404
    check(await requester.post(f"/api/v1/approvals/{request['id']}/comments", json={"body": "急用"}), 201)
    assert (await client.post(f"/api/v1/approvals/{request['id']}/withdraw")).status_code == 409  # not the requester
    withdrawn = check(await requester.post(f"/api/v1/approvals/{request['id']}/withdraw"))
    assert withdrawn["status"] == "withdrawn"
    assert (
        await client.post(f"/api/v1/approvals/{request['id']}/actions", json={"action": "approve"})
    ).status_code == 409
    assert [t["action"] for t in withdrawn["timeline"]] == ["submitted", "commented", "withdrawn"]
    assert check(await client.get("/api/v1/approvals", params={"box": "todo"})) == []


async def test_make_up_punches_are_limited_per_month(client: httpx.AsyncClient, make_client: Any) -> None:
    clock.freeze(datetime(2026, 11, 1, 2, tzinfo=UTC))
    await setup_org(client)
    people = await team(client, make_client, ["Req"])
    requester = people["Req"][0]
    # A make-up punch is for someone in an attendance group (attendance checks it).
    group = {"name": "考勤", "department_ids": [people["_dept"][1]["id"]], "rules": {"makeup_per_month": 5}}
    check(await client.post("/api/v1/attendance/groups", json=group), 201)
    clock.freeze(datetime(2026, 11, 20, 2, tzinfo=UTC))
    makeup = await form_id(client, "makeup")
    check(await client.patch(f"/api/v1/approvals/forms/{makeup}", json={"settings": {"per_month": 1}}))
    values = {"date": "2026-11-03", "punch": "clock_in", "reason": "忘记打卡"}
    check(await requester.post("/api/v1/approvals", json={"form_id": makeup, "values": values}), 201)
    second = await requester.post(
        "/api/v1/approvals", json={"form_id": makeup, "values": {**values, "date": "2026-11-20"}}
    )
    assert (second.status_code, second.json()["error"]["code"]) == (409, "makeup_limit_reached")
    clock.freeze(datetime(2026, 12, 1, 1, tzinfo=UTC))  # 09:00 in Shanghai
    next_month = await requester.post(
        "/api/v1/approvals", json={"form_id": makeup, "values": {**values, "date": "2026-12-01"}}
    )
    assert next_month.status_code == 201


async def test_two_approvers_of_an_or_sign_step_pressing_at_once_make_one_outcome(
    client: httpx.AsyncClient, make_client: Any, app: FastAPI
) -> None:
    await setup_org(client)
    people = await team(client, make_client, ["Xu", "Yan", "Req"])
    ids = {name: pair[1]["id"] for name, pair in people.items() if name != "_dept"}
    design = {"name": "Quick", "fields": [{"key": "what", "type": "text", "label": "What", "required": True}],
              "flow": {"nodes": [{"type": "users", "user_ids": [ids["Xu"], ids["Yan"]], "mode": "any"}]}}  # fmt: skip
    form = check(await client.post("/api/v1/approvals/forms", json=design), 201)
    cursor = await head(client, app)
    request = check(
        await people["Req"][0].post("/api/v1/approvals", json={"form_id": form["id"], "values": {"what": "x"}}), 201
    )
    answers = await asyncio.gather(
        people["Xu"][0].post(f"/api/v1/approvals/{request['id']}/actions", json={"action": "approve"}),
        people["Yan"][0].post(f"/api/v1/approvals/{request['id']}/actions", json={"action": "reject"}),
    )
    assert sorted(r.status_code for r in answers) == [200, 409]
    final = check(await client.get(f"/api/v1/approvals/{request['id']}"))
    winner = next(r for r in answers if r.status_code == 200).json()
    assert final["status"] == winner["status"] in ("approved", "rejected")
    events, _ = await events_after(client, app, cursor)
    assert len([e for e in events if e["type"] == "approval.finished"]) == 1


async def test_reminders_cc_and_the_hr_export(client: httpx.AsyncClient, make_client: Any, app: FastAPI) -> None:
    await setup_org(client)
    people = await team(client, make_client, ["Xu", "Req", "Hr"])
    ids = {name: pair[1]["id"] for name, pair in people.items() if name != "_dept"}
    amount = {"key": "amount", "type": "amount", "label": "金额", "required": True}
    design = {"name": "Expense 报销", "fields": [amount],
              "flow": {"nodes": [{"type": "users", "user_ids": [ids["Xu"]], "mode": "any"}],
                       "cc": [ids["Hr"]], "cc_when": "finish"}}  # fmt: skip
    form = check(await client.post("/api/v1/approvals/forms", json=design), 201)
    check(await client.patch("/api/v1/approvals/settings", json={"remind_after_hours": 4}))
    xu, hr = people["Xu"][0], people["Hr"][0]
    xu_cursor, hr_cursor = await head(xu, app), await head(hr, app)
    request = check(
        await people["Req"][0].post("/api/v1/approvals", json={"form_id": form["id"], "values": {"amount": 88.5}}), 201
    )
    await app.state.runner.schedule_periodic()
    clock.advance(timedelta(hours=3))
    await settle(app)
    clock.advance(timedelta(hours=1, minutes=1))
    await settle(app)
    clock.advance(timedelta(minutes=30))
    await settle(app)  # reminded once per 4 hours, not at every run
    events, _ = await events_after(xu, app, xu_cursor)
    reminders = [e["data"] for e in events if e["type"] == "approval.reminder"]
    assert [(r["request_id"], r["waiting_hours"]) for r in reminders] == [(request["id"], 4)]
    hr_events, hr_cursor = await events_after(hr, app, hr_cursor)
    assert [e for e in hr_events if e["type"].startswith("approval.")] == []  # CC hears on finish only
    check(await xu.post(f"/api/v1/approvals/{request['id']}/actions", json={"action": "approve"}))
    hr_events, _ = await events_after(hr, app, hr_cursor)
    assert [e["data"]["request"]["status"] for e in hr_events if e["type"] == "approval.updated"] == ["approved"]
    assert [r["id"] for r in check(await hr.get("/api/v1/approvals", params={"box": "cc"}))] == [request["id"]]

    export = await client.get("/api/v1/approvals/export", params={"status": "approved"})
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("ID", "表单 Form", "申请人 Requester", "状态 Status") and rows[0][-1] == "金额"
    assert rows[1][0] == request["id"] and rows[1][2] == "Req" and rows[1][-1] == 88.5
    assert (await xu.get("/api/v1/approvals/export")).status_code == 403


async def test_attachments_are_readable_by_whoever_sees_the_request(
    client: httpx.AsyncClient, make_client: Any
) -> None:
    await setup_org(client)
    people = await team(client, make_client, ["Req", "Other"])
    requester, other = people["Req"][0], people["Other"][0]
    receipt = await files.upload(requester, b"invoice", "发票.pdf")
    general = await form_id(requester, "general")
    values = {"subject": "报销", "attachments": [receipt["id"]]}
    request = check(await requester.post("/api/v1/approvals", json={"form_id": general, "values": values}), 201)
    assert (await files.fetch(client, f"/api/v1/files/{receipt['id']}/download")).content == b"invoice"  # the approver
    assert (await other.get(f"/api/v1/files/{receipt['id']}")).status_code == 404
    stolen = await other.post("/api/v1/approvals", json={"form_id": general, "values": values})
    assert (stolen.status_code, stolen.json()["error"]["code"]) == (404, "file_not_found")
    assert (await requester.delete(f"/api/v1/files/{receipt['id']}")).status_code == 409  # the request shows it
    assert request["values"]["attachments"] == [receipt["id"]]


async def test_annual_leave_by_years_of_service_and_quotas_for_everyone(
    client: httpx.AsyncClient, make_client: Any
) -> None:
    owner = await setup_org(client)
    people = await team(client, make_client, ["New", "Mid", "Old"])
    starts = {"New": "2026-03-01", "Mid": "2014-06-30", "Old": "2001-01-01"}
    for name, started in starts.items():
        check(await client.patch(f"/api/v1/members/{people[name][1]['id']}", json={"work_start_on": started}))
    result = check(await client.post("/api/v1/leave/quotas/annual-by-service", json={"year": 2026}))
    quota = {b["user_id"]: b["quota_days"] for b in result["balances"]}
    assert [quota[people[n][1]["id"]] for n in ("New", "Mid", "Old")] == [0.0, 10.0, 15.0]
    assert result["without_work_start"] == [owner["user"]["id"]]
    check(await client.put("/api/v1/leave/quotas", json={"everyone": True, "leave_type": "sick", "year": 2026,
                                                        "quota_days": 10}))  # fmt: skip
    sick = [b for b in check(await people["Mid"][0].get("/api/v1/leave/balances", params={"year": 2026}))
            if b["leave_type"] == "sick"]  # fmt: skip
    assert (sick[0]["quota_days"], sick[0]["pending_days"]) == (10.0, 0.0)
    nobody = await client.put("/api/v1/leave/quotas", json={"leave_type": "sick", "year": 2026, "quota_days": 1})
    assert nobody.status_code == 422


async def test_lists_page_by_creation_time(client: httpx.AsyncClient, make_client: Any) -> None:
    await setup_org(client)
    people = await team(client, make_client, ["Req"])
    requester = people["Req"][0]
    general = await form_id(client, "general")
    start = datetime(2026, 12, 1, 2, tzinfo=UTC)
    for minute in range(3):
        clock.freeze(start + timedelta(minutes=minute))
        check(
            await requester.post("/api/v1/approvals", json={"form_id": general, "values": {"subject": f"#{minute}"}}),
            201,
        )
    first = check(await requester.get("/api/v1/approvals", params={"box": "mine", "limit": 2}))
    assert [r["values"]["subject"] for r in first] == ["#2", "#1"]
    rest = check(
        await requester.get("/api/v1/approvals", params={"box": "mine", "limit": 2, "before": first[-1]["created_at"]})
    )
    assert [r["values"]["subject"] for r in rest] == ["#0"]
