from __future__ import annotations

from datetime import timedelta

import httpx
from fastapi import FastAPI

from hobnail.core import clock
from tests.support.api import chat_view, check, group_with, member_client, send, setup_org


async def _group(client: httpx.AsyncClient, make_client, n: int = 2):  # type: ignore[no-untyped-def]
    people = [
        await member_client(client, await make_client(), name=f"P{i}", email=f"p{i}@example.com") for i in range(n)
    ]
    group = await group_with(client, "Team", [info["id"] for _, info in people])
    return group, people


async def test_mentions_are_counted_separately_and_checked(client: httpx.AsyncClient, make_client) -> None:  # type: ignore[no-untyped-def]
    await setup_org(client)
    group, [(alice, a), (bob, _b)] = await _group(client, make_client)
    await send(client, group["id"], "plain")
    await send(client, group["id"], "@P0 look", mentions=[a["id"]])
    view = await chat_view(alice, group["id"])
    assert (view["unread_count"], view["mention_count"]) == (2, 1)
    assert (await chat_view(bob, group["id"]))["mention_count"] == 0
    stranger = await client.post(
        f"/api/v1/conversations/{group['id']}/messages", json={"body": "hi @x", "mentions": ["someone-else"]}
    )
    assert check(stranger, 422)["error"]["code"] == "mention_not_member"
    at_all = await alice.post(
        f"/api/v1/conversations/{group['id']}/messages", json={"body": "@all", "mention_all": True}
    )
    assert check(at_all, 403)["error"]["code"] == "mention_all_forbidden"
    await send(client, group["id"], "@所有人 开会", mention_all=True)
    assert (await chat_view(bob, group["id"]))["mention_count"] == 1
    listing = check(await alice.get("/api/v1/conversations"))
    assert listing["total_mentions"] == 2


async def test_read_receipts_with_late_joiners_and_lists(client: httpx.AsyncClient, make_client) -> None:  # type: ignore[no-untyped-def]
    await setup_org(client)
    group, [(alice, _a), (bob, _b)] = await _group(client, make_client)
    first = await send(client, group["id"], "before Carol joined")
    carol, c = await member_client(client, await make_client(), name="Carol", email="carol@example.com")
    check(await client.post(f"/api/v1/conversations/{group['id']}/members", json={"user_ids": [c["id"]]}))
    second = await send(client, group["id"], "after Carol joined")
    assert first["receipt"] == {"expected": 2, "read": 0}
    assert second["receipt"] == {"expected": 3, "read": 0}
    check(await alice.post(f"/api/v1/conversations/{group['id']}/read", json={"seq": second["seq"]}))
    check(await carol.post(f"/api/v1/conversations/{group['id']}/read", json={"seq": second["seq"]}))
    lists = check(await client.get(f"/api/v1/messages/{first['id']}/receipts"))
    assert ([p["name"] for p in lists["read"]], [p["name"] for p in lists["unread"]]) == (["P0"], ["P1"])
    lists = check(await client.get(f"/api/v1/messages/{second['id']}/receipts"))
    assert sorted(p["name"] for p in lists["read"]) == ["Carol", "P0"] and [p["name"] for p in lists["unread"]] == [
        "P1"
    ]
    history = {m["id"]: m for m in check(await client.get(f"/api/v1/conversations/{group['id']}/messages"))["items"]}
    assert history[first["id"]]["receipt"] == {"expected": 2, "read": 1}
    assert history[second["id"]]["receipt"] == {"expected": 3, "read": 2}
    not_mine = await alice.get(f"/api/v1/messages/{first['id']}/receipts")
    assert check(not_mine, 403)["error"]["code"] == "not_your_message"
    # Pointers never move back, and never past the end.
    check(await alice.post(f"/api/v1/conversations/{group['id']}/read", json={"seq": 1}))
    assert (await chat_view(alice, group["id"]))["read_seq"] == second["seq"]
    far = check(await bob.post(f"/api/v1/conversations/{group['id']}/read", json={"seq": 10**9}))
    assert far["read_seq"] == second["seq"]

    check(await client.patch("/api/v1/messaging/settings", json={"read_receipts": False}))
    off = await client.get(f"/api/v1/messages/{first['id']}/receipts")
    assert check(off, 403)["error"]["code"] == "read_receipts_disabled"
    history = check(await client.get(f"/api/v1/conversations/{group['id']}/messages"))["items"]
    assert all(m["receipt"] is None for m in history)
    member_toggle = await alice.patch("/api/v1/messaging/settings", json={"read_receipts": True})
    assert check(member_toggle, 403)["error"]["code"] == "admin_required"


async def test_edit_recall_pin_reply_forward(client: httpx.AsyncClient, make_client) -> None:  # type: ignore[no-untyped-def]
    await setup_org(client)
    group, [(alice, _a), (bob, b)] = await _group(client, make_client)
    message = await send(alice, group["id"], "first draft")
    edited = check(await alice.patch(f"/api/v1/messages/{message['id']}", json={"body": "final"}))
    assert edited["body"] == "final" and edited["edited_at"]
    not_yours = await bob.patch(f"/api/v1/messages/{message['id']}", json={"body": "hacked"})
    assert check(not_yours, 403)["error"]["code"] == "not_your_message"
    reply = await send(bob, group["id"], "agreed", reply_to_id=message["id"])
    assert reply["reply_to"]["body"] == "final"
    pinned = check(await client.put(f"/api/v1/messages/{message['id']}/pin"))
    assert pinned["pinned"]
    assert [m["id"] for m in check(await bob.get(f"/api/v1/conversations/{group['id']}/pins"))] == [message["id"]]
    member_pin = await bob.put(f"/api/v1/messages/{reply['id']}/pin")
    assert check(member_pin, 403)["error"]["code"] == "group_admin_required"

    chat = check(await alice.post("/api/v1/conversations/direct", json={"user_id": b["id"]}))
    [forwarded] = check(
        await alice.post(f"/api/v1/messages/{message['id']}/forward", json={"conversation_ids": [chat["id"]]}), 201
    )
    assert forwarded["body"] == "final" and forwarded["forwarded_from"]["sender_name"] == "P0"

    clock.advance(timedelta(hours=25))
    late_edit = await alice.patch(f"/api/v1/messages/{message['id']}", json={"body": "too late"})
    assert check(late_edit, 409)["error"]["code"] == "edit_window_passed"
    late_recall = await bob.post(f"/api/v1/messages/{reply['id']}/recall")
    assert check(late_recall, 409)["error"]["code"] == "recall_window_passed"
    # The group owner may recall at any time; everyone, later, sees a recalled line.
    recalled = check(await client.post(f"/api/v1/messages/{message['id']}/recall"))
    assert recalled["recalled"] and recalled["body"] == "" and not recalled["pinned"]
    seen_by_bob = {m["id"]: m for m in check(await bob.get(f"/api/v1/conversations/{group['id']}/messages"))["items"]}
    assert seen_by_bob[message["id"]]["recalled"] and seen_by_bob[message["id"]]["body"] == ""
    assert seen_by_bob[reply["id"]]["reply_to"]["recalled"]
    again = await alice.patch(f"/api/v1/messages/{message['id']}", json={"body": "revive"})
    assert check(again, 409)["error"]["code"] in ("message_recalled", "edit_window_passed")


async def test_search_chinese_english_filters_and_visibility(client: httpx.AsyncClient, make_client) -> None:  # type: ignore[no-untyped-def]
    await setup_org(client)
    group, [(alice, _a), (bob, b)] = await _group(client, make_client)
    await send(client, group["id"], "本周项目进度汇报")
    await send(alice, group["id"], "Budget review on Friday")
    await send(alice, group["id"], "午饭吃什么")
    private = await group_with(client, "Private", [b["id"]])
    await send(client, private["id"], "项目进度 secret")

    async def found(who: httpx.AsyncClient, **params: str) -> list[str]:
        return [h["message"]["body"] for h in check(await who.get("/api/v1/messages/search", params=params))["items"]]

    assert await found(alice, q="项目进度") == ["本周项目进度汇报"]
    assert sorted(await found(bob, q="项目进度")) == ["本周项目进度汇报", "项目进度 secret"]
    assert await found(alice, q="budget") == ["Budget review on Friday"]
    assert await found(alice, q="BUDGET friday") == ["Budget review on Friday"]
    assert await found(alice, q="budget", sender_id=b["id"]) == []
    assert await found(alice, q="项目", conversation_id=group["id"]) == ["本周项目进度汇报"]
    assert await found(alice, q="100%") == []
    hit = check(await alice.get("/api/v1/messages/search", params={"q": "午饭"}))["items"][0]
    assert hit["conversation_name"] == "Team"
    context = check(
        await alice.get(
            f"/api/v1/conversations/{group['id']}/messages", params={"around": hit["message"]["id"], "limit": 2}
        )
    )
    assert hit["message"]["id"] in {m["id"] for m in context["items"]}
    blank = await alice.get("/api/v1/messages/search", params={"q": "   "})
    assert check(blank, 422)["error"]["code"] == "empty_query"


async def test_history_pages_both_ways(client: httpx.AsyncClient, make_client) -> None:  # type: ignore[no-untyped-def]
    await setup_org(client)
    group, _ = await _group(client, make_client, 1)
    for i in range(12):
        await send(client, group["id"], f"m{i}")
    url = f"/api/v1/conversations/{group['id']}/messages"
    latest = check(await client.get(url, params={"limit": 5}))
    assert [m["body"] for m in latest["items"]] == ["m7", "m8", "m9", "m10", "m11"]
    assert latest["has_before"] and not latest["has_after"]
    older = check(await client.get(url, params={"limit": 5, "before": latest["items"][0]["seq"]}))
    assert [m["body"] for m in older["items"]] == ["m2", "m3", "m4", "m5", "m6"]
    newer = check(await client.get(url, params={"limit": 3, "after": older["items"][-1]["seq"]}))
    assert [m["body"] for m in newer["items"]] == ["m7", "m8", "m9"] and newer["has_after"]
    bad = await client.get(url, params={"before": "abc"})
    assert check(bad, 422)["error"]["code"] == "validation_failed"
    missing = await client.get(url, params={"around": "nope"})
    assert check(missing, 404)["error"]["code"] == "message_not_found"


async def test_bad_input_duplicates_and_flooding(client: httpx.AsyncClient, make_client, app: FastAPI) -> None:  # type: ignore[no-untyped-def]
    await setup_org(client)
    group, [(alice, _)] = await _group(client, make_client, 1)
    url = f"/api/v1/conversations/{group['id']}/messages"
    assert check(await client.post(url, json={"body": "   "}), 422)["error"]["code"] == "empty_message"
    too_long = await client.post(url, json={"body": "x" * 10_001})
    assert check(too_long, 422)["error"]["code"] == "message_too_long"
    outsider, _ = await member_client(client, await make_client(), name="Out", email="out@example.com")
    assert check(await outsider.post(url, json={"body": "hi"}), 404)["error"]["code"] == "conversation_not_found"
    first = await client.post(url, json={"body": "once", "client_msg_id": "c-1"})
    retry = await client.post(url, json={"body": "once", "client_msg_id": "c-1"})
    assert (first.status_code, retry.status_code) == (201, 200)
    assert first.json()["id"] == retry.json()["id"]
    bodies = [m["body"] for m in check(await client.get(url))["items"]]
    assert bodies.count("once") == 1
    for i in range(40):
        response = await alice.post(url, json={"body": f"spam {i}"})
        if response.status_code == 429:
            assert response.json()["error"]["code"] == "rate_limited"
            assert int(response.headers["Retry-After"]) > 0
            break
    else:
        raise AssertionError("no rate limit")
    clock.advance(timedelta(seconds=11))
    check(await alice.post(url, json={"body": "calm again"}), 201)
    # Nothing half-written: the refused sends left no trace.
    count = len(check(await client.get(url, params={"limit": 100}))["items"])
    assert count == 1 + 1 + 30 + 1  # system line, "once", 30 accepted, "calm again"


async def test_search_times_without_a_zone_and_forged_cursors_are_handled(client: httpx.AsyncClient) -> None:
    from hobnail.core.pagination import encode_cursor

    await setup_org(client)
    naive = await client.get("/api/v1/messages/search", params={"q": "x", "since": "2020-01-01T00:00:00"})
    assert check(naive)["items"] == []
    forged = encode_cursor("2020-01-01T00:00:00", "z")
    assert check(await client.get("/api/v1/messages/search", params={"q": "x", "cursor": forged}))["items"] == []
    bad = encode_cursor("yesterday", "z")
    response = await client.get("/api/v1/messages/search", params={"q": "x", "cursor": bad})
    assert check(response, 422)["error"]["code"] == "invalid_cursor"
    huge = await client.get("/api/v1/conversations/x/messages", params={"before": str(2**70)})
    assert check(huge, 422)["error"]["code"] == "validation_failed"
