"""Apps' event subscriptions over HTTP: URL verification, signatures checked by the
receiver's own code, which events an app may see, the retry schedule on a controlled
clock, the delivery log, redelivery, failed events pulled with the app's token, and a
receiver that hangs delaying nobody else."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from hobnail.core import clock
from hobnail.domains.integrations import deliveries, webhooks
from tests.support.api import check, member_client, send, settle, setup_org
from tests.support.webhook_receiver import Receiver, webhook_receiver


async def app_with_bot_in_group(
    client: httpx.AsyncClient, make_client: Any, scopes: list[str], name: str = "监控", email: str = "bob@example.com"
) -> tuple[dict[str, Any], dict[str, Any], httpx.AsyncClient, dict[str, Any]]:
    bob, bob_member = await member_client(client, await make_client(), name="Bob", email=email)
    group = check(
        await client.post("/api/v1/conversations/groups", json={"name": f"{name}群", "member_ids": [bob_member["id"]]}),
        201,
    )
    app = check(await client.post("/api/v1/apps", json={"name": name, "scopes": scopes}), 201)
    check(await client.post(f"/api/v1/conversations/{group['id']}/apps", json={"app_id": app["id"]}), 201)
    return app, group, bob, bob_member


async def subscribe(client: httpx.AsyncClient, app_id: str, receiver: Receiver, types: list[str]) -> dict[str, Any]:
    return check(  # type: ignore[no-any-return]
        await client.put(
            f"/api/v1/apps/{app_id}/subscription", json={"mode": "http", "url": receiver.url, "event_types": types}
        )
    )


async def deliver(app: FastAPI, sender: webhooks.WebhookSender | None = None) -> None:
    """Number events, run subscribers, tap them into deliveries and send what is due."""
    await settle(app)
    await app.state.event_tap.work_pass()
    sender = sender or app.state.webhook_sender
    await sender.work_pass()
    await sender.drain()


async def test_signed_deliveries_of_what_the_app_may_see(
    client: httpx.AsyncClient, make_client: Any, app: FastAPI
) -> None:
    await setup_org(client)
    bot_app, group, bob, _bob_member = await app_with_bot_in_group(client, make_client, ["messages.read"])
    other = check(await client.post("/api/v1/conversations/groups", json={"name": "无机器人", "member_ids": []}), 201)
    with webhook_receiver() as receiver:
        # Scopes decide which types an app may ask for.
        refused = await client.put(
            f"/api/v1/apps/{bot_app['id']}/subscription",
            json={"url": receiver.url, "event_types": ["attendance.*"]},
        )
        assert refused.status_code == 422 and refused.json()["error"]["code"] == "scope_missing"
        bad = await client.put(
            f"/api/v1/apps/{bot_app['id']}/subscription", json={"url": receiver.url, "event_types": ["nonsense"]}
        )
        assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_event_type"
        receiver.echo_challenge = False
        unverified = await client.put(
            f"/api/v1/apps/{bot_app['id']}/subscription", json={"url": receiver.url, "event_types": ["message.*"]}
        )
        assert unverified.status_code == 422 and unverified.json()["error"]["code"] == "callback_verification_failed"
        assert (await client.get(f"/api/v1/apps/{bot_app['id']}/subscription")).status_code == 404
        receiver.echo_challenge = True

        sub = await subscribe(client, bot_app["id"], receiver, ["message.sent"])
        challenge = receiver.received[-1]
        assert challenge.headers["x-hobnail-event"] == "url_verification"
        assert challenge.signature_valid(sub["signing_secret"]) and sub["verified_at"]

        seen = await send(bob, group["id"], "磁盘使用率 91%")
        await send(client, other["id"], "the bot is not in this chat")
        check(await bob.patch(f"/api/v1/messages/{seen['id']}", json={"body": "磁盘使用率 92%"}))  # not subscribed
        await deliver(app)

    events = receiver.events()
    assert [e.json()["type"] for e in events] == ["message.sent"]
    got = events[0]
    assert got.signature_valid(sub["signing_secret"]) and not got.signature_valid("whsec_wrong")
    assert got.headers["content-type"] == "application/json"
    body = got.json()
    assert body["data"]["message"]["id"] == seen["id"] and body["org_id"] == bot_app.get("org_id", body["org_id"])
    # The same wire form as the user event stream.
    stream = check(await client.get("/api/v1/events", params={"after": int(body["cursor"]) - 1, "limit": 1}))
    assert stream["events"][0] == body

    log = check(await client.get(f"/api/v1/apps/{bot_app['id']}/deliveries"))
    assert log["counts"]["delivered"] == 1 and len(log["deliveries"]) == 1
    entry = log["deliveries"][0]
    assert entry["status"] == "delivered" and entry["last_status_code"] == 200 and entry["last_latency_ms"] >= 0
    assert entry["id"] == got.headers["x-hobnail-delivery"]
    detail = check(await client.get(f"/api/v1/apps/{bot_app['id']}/deliveries/{entry['id']}"))
    assert [a["status_code"] for a in detail["attempt_log"]] == [200] and detail["event"] == body
    # Members cannot read an app's log.
    assert (await bob.get(f"/api/v1/apps/{bot_app['id']}/deliveries")).status_code == 403


async def test_failures_are_retried_for_a_day_then_pulled_or_redelivered(
    client: httpx.AsyncClient, make_client: Any, app: FastAPI
) -> None:
    await setup_org(client)
    bot_app, group, bob, _ = await app_with_bot_in_group(client, make_client, ["messages.read"])
    start = clock.now()
    clock.freeze(start)
    with webhook_receiver() as receiver:
        await subscribe(client, bot_app["id"], receiver, ["message.*"])
        receiver.status = 500
        message = await send(bob, group["id"], "服务器宕机")
        await deliver(app)
        sender = app.state.webhook_sender
        assert len(receiver.events()) == 1
        for attempt, delay in enumerate(webhooks.RETRY_DELAYS, start=2):
            clock.advance(delay - timedelta(seconds=1))
            await sender.work_pass()
            await sender.drain()
            assert len(receiver.events()) == attempt - 1, f"attempt {attempt} came early"
            clock.advance(timedelta(seconds=1))
            await sender.work_pass()
            await sender.drain()
            assert len(receiver.events()) == attempt
        elapsed = clock.now() - start
        assert timedelta(hours=23) < elapsed < timedelta(hours=25)
        clock.advance(timedelta(days=2))
        await sender.work_pass()
        await sender.drain()
        assert len(receiver.events()) == webhooks.MAX_ATTEMPTS  # then it stops
        ids = {e.headers["x-hobnail-delivery"] for e in receiver.events()}
        assert len(ids) == 1  # the same delivery id every time: receivers drop duplicates

        log = check(await client.get(f"/api/v1/apps/{bot_app['id']}/deliveries", params={"status": "failed"}))
        assert log["counts"]["failed"] == 1
        failed = log["deliveries"][0]
        assert failed["attempts"] == webhooks.MAX_ATTEMPTS and failed["last_status_code"] == 500
        detail = check(await client.get(f"/api/v1/apps/{bot_app['id']}/deliveries/{failed['id']}"))
        assert [a["status_code"] for a in detail["attempt_log"]] == [500] * webhooks.MAX_ATTEMPTS

        # The app pulls what it missed with its own token, and acknowledges it.
        token = check(
            await client.post(
                "/v1.0/oauth2/accessToken",
                json={"appKey": bot_app["client_id"], "appSecret": bot_app["client_secret"]},
            )
        )["accessToken"]
        as_app = {"x-acs-dingtalk-access-token": token}
        pulled = check(await client.get("/api/v1/app/failed-events", headers=as_app))
        assert [e["event"]["data"]["message"]["id"] for e in pulled["events"]] == [message["id"]]
        people = await client.get("/api/v1/app/failed-events")
        assert people.status_code == 403 and people.json()["error"]["code"] == "app_token_required"
        acked = check(
            await client.post(
                "/api/v1/app/failed-events/ack", json={"delivery_ids": [failed["id"], "nope"]}, headers=as_app
            )
        )
        assert acked == {"acknowledged": 1}
        assert check(await client.get("/api/v1/app/failed-events", headers=as_app))["events"] == []

        # The admin sends it again, and this time the receiver is up.
        receiver.status = 200
        check(await client.post(f"/api/v1/apps/{bot_app['id']}/deliveries/{failed['id']}/redeliver"), 202)
        await sender.work_pass()
        await sender.drain()
    again = check(await client.get(f"/api/v1/apps/{bot_app['id']}/deliveries/{failed['id']}"))
    assert again["status"] == "delivered" and again["attempt_log"][-1]["status_code"] == 200
    # The log keeps what arrived for a week.
    for days, left in ((6, 1), (2, 0)):
        clock.advance(timedelta(days=days))
        async with app.state.sessionmaker() as session:
            await deliveries.prune(session, {})
            await session.commit()
        assert len(check(await client.get(f"/api/v1/apps/{bot_app['id']}/deliveries"))["deliveries"]) == left
    missing = await client.post(f"/api/v1/apps/{bot_app['id']}/deliveries/01HZZZZZZZZZZZZZZZZZZZZZZZ/redeliver")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "delivery_not_found"


async def test_a_receiver_that_hangs_delays_nobody_else(
    client: httpx.AsyncClient, make_client: Any, app: FastAPI
) -> None:
    await setup_org(client)
    slow_app, slow_group, bob, _ = await app_with_bot_in_group(client, make_client, ["messages.read"], name="慢")
    fast_app, fast_group, _c, _ = await app_with_bot_in_group(
        client, make_client, ["messages.read"], name="快", email="carol@example.com"
    )
    sender = webhooks.WebhookSender(app.state.sessionmaker, timeout_seconds=20)
    try:
        with webhook_receiver() as slow, webhook_receiver() as fast:
            await subscribe(client, slow_app["id"], slow, ["message.sent"])
            await subscribe(client, fast_app["id"], fast, ["message.sent"])
            slow.hold = threading.Event()
            for n in range(6):
                await send(bob, slow_group["id"], f"slow {n}")
            await send(client, fast_group["id"], "fast")
            await settle(app)
            await app.state.event_tap.work_pass()
            await sender.work_pass()  # returns at once: requests run in their own tasks
            for _ in range(100):
                if fast.events():
                    break
                await asyncio.sleep(0.05)
            # The fast app got its event while every slow request still hangs, and the slow
            # app holds at most its share of connections.
            assert [e.json()["data"]["message"]["body"] for e in fast.events()] == ["fast"]
            assert sender.in_flight(slow_app["id"]) == webhooks.PER_APP_IN_FLIGHT
            # Users' own event stream goes on meanwhile.
            sent = await send(client, fast_group["id"], "users still chat")
            await settle(app)
            latest = check(await client.get("/api/v1/events", params={"after": 0, "limit": 1000}))["events"]
            assert any(e["data"].get("message", {}).get("id") == sent["id"] for e in latest)
            slow.hold.set()
            await sender.drain()
            for _ in range(3):
                await sender.work_pass()
                await sender.drain()
            assert len(slow.events()) == 6
    finally:
        await sender.stop()
