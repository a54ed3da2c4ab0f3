"""DING alert latency: one sender DINGs R recipients who each have the web client's event
stream open; how long from the send request until each recipient's socket has the alert.

    .venv/bin/python benchmarks/ding.py                 # 200 recipients, 20 DINGs
    .venv/bin/python benchmarks/ding.py --recipients 50 --dings 5

Prints one JSON object: recipients, dings, alerts, lost, alert_ms_p50, alert_ms_p99,
alert_ms_max, send_ms_p50 (the POST itself), server_cpu_s, server_rss_mb. Reuses the
server, organisation and token set-up of benchmarks/fanout.py. Loopback only; bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).parent))
import fanout  # a sibling script, not a package


def client_process(urls: list[str], dings: int, out: Any, ready: Any) -> None:
    """Connect every recipient; record when each one's ding.received frames arrive."""
    import orjson
    import websockets

    async def main() -> None:
        arrivals: list[tuple[str, int]] = []
        sockets = []
        for start in range(0, len(urls), 50):
            sockets += await asyncio.gather(*(websockets.connect(u, max_size=None) for u in urls[start : start + 50]))
        for ws in sockets:
            while orjson.loads(await asyncio.wait_for(ws.recv(), 30)).get("type") != "stream.ready":
                pass
        ready.set()

        async def listen(ws: Any) -> None:
            seen = 0
            while seen < dings:
                frame = orjson.loads(await ws.recv())
                if frame.get("type") == "ding.received":
                    arrivals.append((frame["data"]["ding"]["id"], time.time_ns()))
                    seen += 1

        await asyncio.wait_for(asyncio.gather(*(listen(ws) for ws in sockets), return_exceptions=True), 60 + dings * 5)
        for ws in sockets:
            await ws.close()
        out.put(arrivals)

    try:
        asyncio.run(main())
    except Exception:
        out.put([])


def run(args: argparse.Namespace) -> dict[str, Any]:
    fanout.raise_nofile_limit()
    data_dir = Path(tempfile.mkdtemp(prefix="ding-bench-"))
    fanout.on_exit(lambda: __import__("shutil").rmtree(data_dir, ignore_errors=True))
    port = fanout.free_port()
    server = fanout.start_hobnail(args, data_dir, port)
    monitor = fanout.ProcessMonitor(server.pid)
    base = f"http://{fanout.LOOPBACK}:{port}"
    setup = fanout.setup_org(args, base, data_dir, monitor)
    http = httpx.Client(base_url=base, timeout=60)
    owner = httpx.post(
        f"{base}{fanout.API}/auth/login", json={"identifier": fanout.OWNER_EMAIL, "password": fanout.OWNER_PASSWORD}
    )
    owner_token = httpx.post(
        f"{base}{fanout.API}/me/tokens", json={"name": "ding-bench"}, cookies=owner.cookies,
        headers={"X-CSRF-Token": owner.json()["csrf_token"]},
    ).json()["token"]  # fmt: skip
    http.headers["Authorization"] = f"Bearer {owner_token}"
    recipient_ids: list[str] = []
    cursor = None
    while True:
        page = http.get(f"{fanout.API}/members", params={"limit": 200, **({"cursor": cursor} if cursor else {})}).json()
        recipient_ids += [m["id"] for m in page["items"] if m["email"] != fanout.OWNER_EMAIL]
        cursor = page["next_cursor"]
        if not cursor:
            break
    ws_base = base.replace("http://", "ws://")
    urls = [f"{ws_base}/api/v1/events?token={t}" for t in setup["tokens"]]
    out, ready = mp.Queue(), mp.Event()
    clients = mp.Process(target=client_process, args=(urls, args.dings, out, ready), daemon=True)
    clients.start()
    fanout.on_exit(lambda: fanout.stop_mp(clients, "ding clients"))
    if not ready.wait(180):
        raise TimeoutError("clients did not connect")
    monitor.reset_peak()
    cpu_before = monitor.cpu_seconds()
    sent_at: dict[str, int] = {}
    send_ms: list[float] = []
    for _ in range(args.dings):
        started = time.time_ns()
        response = http.post(
            f"{fanout.API}/dings", json={"body": "服务器告警，请确认", "user_ids": recipient_ids, "policy": []}
        )
        send_ms.append((time.time_ns() - started) / 1e6)
        if response.status_code != 201:
            raise RuntimeError(f"DING refused: {response.status_code} {response.text[:300]}")
        sent_at[response.json()["id"]] = started
        time.sleep(args.gap)
    arrivals = out.get(timeout=120)
    cpu = monitor.cpu_seconds() - cpu_before
    latencies = sorted((at - sent_at[ding_id]) / 1e6 for ding_id, at in arrivals if ding_id in sent_at)
    expected = len(recipient_ids) * args.dings
    send_ms.sort()
    result = {
        "recipients": len(recipient_ids),
        "dings": args.dings,
        "alerts": len(latencies),
        "lost": expected - len(latencies),
        "alert_ms_p50": round(fanout.percentile(latencies, 0.5) or 0, 1),
        "alert_ms_p99": round(fanout.percentile(latencies, 0.99) or 0, 1),
        "alert_ms_max": round(latencies[-1], 1) if latencies else None,
        "send_ms_p50": round(fanout.percentile(send_ms, 0.5) or 0, 1),
        "server_cpu_s": round(cpu, 2),
        "server_rss_mb": round(monitor.peak_rss / 2**20, 1),
        "database": "postgresql" if args.postgres else "sqlite",
        "cores": mp.cpu_count(),
    }
    http.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--recipients", type=int, default=200)
    parser.add_argument("--dings", type=int, default=20)
    parser.add_argument("--gap", type=float, default=0.5, help="seconds between DINGs")
    parser.add_argument("--postgres", default="")
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args()
    # What fanout.setup_org reads.
    args.clients, args.redis, args.tokens, args.login_concurrency = args.recipients, "", "direct", 4
    fanout.start_watchdog(args.timeout)
    try:
        print(json.dumps(run(args)))
    finally:
        fanout.run_cleanups()


if __name__ == "__main__":
    main()
