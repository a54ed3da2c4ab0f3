"""A real `hobnail serve` subprocess with its own data directory (SQLite by default)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.support.live import free_port


@contextmanager
def hobnail_server(data_dir: Path, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """Migrate and serve; yields the base URL. Logs go to ``data_dir/server.log``."""
    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {
        **os.environ,
        "HOBNAIL_DATA_DIR": str(data_dir),
        "HOBNAIL_PORT": str(port),
        "HOBNAIL_LOG_LEVEL": "WARNING",
        **(extra_env or {}),
    }
    env.pop("HOBNAIL_DATABASE_URL", None) if "HOBNAIL_DATABASE_URL" not in (extra_env or {}) else None
    log_path = data_dir / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "hobnail.cli", "serve"], env=env, stdout=log, stderr=subprocess.STDOUT
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 40
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"server exited: {log_path.read_text()[-3000:]}")
                try:
                    if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError(log_path.read_text()[-3000:])
                time.sleep(0.2)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
