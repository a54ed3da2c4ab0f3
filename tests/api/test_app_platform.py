"""Apps on Hobnail's own API and DingTalk's robot API: access tokens acting as the app's
bot within its scopes and rate limit, 1:1 chats with bots, messages to people, robot
DING, and EVENT frames over Stream mode."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
import websockets
from fastapi import FastAPI

from hobnail.domains.integrations import app_access
from hobnail.models import AppDelivery
from tests.support.api import check, member_client, send, settle, setup_org
from tests.support.live import live_server


async def new_app(client: httpx.AsyncClient, scopes: list[str], name: str = "助手") -> tuple[dict[str, Any], str]:
    app = check(await client.post("/api/v1/apps", json={"name": name, "scopes": scopes}), 201)
    token = check(
        await client.post(
            "/v1.0/oauth2/accessToken", json={"appKey": app["client_id"], "appSecret": app["client_secret"]}
        )
    )["accessToken"]
    return app, token


def code(response: httpx.Response) -> str:
    return str(response.json()["error"]["code"])


async def test_an_app_token_acts_as_the_bot_within_its_scopes(
    client: httpx.AsyncClient, make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    await setup_org(client)
    bob, bob_member = await member_client(client, await make_client(), name="Bob", email="bob@example.com")
    bot_app, token = await new_app(client, ["contacts.read", "messages.send", "attendance.read"])
    as_app = {"Authorization": f"Bearer {token}"}
    members = check(await client.get("/api/v1/members", headers=as_app))
    names = [m["name"] for m in (members["items"] if isinstance(members, dict) else members)]
    assert "Bob" in names
    # DingTalk's header works too.
    assert check(await client.get("/api/v1/me", headers={"x-acs-dingtalk-access-token": token}))
    # A read that needs an admin, opened by its scope.
    check(await client.get("/api/v1/attendance/reports/monthly", headers=as_app, params={"month": "2026-11"}))
    # Writes only where a scope allows; admin actions never.
    chat = check(await client.post("/api/v1/conversations/direct", json={"user_id": bob_member["id"]}, headers=as_app))
    sent = check(
        await client.post(f"/api/v1/conversations/{chat['id']}/messages", json={"body": "部署完成"}, headers=as_app),
        201,
    )
    assert sent["sender_id"] == bot_app["bot_user_id"]
    items = check(await bob.get(f"/api/v1/conversations/{chat['id']}/messages"))["items"]
    assert [m["body"] for m in items if m["sender_id"] == bot_app["bot_user_id"]] == ["部署完成"]
    denied = await client.post("/api/v1/members", json={"name": "X", "email": "x@example.com"}, headers=as_app)
    assert denied.status_code == 403 and code(denied) == "not_available_to_apps"
    unscoped = await client.get("/api/v1/reports/stats", headers=as_app)
    assert unscoped.status_code == 403 and code(unscoped) == "scope_missing"
    assert (await client.get("/api/v1/approvals", headers=as_app)).status_code == 403
    bad = await client.get("/api/v1/members", headers={"Authorization": "Bearer nonsense"})
    assert bad.status_code == 401 and code(bad) == "invalid_token"
    # A disabled app's token stops working at once.
    limited_app, limited = await new_app(client, ["contacts.read"], name="限流")
    monkeypatch.setattr(app_access, "APP_REQUESTS_PER_SECOND", 3)
    monkeypatch.setattr(app_access.time, "monotonic", lambda: 1000.0)  # all in one second
    answers = [
        await client.get("/api/v1/departments", headers={"Authorization": f"Bearer {limited}"}) for _ in range(5)
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 429, 429]
    assert answers[-1].headers["retry-after"] == "1" and code(answers[-1]) == "app_rate_limited"
    # Other apps have their own budget.
    assert (await client.get("/api/v1/me", headers=as_app)).status_code == 200
    check(await client.patch(f"/api/v1/apps/{limited_app['id']}", json={"enabled": False}))
    monkeypatch.setattr(app_access.time, "monotonic", lambda: 2000.0)
    gone = await client.get("/api/v1/departments", headers={"Authorization": f"Bearer {limited}"})
    assert gone.status_code == 401


async def test_people_chat_with_a_bot_one_to_one(client: httpx.AsyncClient, make_client: Any, app: FastAPI) -> None:
    await setup_org(client)
    bob, _ = await member_client(client, await make_client(), name="Bob", email="bob@example.com")
    bot_app, _token = await new_app(client, ["chatbot"], name="IT 助手")
    _other, _ = await new_app(client, ["contacts.read"], name="不是机器人")
    bots = check(await bob.get("/api/v1/bots"))
    assert [b["name"] for b in bots] == ["IT 助手"]
    chat = check(await bob.post(f"/api/v1/bots/{bot_app['bot_user_id']}/chat"))
    assert chat["kind"] == "direct"
    assert check(await bob.post(f"/api/v1/bots/{bot_app['bot_user_id']}/chat"))["id"] == chat["id"]
    assert (await bob.post(f"/api/v1/bots/{_other['bot_user_id']}/chat")).status_code == 404
    message = await send(bob, chat["id"], "VPN 连不上")  # no @mention needed
    await settle(app)
    async with app.state.sessionmaker() as session:
        deliveries = list((await session.execute(AppDelivery.__table__.select())).mappings())
    assert len(deliveries) == 1
    payload = deliveries[0]["payload"]
    payload = payload if isinstance(payload, dict) else json.loads(payload)
    assert payload["msgId"] == message["id"] and payload["conversationType"] == "1"
    assert payload["text"]["content"] == "VPN 连不上" and payload["senderNick"] == "Bob"
    reply = await client.post(payload["sessionWebhook"], json={"msgtype": "text", "text": {"content": "请重启客户端"}})
    assert reply.json() == {"errcode": 0, "errmsg": "ok"}
    items = check(await bob.get(f"/api/v1/conversations/{chat['id']}/messages"))["items"]
    assert items[-1]["sender_id"] == bot_app["bot_user_id"] and items[-1]["card"]["text"] == "请重启客户端"
    # The bot "has read" everything: Bob's message is not waiting for it.
    assert items[-2]["receipt"] in (None, {"expected": 1, "read": 1})


async def test_robot_messages_to_people_and_robot_ding(client: httpx.AsyncClient, make_client: Any) -> None:
    await setup_org(client)
    bob, bob_member = await member_client(client, await make_client(), name="Bob", email="bob@example.com")
    bot_app, token = await new_app(client, ["messages.send", "ding.send"], name="告警")
    headers = {"x-acs-dingtalk-access-token": token}
    sent = check(
        await client.post(
            "/v1.0/robot/oToMessages/batchSend",
            json={"robotCode": bot_app["client_id"], "userIds": [bob_member["id"], "nobody"],
                  "msgKey": "sampleMarkdown", "msgParam": json.dumps({"title": "告警", "text": "**CPU** 95%"})},
            headers=headers,
        )
    )  # fmt: skip
    assert sent["invalidStaffIdList"] == ["nobody"] and sent["processQueryKey"]
    chats = check(await bob.get("/api/v1/conversations"))
    chats = chats["items"] if isinstance(chats, dict) else chats
    direct = [c for c in chats if c["kind"] == "direct"]
    assert len(direct) == 1
    items = check(await bob.get(f"/api/v1/conversations/{direct[0]['id']}/messages"))["items"]
    assert items[-1]["card"]["type"] == "markdown" and items[-1]["sender_id"] == bot_app["bot_user_id"]

    bad_key = await client.post(
        "/v1.0/robot/oToMessages/batchSend",
        json={"userIds": [bob_member["id"]], "msgKey": "nope", "msgParam": "{}"},
        headers=headers,
    )
    assert bad_key.status_code == 400 and bad_key.json()["code"] == "invalidParameter.msgKey.invalid"
    too_many = await client.post(
        "/v1.0/robot/oToMessages/batchSend",
        json={"userIds": [f"u{i}" for i in range(21)], "msgKey": "sampleText", "msgParam": "{}"},
        headers=headers,
    )
    assert too_many.status_code == 400
    no_token = await client.post("/v1.0/robot/ding/send", json={"receiverUserIdList": [bob_member["id"]]})
    assert no_token.status_code == 401

    ding = check(
        await client.post(
            "/v1.0/robot/ding/send",
            json={"robotCode": bot_app["client_id"], "remindType": 1, "receiverUserIdList": [bob_member["id"]],
                  "content": "机房温度过高,请确认"},
            headers=headers,
        )
    )  # fmt: skip
    assert ding["openDingId"] and ding["failedList"] == {}
    received = check(await bob.get("/api/v1/dings/received"))
    assert [d["body"] for d in received] == ["机房温度过高,请确认"]
    recalled = check(
        await client.post("/v1.0/robot/ding/recall", json={"openDingId": ding["openDingId"]}, headers=headers)
    )
    assert recalled == {"openDingId": ding["openDingId"]}
    detail = check(await bob.get(f"/api/v1/dings/{ding['openDingId']}"))
    assert detail["status"] == "recalled"
    _no_scope_app, no_scope = await new_app(client, ["messages.send"], name="无DING")
    refused = await client.post(
        "/v1.0/robot/ding/send",
        json={"remindType": 1, "receiverUserIdList": [bob_member["id"]], "content": "x"},
        headers={"x-acs-dingtalk-access-token": no_scope},
    )
    assert refused.status_code == 403


async def test_events_arrive_as_event_frames_over_stream_mode(
    client: httpx.AsyncClient, make_client: Any, app: FastAPI
) -> None:
    await setup_org(client)
    bob, bob_member = await member_client(client, await make_client(), name="Bob", email="bob@example.com")
    bot_app, _token = await new_app(client, ["contacts.read"], name="同步")
    sub = check(
        await client.put(
            f"/api/v1/apps/{bot_app['id']}/subscription", json={"mode": "stream", "event_types": ["member.*"]}
        )
    )
    assert sub["mode"] == "stream" and sub["url"] is None
    opened = check(
        await client.post(
            "/v1.0/gateway/connections/open",
            json={"clientId": bot_app["client_id"], "clientSecret": bot_app["client_secret"],
                  "subscriptions": [{"type": "EVENT", "topic": "*"}]},
        )
    )  # fmt: skip
    check(await client.patch(f"/api/v1/members/{bob_member['id']}", json={"title": "运维"}))
    await settle(app)
    await app.state.event_tap.work_pass()
    async with (
        live_server(app) as host,
        websockets.connect(f"ws://{host}/v1.0/gateway/stream?ticket={opened['ticket']}") as socket,
    ):
        frame = json.loads(await asyncio.wait_for(socket.recv(), 5))
        assert frame["type"] == "EVENT" and frame["headers"]["eventType"] == "member.updated"
        event = json.loads(frame["data"])
        assert event["type"] == "member.updated" and event["data"]["member"]["title"] == "运维"
        assert frame["headers"]["eventId"] == event["cursor"] and frame["headers"]["eventCorpId"] == event["org_id"]
        await socket.send(json.dumps({"code": 200, "headers": {"messageId": frame["headers"]["messageId"]},
                                      "message": "OK", "data": frame["data"]}))  # fmt: skip
        for _ in range(50):
            log = check(await client.get(f"/api/v1/apps/{bot_app['id']}/deliveries"))
            if log["counts"]["delivered"]:
                break
            await asyncio.sleep(0.05)
    assert log["counts"]["delivered"] == 1 and log["deliveries"][0]["channel"] == "stream"
    _ = bob
