"""Plain async helpers that build state through the HTTP API, as a client would."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI

OWNER_EMAIL = "owner@example.com"
OWNER_PASSWORD = "correct horse battery"


def check(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.status_code} {response.text}"
    return response.json() if response.content else None


def use_session(client: httpx.AsyncClient, session_body: dict[str, Any]) -> None:
    client.headers["X-CSRF-Token"] = session_body["csrf_token"]


async def setup_org(
    client: httpx.AsyncClient, *, org_name: str = "Acme 公司", email: str = OWNER_EMAIL, password: str = OWNER_PASSWORD
) -> dict[str, Any]:
    body = check(
        await client.post(
            "/api/v1/setup",
            json={
                "org_name": org_name,
                "timezone": "Asia/Shanghai",
                "language": "zh-CN",
                "owner_name": "Owner 老板",
                "email": email,
                "password": password,
            },
        ),
        201,
    )
    use_session(client, body)
    return body


async def login(client: httpx.AsyncClient, identifier: str, password: str) -> dict[str, Any]:
    body = check(await client.post("/api/v1/auth/login", json={"identifier": identifier, "password": password}))
    use_session(client, body)
    return body


async def add_member(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    fields.setdefault("name", "张三")
    if "email" not in fields and "phone" not in fields:
        fields["email"] = f"user{abs(hash(fields['name'])) % 10**8}@example.com"
    return check(await client.post("/api/v1/members", json=fields), 201)  # type: ignore[no-any-return]


async def add_department(client: httpx.AsyncClient, name: str, parent_id: str | None = None) -> dict[str, Any]:
    return check(await client.post("/api/v1/departments", json={"name": name, "parent_id": parent_id}), 201)  # type: ignore[no-any-return]


async def member_client(
    app_client: httpx.AsyncClient, fresh: httpx.AsyncClient, **fields: Any
) -> tuple[httpx.AsyncClient, dict[str, Any]]:
    """Have ``app_client`` (an admin) add a member, then sign that member in on ``fresh``."""
    fields.setdefault("password", "member password 1")
    member = await add_member(app_client, **fields)
    await login(fresh, fields.get("email") or fields["phone"], fields["password"])
    return fresh, member


async def drain_events(app: FastAPI) -> None:
    """Let the relay number everything committed so far (it also runs in the background)."""
    while await app.state.relay.relay_once():
        pass


async def events_after(client: httpx.AsyncClient, app: FastAPI, cursor: str) -> tuple[list[dict[str, Any]], str]:
    await drain_events(app)
    body = check(await client.get("/api/v1/events", params={"after": cursor, "limit": 1000}))
    return body["events"], body["cursor"]


async def head(client: httpx.AsyncClient, app: FastAPI) -> str:
    await drain_events(app)
    return str(check(await client.get("/api/v1/events"))["cursor"])


async def settle(app: FastAPI) -> None:
    """Number all events and run every job they trigger (subscribers), until quiet."""
    while True:
        numbered = 0
        while count := await app.state.relay.relay_once():
            numbered += count
        ran = await app.state.runner.run_due(limit=100)
        if not numbered and not ran:
            return


async def group_with(client: httpx.AsyncClient, name: str, member_ids: list[str]) -> dict[str, Any]:
    return check(await client.post("/api/v1/conversations/groups", json={"name": name, "member_ids": member_ids}), 201)  # type: ignore[no-any-return]


async def send(client: httpx.AsyncClient, conversation_id: str, body: str, **extra: Any) -> dict[str, Any]:
    response = await client.post(f"/api/v1/conversations/{conversation_id}/messages", json={"body": body, **extra})
    return check(response, 201)  # type: ignore[no-any-return]


async def chat_view(client: httpx.AsyncClient, conversation_id: str) -> dict[str, Any]:
    return check(await client.get(f"/api/v1/conversations/{conversation_id}"))  # type: ignore[no-any-return]
