from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from hobnail.core import clock
from hobnail.core.config import Settings
from hobnail.jobs.runner import JobRunner
from tests.support.api import add_department, check, events_after, head, member_client, send, settle, setup_org
from tests.support.fake_providers import TWILIO_SID, TWILIO_TOKEN, WEBHOOK_SECRET, FakeGateway


@pytest.fixture
def settings(settings: Settings, gateway: tuple[FakeGateway, str]) -> Settings:
    """SMS through the generic webhook, voice through Twilio: both fakes check every request."""
    _, url = gateway
    return dataclasses.replace(
        settings,
        sms_provider="webhook", webhook_provider_url=f"{url}/webhook", webhook_provider_secret=WEBHOOK_SECRET,
        voice_provider="twilio", twilio_account_sid=TWILIO_SID, twilio_auth_token=TWILIO_TOKEN,
        twilio_from="+15005550006", twilio_base_url=url,
    )  # fmt: skip


async def _people(client: httpx.AsyncClient, make_client, n: int = 2, **extra: Any):  # type: ignore[no-untyped-def]
    return [
        await member_client(
            client, await make_client(), name=f"P{i}", email=f"p{i}@example.com", phone=f"1390000000{i}", **extra
        )
        for i in range(n)
    ]


async def test_in_app_ding_alert_confirm_and_progress(client: httpx.AsyncClient, app: FastAPI, make_client) -> None:  # type: ignore[no-untyped-def]
    owner = await setup_org(client)
    (alice, a), (bob, b) = await _people(client, make_client)
    cursor = await head(alice, app)
    ding = check(
        await client.post(
            "/api/v1/dings", json={"body": "服务器宕机，请立即处理", "user_ids": [a["id"], b["id"]], "policy": []}
        ),
        201,
    )
    assert (ding["confirmed"], ding["total"], ding["status"]) == (0, 2, "sent")
    alerts, _ = await events_after(alice, app, cursor)
    assert [e["type"] for e in alerts] == ["ding.received"]
    assert alerts[0]["data"]["ding"]["body"] == "服务器宕机，请立即处理"
    received = check(await alice.get("/api/v1/dings/received"))
    assert received[0]["id"] == ding["id"] and received[0]["confirmed_at"] is None

    owner_cursor = await head(client, app)
    check(await alice.post(f"/api/v1/dings/{ding['id']}/delivered"), 204)
    confirmed = check(await alice.post(f"/api/v1/dings/{ding['id']}/confirm"))
    assert confirmed["confirmed_at"]
    again = check(await alice.post(f"/api/v1/dings/{ding['id']}/confirm"))  # idempotent
    assert again["confirmed_at"] == confirmed["confirmed_at"]
    progress, _ = await events_after(client, app, owner_cursor)
    assert [(e["data"]["confirmed"], e["data"]["total"]) for e in progress if e["type"] == "ding.progress"][-1] == (
        1,
        2,
    )
    mine, _ = await events_after(alice, app, cursor)
    assert "ding.confirmed" in [e["type"] for e in mine]
    detail = check(await client.get(f"/api/v1/dings/{ding['id']}"))
    by_name = {r["user"]["name"]: r for r in detail["recipients"]}
    assert by_name["P0"]["confirmed_at"] and by_name["P0"]["delivered_at"] and by_name["P1"]["confirmed_at"] is None
    sent = check(await client.get("/api/v1/dings/sent"))
    assert (sent[0]["confirmed"], sent[0]["total"]) == (1, 2)
    # A recipient's view has no one else's state.
    assert check(await bob.get(f"/api/v1/dings/{ding['id']}"))["recipients"] is None
    reply = check(await bob.post(f"/api/v1/dings/{ding['id']}/replies", json={"body": "在路上"}), 201)
    assert reply["body"] == "在路上"
    assert check(await client.get(f"/api/v1/dings/{ding['id']}"))["replies"][0]["body"] == "在路上"
    # Someone else: not theirs to see or confirm.
    carol, _ = await member_client(client, await make_client(), name="Carol", email="carol@example.com")
    assert check(await carol.post(f"/api/v1/dings/{ding['id']}/confirm"), 404)["error"]["code"] == "ding_not_found"
    sender_confirms = await client.post(f"/api/v1/dings/{ding['id']}/confirm")
    assert check(sender_confirms, 403)["error"]["code"] == "not_a_recipient"
    assert owner["user"]["id"] not in {r["user"]["id"] for r in detail["recipients"]}


async def test_escalation_only_reaches_the_unconfirmed_and_stops_when_all_confirm(
    client: httpx.AsyncClient,
    app: FastAPI,
    make_client,
    gateway,  # type: ignore[no-untyped-def]
) -> None:
    fake, _ = gateway
    await setup_org(client)
    (alice, a), (bob, b) = await _people(client, make_client)
    policy = [{"after_minutes": 5, "channel": "sms"}, {"after_minutes": 15, "channel": "voice", "fallback": "sms"},
              {"after_minutes": 30, "channel": "sms"}]  # fmt: skip
    ding = check(
        await client.post("/api/v1/dings", json={"body": "Incident", "user_ids": [a["id"], b["id"]], "policy": policy}),
        201,
    )
    await settle(app)
    assert fake.requests == []  # in-app only so far
    await alice.post(f"/api/v1/dings/{ding['id']}/confirm")
    clock.advance(timedelta(minutes=5, seconds=1))
    await settle(app)
    assert [(r["type"], r["to"]) for r in fake.requests] == [("sms", "+8613900000001")]
    assert fake.requests[0]["key"] and "Incident" in fake.requests[0]["text"]
    clock.advance(timedelta(minutes=10))
    await settle(app)
    call = fake.requests[-1]
    assert (call["provider"], call["resource"], call["To"], call["From"]) == (
        "twilio",
        "Calls",
        "+8613900000001",
        "+15005550006",
    )
    assert "<Say" in call["Twiml"] and "Incident" in call["Twiml"]
    fake.call_status = "no-answer"
    clock.advance(timedelta(minutes=2, seconds=1))
    await settle(app)
    assert fake.requests[-1]["type"] == "sms"  # the fallback after the unanswered call
    timeline = {r["user"]["name"]: r for r in check(await client.get(f"/api/v1/dings/{ding['id']}"))["recipients"]}
    statuses = [(t["channel"], t["reason"], t["status"]) for t in timeline["P1"]["attempts"]]
    assert statuses == [("sms", "step-1", "sent"), ("voice", "step-2", "no_answer"), ("sms", "fallback", "sent")]
    assert timeline["P0"]["attempts"] == []
    await bob.post(f"/api/v1/dings/{ding['id']}/confirm")
    sent_before = len(fake.requests)
    clock.advance(timedelta(hours=1))
    await settle(app)
    assert len(fake.requests) == sent_before  # all confirmed: the 30-minute step was cancelled
    assert fake.problems == []


async def test_escalation_survives_a_restart_and_two_nodes_run_a_step_once(
    client: httpx.AsyncClient,
    app: FastAPI,
    make_client,
    settings: Settings,
    gateway,  # type: ignore[no-untyped-def]
) -> None:
    fake, _ = gateway
    await setup_org(client)
    people = await _people(client, make_client, 3)
    ids = [info["id"] for _, info in people]
    body = {"body": "Restart", "user_ids": ids, "policy": [{"after_minutes": 5, "channel": "sms"}]}
    check(await client.post("/api/v1/dings", json=body), 201)
    await settle(app)
    # "Restart": a new application on the same database knows nothing but what is stored.
    from hobnail.api.app import create_app

    restarted = create_app(settings)
    async with restarted.router.lifespan_context(restarted):
        clock.advance(timedelta(minutes=6))
        # Two nodes race for the due step and its deliveries.
        nodes = [JobRunner(restarted.state.sessionmaker), JobRunner(restarted.state.sessionmaker)]

        async def drain(runner: JobRunner) -> None:
            while await runner.run_due(limit=2):
                pass

        for _ in range(3):
            await asyncio.gather(*(drain(n) for n in nodes))
            await restarted.state.relay.relay_once()
    assert sorted(r["to"] for r in fake.requests) == ["+8613900000000", "+8613900000001", "+8613900000002"]


async def test_quiet_hours_defer_sms_unless_critical(
    client: httpx.AsyncClient, app: FastAPI, make_client, gateway
) -> None:  # type: ignore[no-untyped-def]
    fake, _ = gateway
    await setup_org(client)
    [(bob, b)] = await _people(client, make_client, 1)
    check(await bob.patch("/api/v1/me", json={"quiet_hours_start": "22:00", "quiet_hours_end": "07:30"}))
    bad = await bob.patch("/api/v1/me", json={"quiet_hours_start": "25:00"})
    assert check(bad, 422)["error"]["code"] == "invalid_time"
    clock.freeze(datetime(2026, 11, 27, 15, 0, tzinfo=UTC))  # 23:00 in Shanghai
    normal = check(
        await client.post(
            "/api/v1/dings", json={"body": "night", "user_ids": [b["id"]], "channel": "sms", "policy": []}
        ),
        201,
    )
    critical = check(await client.post("/api/v1/dings", json={"body": "fire", "user_ids": [b["id"]], "channel": "sms",
                                                              "policy": [], "critical": True}), 201)  # fmt: skip
    await settle(app)
    assert [r["text"].split(": ", 1)[1] for r in fake.requests] == ["fire"]
    waiting = check(await client.get(f"/api/v1/dings/{normal['id']}"))["recipients"][0]["attempts"][0]
    assert waiting["status"] == "deferred" and waiting["due_at"] == "2026-11-27T23:30:00Z"  # 07:30 Shanghai
    clock.advance(timedelta(hours=8, minutes=31))
    await settle(app)
    assert [r["text"].split(": ", 1)[1] for r in fake.requests] == ["fire", "night"]
    assert critical["critical"]


async def test_remind_recall_and_bad_input(client: httpx.AsyncClient, app: FastAPI, make_client, gateway) -> None:  # type: ignore[no-untyped-def]
    fake, _ = gateway
    await setup_org(client)
    (alice, a), (bob, b) = await _people(client, make_client)
    ding = check(
        await client.post("/api/v1/dings", json={"body": "Remind me", "user_ids": [a["id"], b["id"]], "policy": []}),
        201,
    )
    too_soon = await client.post(f"/api/v1/dings/{ding['id']}/remind", json={"channel": "sms"})
    assert check(too_soon, 429)["error"]["code"] == "remind_too_soon" and int(too_soon.headers["Retry-After"]) > 0
    clock.advance(timedelta(minutes=5))
    await alice.post(f"/api/v1/dings/{ding['id']}/confirm")
    reminded = check(await client.post(f"/api/v1/dings/{ding['id']}/remind", json={"channel": "sms"}))
    await settle(app)
    assert [r["to"] for r in fake.requests] == ["+8613900000001"]
    assert reminded["next_remind_at"]
    not_sender = await alice.post(f"/api/v1/dings/{ding['id']}/recall")
    assert check(not_sender, 403)["error"]["code"] == "not_the_sender"
    check(await client.post(f"/api/v1/dings/{ding['id']}/recall"), 204)
    assert check(await bob.get(f"/api/v1/dings/{ding['id']}"))["status"] == "recalled"
    assert check(await bob.post(f"/api/v1/dings/{ding['id']}/confirm"), 409)["error"]["code"] == "ding_recalled"

    async def refused(body: dict[str, Any], status: int, code: str, who: httpx.AsyncClient = client) -> None:
        response = await who.post("/api/v1/dings", json={"body": "x", "policy": [], **body})
        assert check(response, status)["error"]["code"] == code, response.text

    await refused({"user_ids": []}, 422, "no_recipients")
    await refused({"user_ids": ["stranger"]}, 422, "member_not_found")
    await refused({"user_ids": [a["id"]], "scheduled_at": "2020-01-01T00:00:00Z"}, 422, "schedule_in_past")
    await refused({"user_ids": [a["id"]], "channel": "email"}, 422, "channel_unavailable")
    await refused(
        {
            "user_ids": [a["id"]],
            "policy": [{"after_minutes": 5, "channel": "sms"}, {"after_minutes": 2, "channel": "sms"}],
        },
        422,
        "invalid_policy",
    )
    await refused({"user_ids": [a["id"]], "body": "   "}, 422, "empty_ding")
    check(
        await client.patch("/api/v1/ding/settings", json={"caps": {"in_app": 200, "sms": 1, "voice": 1, "email": 200}})
    )
    await refused({"user_ids": [a["id"], b["id"]], "channel": "sms"}, 422, "too_many_recipients")
    # Members may DING only their departments' people.
    dept = await add_department(client, "研发部")
    await client.patch(f"/api/v1/members/{a['id']}", json={"department_ids": [dept["id"]]})
    await refused({"user_ids": [b["id"]]}, 403, "ding_scope", who=alice)
    check(await client.patch(f"/api/v1/members/{b['id']}", json={"department_ids": [dept["id"]]}))
    check(await alice.post("/api/v1/dings", json={"body": "同部门", "user_ids": [b["id"]], "policy": []}), 201)
    check(await client.patch("/api/v1/ding/settings", json={"monthly_quota": {"sms": 1, "voice": 0}}))
    await refused({"user_ids": [b["id"]], "channel": "sms"}, 409, "quota_exhausted")
    usage = check(await client.get("/api/v1/ding/usage"))
    assert usage["sms"] == {"used": 1, "quota": 1}
    assert check(await alice.get("/api/v1/ding/usage"), 403)["error"]["code"] == "admin_required"


async def test_scheduled_department_ding_and_ding_this_message(
    client: httpx.AsyncClient, app: FastAPI, make_client
) -> None:  # type: ignore[no-untyped-def]
    await setup_org(client)
    dept = await add_department(client, "值班组")
    (alice, _a), (_bob, b) = await _people(client, make_client, department_ids=[dept["id"]])
    at = (clock.now() + timedelta(minutes=10)).replace(microsecond=0)
    body = {"body": "交班", "department_ids": [dept["id"]], "scheduled_at": at.isoformat(), "policy": []}
    ding = check(await client.post("/api/v1/dings", json=body), 201)
    assert ding["status"] == "scheduled" and ding["total"] == 2
    assert check(await alice.get("/api/v1/dings/received")) == []
    assert check(await alice.get(f"/api/v1/dings/{ding['id']}"), 404)["error"]["code"] == "ding_not_found"
    clock.advance(timedelta(minutes=11))
    await settle(app)
    assert check(await alice.get("/api/v1/dings/received"))[0]["id"] == ding["id"]
    chat = check(await client.post("/api/v1/conversations/direct", json={"user_id": b["id"]}))
    message = await send(client, chat["id"], "明早九点开会")
    from_message = check(
        await client.post(
            "/api/v1/dings", json={"source_message_id": message["id"], "user_ids": [b["id"]], "policy": []}
        ),
        201,
    )
    assert from_message["body"] == "明早九点开会" and from_message["source_message_id"] == message["id"]
    channels = check(await client.get("/api/v1/dings/channels"))
    assert channels["sms"]["available"] and not channels["email"]["available"] and channels["email"]["reason"]


async def test_provider_errors_are_recorded_and_retried(
    client: httpx.AsyncClient, app: FastAPI, make_client, gateway
) -> None:  # type: ignore[no-untyped-def]
    fake, _ = gateway
    await setup_org(client)
    [(bob, b)] = await _people(client, make_client, 1)
    fake.script = [{"status": 503}]
    ding = check(
        await client.post(
            "/api/v1/dings", json={"body": "retry", "user_ids": [b["id"]], "channel": "sms", "policy": []}
        ),
        201,
    )
    await settle(app)
    attempt = check(await client.get(f"/api/v1/dings/{ding['id']}"))["recipients"][0]["attempts"][0]
    assert attempt["status"] == "queued" and "503" in attempt["error"]
    clock.advance(timedelta(minutes=3))
    await settle(app)
    attempt = check(await client.get(f"/api/v1/dings/{ding['id']}"))["recipients"][0]["attempts"][0]
    assert attempt["status"] == "sent" and attempt["error"] is None
    assert len(fake.requests) == 2 and fake.requests[0]["key"] == fake.requests[1]["key"]  # same idempotency key
    # Twilio refuses a number it cannot call: a final failure, recorded with Twilio's words.
    from hobnail.models import User

    async with app.state.sessionmaker() as session:
        user = await session.get(User, b["id"])
        assert user is not None
        user.phone = "13900000001"  # stored without a country code (an old import)
        await session.commit()
    call = check(
        await client.post(
            "/api/v1/dings", json={"body": "call", "user_ids": [b["id"]], "channel": "voice", "policy": []}
        ),
        201,
    )
    await settle(app)
    failed = check(await client.get(f"/api/v1/dings/{call['id']}"))["recipients"][0]["attempts"][0]
    assert failed["status"] == "failed" and "21211" in failed["error"]
    assert check(await bob.get("/api/v1/dings/received"))[0]["id"] == call["id"]  # in-app still arrived
