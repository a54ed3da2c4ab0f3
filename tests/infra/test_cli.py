"""The `hobnail` command, run as a newcomer or a script would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.support.server import hobnail_server

pytestmark = pytest.mark.subprocess_server


def hobnail(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOBNAIL_DATA_DIR": str(data_dir), "HOBNAIL_LOG_LEVEL": "WARNING"}
    env.pop("HOBNAIL_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "hobnail.cli", *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_create_admin_token_and_demo(tmp_path: Path) -> None:
    assert hobnail(tmp_path, "version").stdout.strip() == "0.1.0"
    assert hobnail(tmp_path, "migrate").returncode == 0
    created = hobnail(
        tmp_path, "create-admin", "--email", "root@example.com", "--password", "long enough", "--org", "Acme"
    )
    assert created.returncode == 0, created.stderr
    assert "owns organisation" in created.stdout
    weak = hobnail(tmp_path, "create-admin", "--email", "x@example.com", "--password", "short")
    assert weak.returncode != 0
    token = hobnail(tmp_path, "token", "--user", "root@example.com")
    assert token.returncode == 0, token.stderr
    secret = token.stdout.strip().splitlines()[-1]
    assert secret.startswith("hbt_")
    demo = hobnail(tmp_path, "demo", "--reset")
    assert demo.returncode == 0, demo.stderr
    logins = [line for line in demo.stdout.splitlines() if "password:" in line]
    assert len(logins) == 30
    email, password = logins[-1].split()[-5], logins[-1].split("password:")[1].split()[0]
    with hobnail_server(tmp_path) as base:
        me = httpx.get(f"{base}/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
        assert me.status_code == 200 and me.json()["email"] == "root@example.com"
        signed_in = httpx.post(f"{base}/api/v1/auth/login", json={"identifier": email, "password": password})
        assert signed_in.status_code == 200, signed_in.text
        assert signed_in.json()["org"]["name"] == "示例科技 Demo Tech"
        _events_take_the_fast_path(base, secret)


def _events_take_the_fast_path(base: str, token: str) -> None:
    """Under `hobnail serve` (uvloop), event frames are written straight to the socket."""
    from websockets.sync.client import connect

    bearer = {"Authorization": f"Bearer {token}"}
    group = httpx.post(f"{base}/api/v1/conversations/groups", json={"name": "Solo", "member_ids": []}, headers=bearer)
    assert group.status_code == 201, group.text
    with connect(f"{base.replace('http', 'ws', 1)}/api/v1/events?token={token}", open_timeout=10) as ws:
        sent = httpx.post(
            f"{base}/api/v1/conversations/{group.json()['id']}/messages", json={"body": "fast"}, headers=bearer
        )
        assert sent.status_code == 201
        # The group's "created" line may come first: its event can be published after this
        # socket subscribed. Wait for the message itself.
        while '"message.sent"' not in (frame := str(ws.recv(timeout=10))) or '"body":"fast"' not in frame:
            pass
    metrics = httpx.get(f"{base}/metrics").text
    direct = next(line for line in metrics.splitlines() if line.startswith("hobnail_ws_frames_written_directly "))
    assert float(direct.split()[1]) >= 1
