"""DING by e-mail through a real SMTP server (aiosmtpd) started by the test."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from email import message_from_bytes, policy
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from fastapi import FastAPI

from hobnail.core.config import Settings
from tests.support.api import check, member_client, settle, setup_org
from tests.support.live import free_port


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def settings(settings: Settings, smtp: tuple[Inbox, int]) -> Settings:
    return dataclasses.replace(
        settings, smtp_host="127.0.0.1", smtp_port=smtp[1], smtp_security="none", smtp_from="ding@acme.example"
    )


async def test_a_ding_by_email_arrives_over_smtp(client: httpx.AsyncClient, app: FastAPI, make_client, smtp) -> None:  # type: ignore[no-untyped-def]
    inbox, _ = smtp
    await setup_org(client)
    _, bob = await member_client(client, await make_client(), name="Bob", email="bob@example.com")
    ding = check(
        await client.post(
            "/api/v1/dings", json={"body": "请确认收到", "user_ids": [bob["id"]], "channel": "email", "policy": []}
        ),
        201,
    )
    await settle(app)
    [(recipients, message)] = inbox.messages
    assert recipients == ["bob@example.com"]
    assert message["From"] == "ding@acme.example" and "请确认收到" in message["Subject"]
    assert "请确认收到" in message.get_content()
    attempt = check(await client.get(f"/api/v1/dings/{ding['id']}"))["recipients"][0]["attempts"][0]
    assert (attempt["channel"], attempt["status"], attempt["provider"]) == ("email", "sent", "smtp")
