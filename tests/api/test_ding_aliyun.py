"""DING by SMS and voice through the Alibaba Cloud adapter, against a local stand-in that
checks the signed request as Alibaba documents it."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI

from hobnail.core import clock
from hobnail.core.config import Settings
from hobnail.domains.ding.providers.aliyun import percent_encode, sign
from tests.support.api import check, member_client, settle, setup_org
from tests.support.fake_providers import ALIYUN_KEY_ID, ALIYUN_SECRET, FakeGateway, aliyun_signature


@pytest.fixture
def settings(settings: Settings, gateway: tuple[FakeGateway, str]) -> Settings:
    _, url = gateway
    return dataclasses.replace(
        settings, sms_provider="aliyun", voice_provider="aliyun",
        aliyun_access_key_id=ALIYUN_KEY_ID, aliyun_access_key_secret=ALIYUN_SECRET,
        aliyun_sms_sign_name="示例科技", aliyun_sms_template_code="SMS_123", aliyun_voice_show_number="057188773344",
        aliyun_voice_tts_code="TTS_456",
        aliyun_sms_endpoint=f"{url}/aliyun-sms", aliyun_voice_endpoint=f"{url}/aliyun-voice",
    )  # fmt: skip


def test_signature_matches_the_documented_encoding() -> None:
    params = {"Action": "SendSms", "TemplateParam": '{"content":"a b*c~d"}', "SignName": "示例"}
    assert percent_encode("a b*c~d/") == "a%20b%2Ac~d%2F"
    assert sign(params, ALIYUN_SECRET) == aliyun_signature(params, ALIYUN_SECRET)


async def test_sms_and_voice_dings_go_out_signed(client: httpx.AsyncClient, app: FastAPI, make_client, gateway) -> None:  # type: ignore[no-untyped-def]
    fake, _ = gateway
    await setup_org(client)
    _, bob = await member_client(client, await make_client(), name="Bob", email="bob@example.com", phone="13900000009")
    for channel in ("sms", "voice"):
        body = {"body": "机房断电", "user_ids": [bob["id"]], "channel": channel, "policy": []}
        check(await client.post("/api/v1/dings", json=body), 201)
    await settle(app)
    sms, call = fake.requests
    assert (sms["Action"], sms["PhoneNumbers"], sms["SignName"], sms["TemplateCode"]) == (
        "SendSms",
        "13900000009",
        "示例科技",
        "SMS_123",
    )
    assert "机房断电" in json.loads(sms["TemplateParam"])["content"]
    assert (call["Action"], call["CalledNumber"], call["TtsCode"]) == ("SingleCallByTts", "13900000009", "TTS_456")
    assert fake.problems == []


async def test_alibaba_refusals_are_recorded(client: httpx.AsyncClient, app: FastAPI, make_client, gateway) -> None:  # type: ignore[no-untyped-def]
    fake, _ = gateway
    await setup_org(client)
    _, bob = await member_client(client, await make_client(), name="Bob", email="bob@example.com", phone="13900000009")
    fake.script = [{"code": "isv.BUSINESS_LIMIT_CONTROL"}]
    ding = check(
        await client.post("/api/v1/dings", json={"body": "x", "user_ids": [bob["id"]], "channel": "sms", "policy": []}),
        201,
    )
    await settle(app)
    attempt = check(await client.get(f"/api/v1/dings/{ding['id']}"))["recipients"][0]["attempts"][0]
    assert attempt["status"] == "queued" and "BUSINESS_LIMIT_CONTROL" in attempt["error"]  # flow control: retried later


async def test_voice_call_results_are_read_back(client: httpx.AsyncClient, app: FastAPI, make_client, gateway) -> None:  # type: ignore[no-untyped-def]
    """Unanswered (busy, refused…) → the SMS fallback at once; answered → nothing more;
    not yet reported → asked again a minute later."""
    fake, _ = gateway
    await setup_org(client)
    people = [
        await member_client(
            client, await make_client(), name=f"P{i}", email=f"p{i}@example.com", phone=f"1390000000{i}"
        )
        for i in range(2)
    ]
    policy = [{"after_minutes": 1, "channel": "voice", "fallback": "sms"}]
    ids = [p[1]["id"] for p in people]
    ding = check(await client.post("/api/v1/dings", json={"body": "值班", "user_ids": ids, "policy": policy}), 201)
    clock.advance(timedelta(minutes=1, seconds=1))
    await settle(app)
    placed = [r for r in fake.requests if r.get("Action") == "SingleCallByTts"]
    assert len(placed) == 2
    call_ids = {r["CalledNumber"]: f"SingleCallByTts-{fake.requests.index(r) + 1}" for r in placed}
    clock.advance(timedelta(minutes=2, seconds=1))
    await settle(app)  # nothing reported yet: pending, asked again later
    assert [r for r in fake.requests if r.get("Action") == "QueryCallDetailByCallId"]
    fake.aliyun_call_states[call_ids["13900000000"]] = "200000"  # answered
    fake.aliyun_call_states[call_ids["13900000001"]] = "200002"  # refused
    clock.advance(timedelta(minutes=1, seconds=1))
    await settle(app)
    timeline = {r["user"]["name"]: r for r in check(await client.get(f"/api/v1/dings/{ding['id']}"))["recipients"]}
    assert [(a["channel"], a["status"]) for a in timeline["P0"]["attempts"]] == [("voice", "answered")]
    assert [(a["channel"], a["reason"], a["status"]) for a in timeline["P1"]["attempts"]] == [
        ("voice", "step-1", "no_answer"),
        ("sms", "fallback", "sent"),
    ]
    assert fake.problems == []
