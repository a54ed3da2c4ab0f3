"""Custom group robots, DingTalk-compatible: a real robot client from PyPI
(``DingtalkChatbot``, which signs requests itself) posts every message type into a group
through a live server; security settings, limits and bad input answer as DingTalk does."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import timedelta
from typing import Any
from urllib.parse import quote_plus

import httpx
from dingtalkchatbot.chatbot import ActionCard, CardItem, DingtalkChatbot, FeedLink
from fastapi import FastAPI

from hobnail.core import clock
from hobnail.domains.integrations import dingtalk
from tests.support.api import check, member_client, setup_org
from tests.support.live import live_server


async def group_with_robot(
    client: httpx.AsyncClient, make_client: Any, **security: Any
) -> tuple[dict[str, Any], dict[str, Any], tuple[httpx.AsyncClient, dict[str, Any]]]:
    bob = await member_client(client, await make_client(), name="Bob", email="bob@example.com", phone="13800138000")
    group = check(
        await client.post("/api/v1/conversations/groups", json={"name": "运维告警", "member_ids": [bob[1]["id"]]}), 201
    )
    robot = check(
        await client.post(f"/api/v1/conversations/{group['id']}/robots", json={"name": "告警机器人", **security}), 201
    )
    return group, robot, bob


async def messages(client: httpx.AsyncClient, conversation_id: str) -> list[dict[str, Any]]:
    return check(await client.get(f"/api/v1/conversations/{conversation_id}/messages"))["items"]  # type: ignore[no-any-return]


async def test_an_unmodified_dingtalk_client_posts_every_message_type(
    client: httpx.AsyncClient, make_client: Any, app: FastAPI
) -> None:
    await setup_org(client)
    group, robot, (bob, b) = await group_with_robot(client, make_client, sign=True)
    assert robot["secret"].startswith("SEC") and robot["webhook_path"].startswith("/robot/send?access_token=")
    async with live_server(app) as host:
        bot = DingtalkChatbot(f"http://{host}{robot['webhook_path']}", secret=robot["secret"], pc_slide=True)
        results = [
            await asyncio.to_thread(bot.send_text, msg="CPU 使用率 95% on web-1", at_mobiles=["13800138000"]),
            await asyncio.to_thread(
                bot.send_markdown, title="磁盘告警", text="#### 磁盘告警\n> /data 已用 **92%**\n\n[查看](https://grafana.example.com/d/1)",
                is_at_all=True,
            ),
            await asyncio.to_thread(
                bot.send_link, title="发布完成", text="v2.3.1 已上线", message_url="https://ci.example.com/job/42",
            ),
            await asyncio.to_thread(
                bot.send_action_card,
                ActionCard(title="审批提醒", text="### 有 3 个待处理告警", btns=[
                    CardItem(title="确认", url="https://alerts.example.com/ack"),
                    CardItem(title="忽略", url="https://alerts.example.com/ignore"),
                ], btn_orientation=1),
            ),
            await asyncio.to_thread(
                bot.send_feed_card,
                [FeedLink(title="周报 1", message_url="https://example.com/1", pic_url="https://example.com/1.png"),
                 FeedLink(title="周报 2", message_url="https://example.com/2", pic_url="https://example.com/2.png")],
            ),
        ]  # fmt: skip
    assert results == [{"errcode": 0, "errmsg": "ok"}] * 5
    seen = await messages(bob, group["id"])
    cards = [m["card"] for m in seen if m["kind"] == "card"]
    assert [c["type"] for c in cards] == ["text", "markdown", "link", "actionCard", "feedCard"]
    assert {c["robot"]["name"] for c in cards} == {"告警机器人"}
    text = next(m for m in seen if m["kind"] == "card")
    assert text["mentions"] == [b["id"]] and "95%" in text["body"]
    assert cards[1]["text"].startswith("#### 磁盘告警")
    assert cards[2]["link"]["url"] == "https://ci.example.com/job/42"  # the side-panel wrapper unwrapped
    assert [x["title"] for x in cards[3]["buttons"]] == ["确认", "忽略"] and cards[3]["button_orientation"] == "1"
    assert len(cards[4]["links"]) == 2
    markdown = next(m for m in seen if m.get("card", {}) and m["card"]["type"] == "markdown")
    assert markdown["mentions_all"] is True
    found = check(await bob.get("/api/v1/messages/search", params={"q": "磁盘告警"}))
    assert found["items"], "robot messages are searchable"


async def test_security_settings_answer_as_dingtalk_does(client: httpx.AsyncClient, make_client: Any) -> None:
    await setup_org(client)
    group, robot, _bob = await group_with_robot(
        client, make_client, sign=True, keywords=["告警"], ip_allow=["127.0.0.0/8"]
    )
    path, secret = robot["webhook_path"], robot["secret"]
    body = {"msgtype": "text", "text": {"content": "告警: disk full"}}

    async def send(query: str = "", payload: Any = body, *, token: str = path) -> dict[str, Any]:
        raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        response = await client.post(f"{token}{query}", content=raw, headers={"Content-Type": "application/json"})
        assert response.status_code == 200
        return response.json()  # type: ignore[no-any-return]

    def signed(stamp: int | None = None) -> str:
        timestamp = str(stamp if stamp is not None else int(time.time() * 1000))
        return f"&timestamp={timestamp}&sign={quote_plus(dingtalk.sign(secret, timestamp))}"

    assert await send(signed()) == {"errcode": 0, "errmsg": "ok"}
    assert (await send())["errcode"] == 310000  # unsigned
    assert (await send(signed() + "x"))["errmsg"] == "sign not match"
    stale = await send(signed(int(time.time() * 1000) - 2 * 3600 * 1000))
    assert stale["errcode"] == 310000 and "timestamp" in stale["errmsg"]
    no_keyword = await send(signed(), {"msgtype": "text", "text": {"content": "disk full"}})
    assert no_keyword == {"errcode": 310000, "errmsg": "keywords not in content"}
    assert (await send(signed(), token="/robot/send?access_token=nope"))["errcode"] == 300001
    assert (await send(signed(), b"not json"))["errcode"] == 40035
    assert (await send(signed(), {"msgtype": "video", "video": {}}))["errcode"] == 40044
    assert (
        await send(
            signed(), {"msgtype": "link", "link": {"title": "告警", "text": "x", "messageUrl": "javascript:alert(1)"}}
        )
    )["errcode"] == 40035
    assert (await send(signed(), {"msgtype": "text", "text": {"content": "告警" + "x" * 21_000}}))["errcode"] == 460101
    other = check(
        await client.post(
            f"/api/v1/conversations/{group['id']}/robots", json={"name": "外部", "ip_allow": ["10.1.0.0/16"]}
        ),
        201,
    )
    outside = await send(token=other["webhook_path"])
    assert outside["errcode"] == 310000 and "not in whitelist" in outside["errmsg"]


async def test_twenty_a_minute_then_a_ten_minute_pause(client: httpx.AsyncClient, make_client: Any) -> None:
    clock.freeze(clock.now())
    await setup_org(client)
    _group, robot, _bob = await group_with_robot(client, make_client, keywords=["告警"])
    body = {"msgtype": "text", "text": {"content": "告警"}}
    answers = [(await client.post(robot["webhook_path"], json=body)).json()["errcode"] for _ in range(21)]
    assert answers == [0] * 20 + [410100]
    clock.advance(timedelta(minutes=2))
    assert (await client.post(robot["webhook_path"], json=body)).json()["errcode"] == 410100  # still paused
    clock.advance(timedelta(minutes=9))
    assert (await client.post(robot["webhook_path"], json=body)).json()["errcode"] == 0


async def test_who_may_add_robots_and_see_their_webhooks(client: httpx.AsyncClient, make_client: Any) -> None:
    await setup_org(client)
    group, robot, (bob, _b) = await group_with_robot(client, make_client, keywords=["告警"])
    refused = await bob.post(f"/api/v1/conversations/{group['id']}/robots", json={"name": "x", "keywords": ["a"]})
    assert refused.status_code == 403
    listed = check(await bob.get(f"/api/v1/conversations/{group['id']}/robots"))
    assert listed[0]["name"] == "告警机器人" and listed[0]["webhook_path"] is None and listed[0]["secret"] is None
    unsafe = await client.post(f"/api/v1/conversations/{group['id']}/robots", json={"name": "x"})
    assert unsafe.status_code == 422 and unsafe.json()["error"]["code"] == "robot_security_required"
    check(await client.delete(f"/api/v1/conversations/{group['id']}/robots/{robot['id']}"), 204)
    gone = await client.post(robot["webhook_path"], json={"msgtype": "text", "text": {"content": "告警"}})
    assert gone.json()["errcode"] == 300001
    # The robot's bot user is in no department and no member list.
    members = check(await client.get("/api/v1/members"))
    assert all(m.get("name") != "告警机器人" for m in (members["items"] if isinstance(members, dict) else members))
