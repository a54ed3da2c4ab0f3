"""Two `hobnail serve` processes share one PostgreSQL and one Redis: an event caused on
node A reaches a client on node B, and a client that drops and resumes misses nothing."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import orjson
import pytest
import sqlalchemy as sa
import websockets

from hobnail.db.engine import create_engine
from tests.conftest import MULTINODE_PG_URL, REDIS_URL, require_service
from tests.support.live import free_port

pytestmark = pytest.mark.multinode


def _database_url(name: str) -> str:
    base, _, _db = MULTINODE_PG_URL.rpartition("/")
    return f"{base}/{name}"


async def _fresh_database(name: str) -> str:
    admin = create_engine(_database_url("postgres"), isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    return _database_url(name)


def _start_node(port: int, database_url: str, data_dir: str, jobs: bool, log: Any) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "HOBNAIL_DATABASE_URL": database_url,
        "HOBNAIL_REDIS_URL": REDIS_URL,
        "HOBNAIL_DATA_DIR": data_dir,
        "HOBNAIL_PORT": str(port),
        "HOBNAIL_LOG_LEVEL": "WARNING",
    }
    args = [sys.executable, "-m", "hobnail.cli", "serve", "--no-migrate"] + ([] if jobs else ["--no-jobs"])
    return subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)


def _wait_ready(port: int, process: subprocess.Popen[bytes], log_path: Any) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"node on {port} exited: {log_path.read_text()[-3000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"node on {port} did not become ready")


@pytest.fixture
def nodes(tmp_path: Any) -> Iterator[tuple[int, int]]:
    require_service(MULTINODE_PG_URL, "PostgreSQL")
    require_service(REDIS_URL, "Redis")
    url = asyncio.run(_fresh_database("hobnail_two_nodes"))
    subprocess.run(
        [sys.executable, "-m", "hobnail.cli", "migrate"],
        env={**os.environ, "HOBNAIL_DATABASE_URL": url, "HOBNAIL_DATA_DIR": str(tmp_path)},
        check=True,
        capture_output=True,
    )
    ports = (free_port(), free_port())
    log_paths = [tmp_path / "node-a.log", tmp_path / "node-b.log"]
    logs = [path.open("wb") for path in log_paths]
    processes = [
        _start_node(ports[0], url, str(tmp_path / "a"), jobs=True, log=logs[0]),
        _start_node(ports[1], url, str(tmp_path / "b"), jobs=False, log=logs[1]),
    ]
    try:
        for port, process, log_path in zip(ports, processes, log_paths, strict=True):
            _wait_ready(port, process, log_path)
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)
        for log in logs:
            log.close()


async def _recv(ws: Any, timeout: float = 10) -> dict[str, Any]:
    return dict(orjson.loads(await asyncio.wait_for(ws.recv(), timeout)))


async def _until(ws: Any, wanted: int) -> list[dict[str, Any]]:
    """Frames until ``wanted`` department events have arrived."""
    events: list[dict[str, Any]] = []
    while len(events) < wanted:
        frame = await _recv(ws)
        if frame["type"].startswith("department."):
            events.append(frame)
    return events


@pytest.fixture
async def owner_on_a(nodes: tuple[int, int]) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    a, _ = nodes
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{a}") as client:
        response = await client.post(
            "/api/v1/setup",
            json={"org_name": "Two nodes", "owner_name": "O", "email": "o@example.com", "password": "long enough"},
        )
        assert response.status_code == 201, response.text
        token = (await client.post(
            "/api/v1/me/tokens", json={"name": "t"}, headers={"X-CSRF-Token": response.json()["csrf_token"]}
        )).json()["token"]  # fmt: skip
        client.headers["Authorization"] = f"Bearer {token}"
        yield client, token


async def test_an_event_caused_on_node_a_reaches_a_client_on_node_b_and_resume_misses_nothing(
    nodes: tuple[int, int], owner_on_a: tuple[httpx.AsyncClient, str]
) -> None:
    _, b = nodes
    client_a, token = owner_on_a
    stream = f"ws://127.0.0.1:{b}/api/v1/events?token={token}"
    async with websockets.connect(stream) as ws:
        assert (await _recv(ws))["type"] == "stream.ready"
        created = await client_a.post("/api/v1/departments", json={"name": "From node A"})
        assert created.status_code == 201
        (event,) = await _until(ws, 1)
        assert event["data"]["department"]["name"] == "From node A"
        last = event["cursor"]

    names = [f"While away {i}" for i in range(5)]
    for name in names:
        assert (await client_a.post("/api/v1/departments", json={"name": name})).status_code == 201

    async with websockets.connect(f"{stream}&cursor={last}") as ws:
        resumed = await _until(ws, 5)
        assert [e["data"]["department"]["name"] for e in resumed] == names
        cursors = [int(e["cursor"]) for e in resumed]
        assert cursors == sorted(cursors) and len(set(cursors)) == 5
        # Writes through node B reach a client on node A as well.
        async with (
            httpx.AsyncClient(base_url=f"http://127.0.0.1:{b}", headers=client_a.headers) as client_b,
            websockets.connect(f"ws://127.0.0.1:{nodes[0]}/api/v1/events?token={token}") as ws_a,
        ):
            assert (await _recv(ws_a))["type"] == "stream.ready"
            assert (await client_b.post("/api/v1/departments", json={"name": "From node B"})).status_code == 201
            (on_a,) = await _until(ws_a, 1)
            (on_b,) = await _until(ws, 1)
            assert on_a["cursor"] == on_b["cursor"]
            assert on_a["data"]["department"]["name"] == "From node B"


async def test_concurrent_writes_on_both_nodes_arrive_in_cursor_order(
    nodes: tuple[int, int], owner_on_a: tuple[httpx.AsyncClient, str]
) -> None:
    a, b = nodes
    client_a, token = owner_on_a
    async with (
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{b}", headers=client_a.headers) as client_b,
        websockets.connect(f"ws://127.0.0.1:{a}/api/v1/events?token={token}") as ws,
    ):
        assert (await _recv(ws))["type"] == "stream.ready"

        async def burst(client: httpx.AsyncClient, prefix: str) -> None:
            for i in range(15):
                response = await client.post("/api/v1/departments", json={"name": f"{prefix}{i}"})
                assert response.status_code == 201, response.text

        await asyncio.gather(burst(client_a, "a"), burst(client_b, "b"))
        events = await _until(ws, 30)
        cursors = [int(e["cursor"]) for e in events]
        assert cursors == sorted(cursors)
        assert len({e["data"]["department"]["name"] for e in events}) == 30


async def test_messages_sent_on_node_a_reach_a_member_on_node_b_and_resume(
    nodes: tuple[int, int], owner_on_a: tuple[httpx.AsyncClient, str]
) -> None:
    _a, b = nodes
    client_a, _ = owner_on_a
    created = await client_a.post(
        "/api/v1/members", json={"name": "Bob", "email": "bob@example.com", "password": "bob password"}
    )
    assert created.status_code == 201, created.text
    bob_id = created.json()["id"]
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{b}") as bob_b:
        login = await bob_b.post(
            "/api/v1/auth/login", json={"identifier": "bob@example.com", "password": "bob password"}
        )
        bob_token = (await bob_b.post(
            "/api/v1/me/tokens", json={"name": "t"}, headers={"X-CSRF-Token": login.json()["csrf_token"]}
        )).json()["token"]  # fmt: skip
    group = (
        await client_a.post("/api/v1/conversations/groups", json={"name": "两节点", "member_ids": [bob_id]})
    ).json()
    stream = f"ws://127.0.0.1:{b}/api/v1/events?token={bob_token}"

    async def texts(ws: Any, wanted: int) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        while len(found) < wanted:
            frame = await _recv(ws)
            if frame["type"] == "message.sent" and frame["data"]["message"]["kind"] == "text":
                found.append(frame)
        return found

    async with websockets.connect(stream) as ws:
        assert (await _recv(ws))["type"] == "stream.ready"
        sent = await client_a.post(f"/api/v1/conversations/{group['id']}/messages", json={"body": "from node A"})
        assert sent.status_code == 201
        (live,) = await texts(ws, 1)
        assert live["data"]["message"]["body"] == "from node A"
        last = live["cursor"]
    for i in range(3):
        await client_a.post(f"/api/v1/conversations/{group['id']}/messages", json={"body": f"missed {i}"})
    async with websockets.connect(f"{stream}&cursor={last}") as ws:
        resumed = await texts(ws, 3)
        assert [f["data"]["message"]["body"] for f in resumed] == ["missed 0", "missed 1", "missed 2"]
