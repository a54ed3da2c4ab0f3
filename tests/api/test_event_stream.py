from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import httpx
import orjson
import pytest
import websockets
from fastapi import FastAPI

from hobnail.core import clock
from hobnail.domains.accounts.events import DepartmentDeleted
from hobnail.events.base import topics
from hobnail.events.outbox import record
from tests.support.api import (
    add_department,
    add_member,
    check,
    drain_events,
    events_after,
    head,
    login,
    member_client,
    setup_org,
)
from tests.support.consistency import apply_events
from tests.support.live import live_server


async def _state(client: httpx.AsyncClient) -> dict[str, dict[str, dict[str, Any]]]:
    departments = {d["id"]: d for d in check(await client.get("/api/v1/departments"))}
    members = {m["id"]: m for m in check(await client.get("/api/v1/members", params={"limit": 200}))["items"]}
    return {"departments": departments, "members": members}


async def test_applying_events_to_old_state_equals_a_fresh_fetch(client: httpx.AsyncClient, app: FastAPI) -> None:
    await setup_org(client)
    eng = await add_department(client, "研发部")
    someone = await add_member(client, name="Someone", email="s@example.com", department_ids=[eng["id"]])
    before = await _state(client)
    cursor = await head(client, app)

    front = await add_department(client, "前端组", eng["id"])
    sales = await add_department(client, "销售部")
    await client.patch(f"/api/v1/departments/{front['id']}", json={"name": "Web", "parent_id": sales["id"]})
    await client.patch(f"/api/v1/departments/{sales['id']}", json={"position": 0})
    newbie = await add_member(client, name="新人", phone="13300000000", department_ids=[front["id"]])
    await client.patch(f"/api/v1/members/{someone['id']}", json={"department_ids": [front["id"]], "title": "Lead"})
    await client.post(f"/api/v1/members/{newbie['id']}/deactivate")
    await client.delete(f"/api/v1/departments/{eng['id']}")
    await client.patch("/api/v1/me", json={"name": "Boss"})

    events, _ = await events_after(client, app, cursor)
    assert [e["cursor"] for e in events] == sorted((e["cursor"] for e in events), key=int)
    assert apply_events(before, events) == await _state(client)


async def test_audiences_admin_only_events_and_other_orgs(client: httpx.AsyncClient, app: FastAPI, make_client) -> None:  # type: ignore[no-untyped-def]
    await setup_org(client)
    member, _ = await member_client(client, await make_client(), name="M", email="m@example.com")
    cursor = await head(member, app)
    invitation = check(await client.post("/api/v1/invitations", json={}), 201)
    await (await make_client()).post(
        f"/api/v1/join/{invitation['code']}", json={"name": "J", "phone": "13600000001", "password": "p" * 8}
    )
    await add_department(client, "Visible to all")
    check(await client.post("/api/v1/orgs", json={"name": "Elsewhere"}), 201)
    await add_department(client, "In the other org")
    member_events, _ = await events_after(member, app, cursor)
    assert [e["type"] for e in member_events] == ["department.created"]
    assert member_events[0]["data"]["department"]["name"] == "Visible to all"
    admin_events, _ = await events_after(client, app, cursor)  # the owner is now in "Elsewhere"
    assert {e["data"].get("department", {}).get("name") for e in admin_events} >= {"In the other org"}
    assert all(e["org_id"] == admin_events[-1]["org_id"] for e in admin_events)


async def test_a_rolled_back_change_emits_nothing(client: httpx.AsyncClient, app: FastAPI) -> None:
    body = await setup_org(client)
    cursor = await head(client, app)
    async with app.state.sessionmaker() as session:
        org_id = body["org"]["id"]
        await record(session, DepartmentDeleted(org_id=org_id, audience=(topics.org(org_id),), department_id="x"))
        await session.rollback()
    failing = await client.post(
        "/api/v1/members/import", files={"file": ("m.csv", b"name,email\nA,a@example.com\nB,bad\n")}
    )
    assert failing.status_code == 422
    events, _ = await events_after(client, app, cursor)
    assert events == []


async def test_old_cursors_get_resync_after_pruning(client: httpx.AsyncClient, app: FastAPI) -> None:
    await setup_org(client)
    cursor = await head(client, app)
    await add_department(client, "Old news")
    await drain_events(app)
    clock.advance(timedelta(days=8))
    from hobnail.events.retention import prune_events

    async with app.state.sessionmaker() as session:
        assert await prune_events(session, timedelta(days=7)) >= 1
        await session.commit()
    body = check(await client.get("/api/v1/events", params={"after": cursor}))
    assert body["resync"] is True
    bad = await client.get("/api/v1/events", params={"after": "abc"})
    assert check(bad, 400)["error"]["code"] == "invalid_cursor"


async def _next(ws: Any, timeout: float = 5) -> dict[str, Any]:
    return dict(orjson.loads(await asyncio.wait_for(ws.recv(), timeout)))


async def test_websocket_live_delivery_and_resume_without_gaps_or_duplicates(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await setup_org(client)
    token = check(await client.post("/api/v1/me/tokens", json={"name": "ws"}), 201)["token"]
    async with live_server(app) as host:
        url = f"ws://{host}/api/v1/events?token={token}"
        async with websockets.connect(url) as ws:
            ready = await _next(ws)
            assert ready["type"] == "stream.ready"
            await add_department(client, "Live 1")
            event = await _next(ws)
            assert (event["type"], event["data"]["department"]["name"]) == ("department.created", "Live 1")
            last = event["cursor"]
        # Offline: three changes.
        for name in ("Missed A", "Missed B", "Missed C"):
            await add_department(client, name)
        async with websockets.connect(f"{url}&cursor={last}") as ws:
            # Replayed events come before stream.ready; any not yet numbered come right after.
            frames = [await _next(ws)]
            while len([f for f in frames if "cursor" in f and f["type"] != "stream.ready"]) < 3:
                frames.append(await _next(ws))
            replayed = [f for f in frames if f["type"] == "department.created"]
            assert [e["data"]["department"]["name"] for e in replayed] == ["Missed A", "Missed B", "Missed C"]
            if not any(f["type"] == "stream.ready" for f in frames):
                assert (await _next(ws))["type"] == "stream.ready"
            await add_department(client, "Live 2")
            live = await _next(ws)
            assert live["data"]["department"]["name"] == "Live 2"
            assert int(live["cursor"]) > int(replayed[-1]["cursor"])
            await ws.send('{"type":"ping"}')
            assert (await _next(ws))["type"] == "pong"
    # Live events went out as one pre-built frame written straight to the socket.
    assert app.state.gateway.frames_written_directly > 0


async def test_websocket_rejects_bad_credentials_and_cursors(app: FastAPI, client: httpx.AsyncClient) -> None:
    await setup_org(client)
    token = check(await client.post("/api/v1/me/tokens", json={"name": "ws"}), 201)["token"]
    async with live_server(app) as host:
        for query, code in (("token=nope", 4401), ("", 4401), (f"token={token}&cursor=zz", 4400)):
            with pytest.raises(websockets.ConnectionClosed) as closed:
                async with websockets.connect(f"ws://{host}/api/v1/events?{query}") as ws:
                    await ws.recv()
            assert closed.value.rcvd is not None and closed.value.rcvd.code == code


async def test_deactivated_members_stream_closes(app: FastAPI, client: httpx.AsyncClient, make_client) -> None:  # type: ignore[no-untyped-def]
    await setup_org(client)
    member, created = await member_client(client, await make_client(), name="Leaver", email="l@example.com")
    token = check(await member.post("/api/v1/me/tokens", json={"name": "ws"}), 201)["token"]
    async with live_server(app) as host, websockets.connect(f"ws://{host}/api/v1/events?token={token}") as ws:
        assert (await _next(ws))["type"] == "stream.ready"
        await client.post(f"/api/v1/members/{created['id']}/deactivate")
        with pytest.raises(websockets.ConnectionClosed):
            for _ in range(5):
                await _next(ws)
    await login(await make_client(), "owner@example.com", "correct horse battery")
