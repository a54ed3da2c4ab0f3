"""Daily check-in forms (issue #10): the school defines a form with a time window; families
fill it in for each child within the window (on a controlled clock); teachers see who has
not, per class, and remind them (once per ten minutes)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
from fastapi import FastAPI

from hobnail.core import clock
from tests.api.test_education import S
from tests.api.test_education_notices import school_with_families
from tests.support.api import check, events_after, head, setup_org

FORM = {
    "name": "每日健康打卡",
    "fields": [
        {"key": "temperature", "type": "number", "label": "体温", "required": True},
        {"key": "health", "type": "select", "label": "身体状况", "options": ["健康", "不适"], "required": True},
        {"key": "note", "type": "text", "label": "备注"},
    ],
    "opens_at": "06:00",
    "closes_at": "09:00",
}


async def test_families_check_in_within_the_window_and_teachers_remind_the_rest(
    client: httpx.AsyncClient, make_client: Any, app: FastAPI
) -> None:
    await setup_org(client)
    setup = await school_with_families(client, make_client, app)
    head_client, _ = setup["head"]
    ming_parent, hong_parent = setup["parents"]
    ming, hong, gang = setup["students"]
    class_id = setup["class"]["id"]
    bad = await client.post(f"{S}/checkin-forms", json={**FORM, "opens_at": "09:00", "closes_at": "06:00"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_window"
    assert (await head_client.post(f"{S}/checkin-forms", json=FORM)).status_code == 403
    form = check(await client.post(f"{S}/checkin-forms", json=FORM), 201)
    # Monday 2026-12-07, 05:30 in Shanghai: not open yet.
    clock.freeze(datetime(2026, 12, 6, 21, 30, tzinfo=UTC))
    today = check(await ming_parent.get(f"{S}/checkins/today"))
    assert [(d["student"]["name"], d["open"], d["entry"]) for d in today] == [("小明", False, None)]
    entry = {"student_id": ming["id"], "values": {"temperature": 36.6, "health": "健康"}}
    closed = await ming_parent.post(f"{S}/checkin-forms/{form['id']}/entries", json=entry)
    assert closed.status_code == 409 and closed.json()["error"]["code"] == "checkin_closed"
    clock.freeze(datetime(2026, 12, 6, 23, 0, tzinfo=UTC))  # 07:00
    cursor = await head(head_client, app)
    missing_value = await ming_parent.post(
        f"{S}/checkin-forms/{form['id']}/entries", json={"student_id": ming["id"], "values": {"temperature": 36.6}}
    )
    assert missing_value.status_code == 422
    check(await ming_parent.post(f"{S}/checkin-forms/{form['id']}/entries", json=entry))
    again = check(
        await ming_parent.post(
            f"{S}/checkin-forms/{form['id']}/entries",
            json={"student_id": ming["id"], "values": {"temperature": 37.9, "health": "不适", "note": "咳嗽"}},
        )
    )
    assert again["entry"]["values"]["temperature"] == 37.9
    other_child = await hong_parent.post(f"{S}/checkin-forms/{form['id']}/entries", json=entry)
    assert other_child.status_code == 404
    # The teacher sees who has and who has not, live.
    day = check(await head_client.get(f"{S}/checkin-forms/{form['id']}/classes/{class_id}"))
    assert [s["name"] for s in day["done"]] == ["小明"] and day["done"][0]["entry"]["values"]["note"] == "咳嗽"
    assert {s["name"] for s in day["missing"]} == {"小红", "小刚"}
    events, _ = await events_after(head_client, app, cursor)
    assert "school_checkin.submitted" in [e["type"] for e in events]
    assert (await ming_parent.get(f"{S}/checkin-forms/{form['id']}/classes/{class_id}")).status_code == 403
    # Remind: 小红's mother (joined) hears it; 小刚's family has not joined; not twice in ten minutes.
    hong_cursor = await head(hong_parent, app)
    reminded = check(await head_client.post(f"{S}/checkin-forms/{form['id']}/classes/{class_id}/remind"))
    assert reminded == {"reminded": 1, "missing": 2}
    events, _ = await events_after(hong_parent, app, hong_cursor)
    assert [e["data"]["name"] for e in events if e["type"] == "school_checkin.reminder"] == ["每日健康打卡"]
    too_soon = await head_client.post(f"{S}/checkin-forms/{form['id']}/classes/{class_id}/remind")
    assert too_soon.status_code == 429 and int(too_soon.headers["retry-after"]) > 0
    # Saturday: no check-in.
    clock.freeze(datetime(2026, 12, 11, 23, 0, tzinfo=UTC))
    assert check(await ming_parent.get(f"{S}/checkins/today")) == []
    _ = (hong, gang)
