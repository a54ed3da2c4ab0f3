"""Stream mode with DingTalk's official SDK (``dingtalk-stream``), unmodified, in its own
process: it opens a connection with an app's credentials, receives a member's @mention
from a Hobnail group as a chatbot callback, and answers through the sessionWebhook; the
answer appears in the group. Plus tokens, tickets, redelivery and bad credentials."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import websockets
from fastapi import FastAPI

from hobnail.core import clock
from tests.support.api import check, member_client, settle, setup_org
from tests.support.live import live_server

BOT = Path(__file__).parent.parent / "support" / "stream_bot.py"


async def app_in_group(client: httpx.AsyncClient, make_client: Any) -> tuple[dict[str, Any], dict[str, Any], Any]:
    bob = await member_client(client, await make_client(), name="Bob 鲍勃", email="bob@example.com")
    group = check(
        await client.post("/api/v1/conversations/groups", json={"name": "值班群", "member_ids": [bob[1]["id"]]}), 201
    )
    app = check(await client.post("/api/v1/apps", json={"name": "值班助手", "scopes": ["chatbot"]}), 201)
    check(await client.post(f"/api/v1/conversations/{group['id']}/apps", json={"app_id": app["id"]}), 201)
    return group, app, bob


async def test_the_official_sdk_answers_an_at_mention_in_a_group(
    client: httpx.AsyncClient, make_client: Any, app: FastAPI
) -> None:
    await setup_org(client)
    group, bot_app, (bob, _b) = await app_in_group(client, make_client)
    async with live_server(app) as host:
        env = {**os.environ, "DINGTALK_OPENAPI_ENDPOINT": f"http://{host}", "PYTHONPATH": os.pathsep.join(sys.path)}
        process = subprocess.Popen(
            [sys.executable, str(BOT), bot_app["client_id"], bot_app["client_secret"]],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        try:
            for _ in range(100):  # wait until the SDK has connected
                if app.state.stream_gateway.connected_apps:
                    break
                await asyncio.sleep(0.1)
            assert app.state.stream_gateway.connected_apps == [bot_app["id"]], "the SDK did not connect"
            check(
                await bob.post(
                    f"/api/v1/conversations/{group['id']}/messages",
                    json={"body": "@值班助手 今天谁值班?", "mentions": [bot_app["bot_user_id"]]},
                ),
                201,
            )
            answer = None
            for _ in range(150):
                await settle(app)
                items = check(await bob.get(f"/api/v1/conversations/{group['id']}/messages"))["items"]
                answer = next((m for m in items if m["sender_id"] == bot_app["bot_user_id"]), None)
                if answer:
                    break
                await asyncio.sleep(0.1)
        finally:
            process.terminate()
            _, stderr = process.communicate(timeout=10)
    assert answer is not None, stderr.decode(errors="replace")[-2000:]
    assert answer["card"]["type"] == "text" and answer["card"]["text"].startswith("echo: @值班助手 今天谁值班?")
    assert "Bob 鲍勃" in answer["card"]["text"] and answer["card"]["robot"]["name"] == "值班助手"


async def test_tokens_tickets_and_bad_credentials(client: httpx.AsyncClient, make_client: Any, app: FastAPI) -> None:
    await setup_org(client)
    _group, bot_app, _bob = await app_in_group(client, make_client)
    token = check(
        await client.post(
            "/v1.0/oauth2/accessToken", json={"appKey": bot_app["client_id"], "appSecret": bot_app["client_secret"]}
        )
    )
    assert token["expireIn"] == 7200 and token["accessToken"]
    legacy = check(
        await client.get("/gettoken", params={"appkey": bot_app["client_id"], "appsecret": bot_app["client_secret"]})
    )
    assert legacy["errcode"] == 0 and legacy["expires_in"] == 7200
    wrong = await client.post("/v1.0/oauth2/accessToken", json={"appKey": bot_app["client_id"], "appSecret": "nope"})
    assert wrong.status_code == 400 and wrong.json()["code"] == "invalidClientIdOrSecret"
    assert check(await client.get("/gettoken", params={"appkey": "x", "appsecret": "y"}))["errcode"] == 40089
    rotated = check(await client.post(f"/api/v1/apps/{bot_app['id']}/secret"))
    stale = await client.post(
        "/v1.0/oauth2/accessToken", json={"appKey": bot_app["client_id"], "appSecret": bot_app["client_secret"]}
    )
    assert stale.status_code == 400
    opened = check(
        await client.post(
            "/v1.0/gateway/connections/open",
            json={"clientId": bot_app["client_id"], "clientSecret": rotated["client_secret"], "ua": "test",
                  "subscriptions": [{"type": "CALLBACK", "topic": "/v1.0/im/bot/messages/get"}]},
        )
    )  # fmt: skip
    assert opened["endpoint"].endswith("/v1.0/gateway/stream") and opened["ticket"]
    async with live_server(app) as host:
        url = f"ws://{host}/v1.0/gateway/stream?ticket={opened['ticket']}"
        async with websockets.connect(url):
            for _ in range(50):
                if app.state.stream_gateway.connected_apps:
                    break
                await asyncio.sleep(0.05)
            assert app.state.stream_gateway.connected_apps == [bot_app["id"]]
        try:
            async with websockets.connect(url) as again:  # a ticket works once
                await again.recv()
            raise AssertionError("a used ticket was accepted")
        except websockets.ConnectionClosed as closed:
            assert closed.rcvd is not None and closed.rcvd.code == 4401
    members = check(await client.get("/api/v1/members"))
    names = [m["name"] for m in (members["items"] if isinstance(members, dict) else members)]
    assert "值班助手" not in names  # the bot is no member of the organisation
    group_members = check(await client.get(f"/api/v1/conversations/{_group['id']}/members"))
    assert [m["bot"] for m in group_members if m["user_id"] == bot_app["bot_user_id"]] == [True]


async def test_a_frame_acknowledged_later_or_not_at_all_comes_again(
    client: httpx.AsyncClient, make_client: Any, app: FastAPI
) -> None:
    await setup_org(client)
    group, bot_app, (bob, _b) = await app_in_group(client, make_client)
    opened = check(
        await client.post(
            "/v1.0/gateway/connections/open",
            json={"clientId": bot_app["client_id"], "clientSecret": bot_app["client_secret"],
                  "subscriptions": [{"type": "CALLBACK", "topic": "/v1.0/im/bot/messages/get"}]},
        )
    )  # fmt: skip
    check(
        await bob.post(
            f"/api/v1/conversations/{group['id']}/messages",
            json={"body": "@值班助手 hi", "mentions": [bot_app["bot_user_id"]]},
        ),
        201,
    )
    check(await bob.post(f"/api/v1/conversations/{group['id']}/messages", json={"body": "nobody mentioned"}), 201)
    await settle(app)
    async with (
        live_server(app) as host,
        websockets.connect(f"ws://{host}/v1.0/gateway/stream?ticket={opened['ticket']}") as socket,
    ):
        frame = json.loads(await asyncio.wait_for(socket.recv(), 5))
        assert frame["type"] == "CALLBACK" and frame["headers"]["topic"] == "/v1.0/im/bot/messages/get"
        data = json.loads(frame["data"])
        assert data["text"]["content"] == "@值班助手 hi" and data["conversationType"] == "2"
        # On the host the app opened its connection at (here the test client's).
        assert data["sessionWebhook"].startswith("http://testserver/robot/sendBySession?session=")
        ack = {"code": 200, "headers": {"messageId": frame["headers"]["messageId"]}, "message": "",
               "data": json.dumps({"response": {"status": "LATER"}})}  # fmt: skip
        await socket.send(json.dumps(ack))
        await asyncio.sleep(0.5)
        clock.freeze(clock.now() + clock_offset(10))  # past the 5 s backoff
        again = json.loads(await asyncio.wait_for(socket.recv(), 5))
        assert again["headers"]["messageId"] == frame["headers"]["messageId"]
        ack["data"] = json.dumps({"response": "OK"})
        await socket.send(json.dumps(ack))
        await asyncio.sleep(0.5)
        clock.freeze(clock.now() + clock_offset(120))
        try:
            extra = await asyncio.wait_for(socket.recv(), 1)
            raise AssertionError(f"an acknowledged frame came again: {extra}")
        except TimeoutError:
            pass
        # The bot answers through its session webhook.
        reply = await client.post(
            data["sessionWebhook"].split("testserver", 1)[1],
            json={"msgtype": "markdown", "markdown": {"title": "值班", "text": "**张三** 值班"}},
        )
        assert reply.json() == {"errcode": 0, "errmsg": "ok"}
    items = check(await bob.get(f"/api/v1/conversations/{group['id']}/messages"))["items"]
    assert items[-1]["card"]["type"] == "markdown" and items[-1]["sender_id"] == bot_app["bot_user_id"]


def clock_offset(seconds: int) -> Any:
    from datetime import timedelta

    return timedelta(seconds=seconds)


async def test_the_bot_posts_to_its_groups_with_an_access_token(client: httpx.AsyncClient, make_client: Any) -> None:
    await setup_org(client)
    group, bot_app, (bob, _b) = await app_in_group(client, make_client)
    other = check(
        await client.post("/api/v1/conversations/groups", json={"name": "别的群", "member_ids": [_b["id"]]}), 201
    )
    token = check(
        await client.post(
            "/v1.0/oauth2/accessToken", json={"appKey": bot_app["client_id"], "appSecret": bot_app["client_secret"]}
        )
    )
    headers = {"x-acs-dingtalk-access-token": token["accessToken"]}
    body = {"robotCode": bot_app["client_id"], "openConversationId": group["id"], "msgKey": "sampleMarkdown",
            "msgParam": json.dumps({"title": "日报提醒", "text": "### 记得写日报\n截止 **20:00**"})}  # fmt: skip
    sent = await client.post("/v1.0/robot/groupMessages/send", json=body, headers=headers)
    assert sent.status_code == 200 and sent.json()["processQueryKey"]
    items = check(await bob.get(f"/api/v1/conversations/{group['id']}/messages"))["items"]
    assert items[-1]["card"]["type"] == "markdown" and items[-1]["card"]["title"] == "日报提醒"
    assert (await client.post("/v1.0/robot/groupMessages/send", json=body)).status_code == 401
    not_in = await client.post(
        "/v1.0/robot/groupMessages/send", json={**body, "openConversationId": other["id"]}, headers=headers
    )
    assert not_in.status_code == 400 and not_in.json()["code"] == "invalidParameter.robotCode.notInGroup"
    bad_key = await client.post(
        "/v1.0/robot/groupMessages/send", json={**body, "msgKey": "sampleVideo"}, headers=headers
    )
    assert bad_key.json()["code"] == "invalidParameter.msgKey.invalid"
    params = {"title": "审批", "text": "请处理", "actionTitle1": "同意", "actionURL1": "https://example.com/y",
              "actionTitle2": "拒绝", "actionURL2": "https://example.com/n"}  # fmt: skip
    buttons = {**body, "msgKey": "sampleActionCard2", "msgParam": json.dumps(params)}
    check(await client.post("/v1.0/robot/groupMessages/send", json=buttons, headers=headers))
    items = check(await bob.get(f"/api/v1/conversations/{group['id']}/messages"))["items"]
    assert [b["title"] for b in items[-1]["card"]["buttons"]] == ["同意", "拒绝"]
