from __future__ import annotations

import asyncio
from typing import Any

import httpx
import orjson
import websockets
from fastapi import FastAPI

from tests.support.api import check, events_after, group_with, head, member_client, send, settle, setup_org
from tests.support.consistency import apply_chat_events
from tests.support.live import live_server


async def _chat_state(client: httpx.AsyncClient) -> dict[str, Any]:
    listing = check(await client.get("/api/v1/conversations"))
    conversations = {c["id"]: c for c in listing["items"]}
    messages = {}
    for chat_id in conversations:
        items = check(await client.get(f"/api/v1/conversations/{chat_id}/messages", params={"limit": 100}))["items"]
        messages[chat_id] = {m["id"]: m for m in items}
    return {"conversations": conversations, "messages": messages}


def _normalise(state: dict[str, Any]) -> dict[str, Any]:
    """Times from events and fetches are the same instants; compare them as such."""
    return orjson.loads(orjson.dumps({k: state[k] for k in ("conversations", "messages")}).replace(b"+00:00", b"Z"))


async def test_applying_chat_events_to_old_state_equals_a_fresh_fetch(
    client: httpx.AsyncClient, app: FastAPI, make_client
) -> None:  # type: ignore[no-untyped-def]
    owner = await setup_org(client)
    me = owner["user"]["id"]
    (alice, a), (bob, b) = [
        await member_client(client, await make_client(), name=n, email=f"{n}@example.com") for n in ("alice", "bob")
    ]
    group = await group_with(client, "Team", [a["id"], b["id"]])
    early = await send(client, group["id"], "before")
    await settle(app)
    before = await _chat_state(client)
    cursor = await head(client, app)

    mine = await send(client, group["id"], "please read")
    await alice.post(f"/api/v1/conversations/{group['id']}/read", json={"seq": mine["seq"]})
    mention = await send(alice, group["id"], "@owner look", mentions=[me])
    reply = await send(bob, group["id"], "replying", reply_to_id=mention["id"])
    await send(bob, group["id"], "@all", mention_all=False)
    await client.post(f"/api/v1/messages/{mention['id']}/recall")
    await alice.patch(f"/api/v1/messages/{mine['id']}", json={"body": "x"})  # not hers: refused, no event
    await client.patch(f"/api/v1/messages/{early['id']}", json={"body": "before (edited)"})
    await client.put(f"/api/v1/messages/{reply['id']}/pin")
    await client.patch(f"/api/v1/conversations/{group['id']}", json={"name": "Team 2", "announcement": "公告"})
    _carol, c = await member_client(client, await make_client(), name="carol", email="carol@example.com")
    await client.post(f"/api/v1/conversations/{group['id']}/members", json={"user_ids": [c["id"]]})
    await bob.post(f"/api/v1/conversations/{group['id']}/read", json={"seq": 10**6})
    direct = check(await alice.post("/api/v1/conversations/direct", json={"user_id": me}))
    await send(alice, direct["id"], "new chat")
    await client.put(f"/api/v1/conversations/{group['id']}/mute", json={"muted": True})
    await client.post(f"/api/v1/conversations/{direct['id']}/read", json={"seq": 1})

    events, _ = await events_after(client, app, cursor)
    after = apply_chat_events(before, events, me)
    fresh = await _chat_state(client)
    for chat_id in after["fetch"]:  # chats joined while away are fetched, as a client would
        after["conversations"][chat_id] = fresh["conversations"][chat_id]
        after["messages"][chat_id] = fresh["messages"][chat_id]
    assert _normalise(after) == _normalise(fresh)


async def _frames(ws: Any, predicate: Any, timeout: float = 5) -> dict[str, Any]:
    while True:
        frame = orjson.loads(await asyncio.wait_for(ws.recv(), timeout))
        if predicate(frame):
            return dict(frame)


async def test_new_chats_messages_and_typing_reach_open_sockets_live(
    client: httpx.AsyncClient, app: FastAPI, make_client
) -> None:  # type: ignore[no-untyped-def]
    await setup_org(client)
    bob, b = await member_client(client, await make_client(), name="bob", email="bob@example.com")
    token = check(await bob.post("/api/v1/me/tokens", json={"name": "ws"}), 201)["token"]
    async with live_server(app) as host, websockets.connect(f"ws://{host}/api/v1/events?token={token}") as ws:
        await _frames(ws, lambda f: f["type"] == "stream.ready")
        # Bob is added to a group while connected: its messages reach him without reconnecting.
        group = await group_with(client, "Live", [b["id"]])
        added = await _frames(ws, lambda f: f["type"] == "conversation.members_added")
        assert added["data"]["conversation_id"] == group["id"]
        await send(client, group["id"], "实时消息")
        sent = await _frames(ws, lambda f: f["type"] == "message.sent" and f["data"]["message"]["kind"] == "text")
        assert sent["data"]["message"]["body"] == "实时消息"
        check(await client.post(f"/api/v1/conversations/{group['id']}/typing"), 204)
        typing = await _frames(ws, lambda f: f["type"] == "typing")
        assert "cursor" not in typing and typing["data"]["conversation_id"] == group["id"]
        # Removed: the removal arrives, and later messages of that chat do not.
        check(await client.delete(f"/api/v1/conversations/{group['id']}/members/{b['id']}"), 204)
        await _frames(ws, lambda f: f["type"] == "conversation.members_removed")
        await send(client, group["id"], "after you left")
        await client.post("/api/v1/departments", json={"name": "marker"})
        frame = await _frames(ws, lambda f: f["type"] in ("message.sent", "department.created"))
        assert frame["type"] == "department.created"
