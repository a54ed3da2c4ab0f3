#!/usr/bin/env python3
"""Fan-out benchmark: one group of N members, each on its own event-stream WebSocket;
M messages are sent to the group and every client times each ``message.sent`` frame.

    .venv/bin/python benchmarks/fanout.py                       # 1000 clients, 200 msgs, 20/s
    .venv/bin/python benchmarks/fanout.py --clients 20 --messages 20
    .venv/bin/python benchmarks/fanout.py --postgres postgresql+asyncpg://postgres@127.0.0.1:5432/bench
    .venv/bin/python benchmarks/fanout.py --redis redis://127.0.0.1:6379/14

Runs, against ONE `hobnail serve` process:
  phase "rate"      M messages at --rate per second (open loop)  -> latency figures
  phase "flat_out"  M messages as fast as responses come back    -> deliveries_per_s
then the same client code against a raw `websockets` broadcast server (same N, same two
phases) -> raw_* figures and ratio_to_raw. Prints one JSON object on stdout; progress on
stderr. See benchmarks/README.md for what each figure means.

Everything is on 127.0.0.1; every wait has a timeout; a watchdog ends the run (and every
process it started) after --timeout seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import collections
import contextlib
import io
import itertools
import json
import math
import multiprocessing as mp
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from array import array
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

API = "/api/v1"
LOOPBACK = "127.0.0.1"
BODY_MARK = '"body":"bench '
SENT_MARK = '"message.sent"'
OWNER_EMAIL = "owner@bench.invalid"
OWNER_PASSWORD = "bench-owner-password-1"
# Hobnail limits each person to 30 messages per 10 s (domains/messaging/messages.py
# RATE_LIMIT); one sender cannot do 20/s, so messages rotate over a pool of members.
PER_SENDER_MESSAGES = 25
FALLBACK_FRAME = (
    '{"cursor":"1","type":"message.sent","org_id":"01JBENCHBENCHBENCHBENCHBEN","occurred_at":'
    '"2026-01-01T00:00:00.000Z","data":{"message":{"id":"01JBENCHBENCHBENCHBENCHBEN","conversation_id":'
    '"01JBENCHBENCHBENCHBENCHBEN","seq":1,"sender_id":"01JBENCHBENCHBENCHBENCHBEN","kind":"text","body":'
    '"BODY","client_msg_id":null,"reply_to":null,"forwarded_from":null,"mentions":[],"mentions_all":false,'
    '"created_at":"2026-01-01T00:00:00.000Z","edited_at":null,"recalled":false,"recalled_by":null,'
    '"pinned":false,"receipt":null}}}'
)


def log(*parts: Any) -> None:
    print(f"[fanout {time.strftime('%H:%M:%S')}]", *parts, file=sys.stderr, flush=True)


def raise_nofile_limit() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = hard if hard != resource.RLIM_INFINITY else 65536
    if soft < want:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return int(s.getsockname()[1])


def percentile(sorted_values: Any, q: float) -> float | None:
    """Nearest-rank percentile of an already sorted sequence."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(q / 100 * len(sorted_values)))
    return float(sorted_values[min(rank, len(sorted_values)) - 1])


def ms(ns: float | None) -> float | None:
    return None if ns is None else round(ns / 1e6, 2)


def install_fast_loop() -> str:
    try:
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
        return "uvloop"
    except ImportError:
        return "asyncio"


# --- cleanup and watchdog ---------------------------------------------------------------------

_cleanups: list[Any] = []
_cleanup_lock = threading.Lock()


def on_exit(fn: Any) -> None:
    with _cleanup_lock:
        _cleanups.append(fn)


def run_cleanups() -> None:
    with _cleanup_lock:
        todo = list(reversed(_cleanups))
        _cleanups.clear()
    for fn in todo:
        try:
            fn()
        except Exception as error:
            log("cleanup failed:", repr(error))


def start_watchdog(seconds: float) -> None:
    def fire() -> None:
        log(f"watchdog: run exceeded {seconds:.0f} s; stopping everything")
        run_cleanups()
        os._exit(3)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()


def stop_popen(process: subprocess.Popen[bytes], name: str, grace: float = 15) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        log(f"{name} did not stop in {grace} s; killing pid {process.pid}")
        process.kill()
        process.wait(timeout=10)


def stop_mp(process: mp.process.BaseProcess, name: str, grace: float = 15) -> None:
    if not process.is_alive():
        process.join(timeout=1)
        return
    process.terminate()
    process.join(timeout=grace)
    if process.is_alive():
        log(f"{name} did not stop in {grace} s; killing pid {process.pid}")
        process.kill()
        process.join(timeout=10)


# --- measuring a process from outside (/proc, or psutil when installed) ----------------------


class ProcessMonitor:
    """CPU seconds (utime+stime) and RSS of one pid, sampled every 0.1 s for the peak."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self._tick = os.sysconf("SC_CLK_TCK")
        self._peak_rss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True, name=f"monitor-{pid}")
        self._thread.start()

    def cpu_seconds(self) -> float:
        try:
            with open(f"/proc/{self.pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / self._tick  # utime, stime (fields 14, 15)
        except (OSError, IndexError, ValueError):
            return float("nan")

    def _status(self, key: str) -> int:
        try:
            with open(f"/proc/{self.pid}/status") as handle:
                for line in handle:
                    if line.startswith(key + ":"):
                        return int(line.split()[1]) * 1024
        except (OSError, ValueError):
            pass
        return 0

    def rss(self) -> int:
        return self._status("VmRSS")

    def lifetime_peak_rss(self) -> int:
        return self._status("VmHWM")

    def reset_peak(self) -> None:
        self._peak_rss = self.rss()

    @property
    def peak_rss(self) -> int:
        return max(self._peak_rss, self.rss())

    def _sample(self) -> None:
        while not self._stop.wait(0.1):
            self._peak_rss = max(self._peak_rss, self.rss())

    def close(self) -> None:
        self._stop.set()


def wait_idle(monitor: ProcessMonitor, *, below: float = 0.08, windows: int = 2, timeout: float = 120) -> float:
    """Wait until the process uses < ``below`` of a core for ``windows`` 1-s windows."""
    start = time.monotonic()
    quiet = 0
    while time.monotonic() - start < timeout:
        before = monitor.cpu_seconds()
        time.sleep(1.0)
        used = monitor.cpu_seconds() - before
        quiet = quiet + 1 if used < below else 0
        if quiet >= windows:
            break
    else:
        log(f"server still busy after {timeout:.0f} s; going on")
    return time.monotonic() - start


# --- the client process: N WebSockets, timing each message.sent frame -------------------------


def client_process(
    conn: Any, urls: list[str], messages_per_phase: int, phases: int, connect_concurrency: int, lean: bool = True
) -> None:
    """Runs in its own process. Talks to the main process over ``conn`` (a Pipe end)."""
    raise_nofile_limit()
    loop_name = install_fast_loop()
    try:
        asyncio.run(_client_main(conn, urls, messages_per_phase, phases, connect_concurrency, loop_name, lean))
    except Exception as error:  # report, do not hang the parent
        with contextlib.suppress(Exception):
            conn.send(("error", repr(error)))


class PhaseStats:
    def __init__(self) -> None:
        self.received = 0
        self.duplicates = 0
        self.latencies = array("q")
        self.first_recv = 0
        self.last_recv = 0
        self.frame_bytes = 0
        self.sample_frame = ""


class LeanSocket(asyncio.Protocol):
    """The least a WebSocket client can do, so the load generator leaves the CPU to the
    server: a hand-written upgrade, then server frames parsed in ``data_received`` (no
    task, no await, no UTF-8 decoding per frame) and handed to ``on_frame`` as bytes.
    Pings are answered; fragmented messages are not expected (neither server sends them)."""

    def __init__(self, path: str, host: str, on_frame: Any, on_close: Any) -> None:
        self._request = (
            f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
        self._on_frame, self._on_close = on_frame, on_close
        self._buffer = bytearray()
        self._upgraded = False
        self.transport: asyncio.Transport | None = None
        self.first: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self.closed_code: int | None = None

    def connection_made(self, transport: Any) -> None:
        self.transport = transport
        transport.write(self._request)

    def data_received(self, data: bytes) -> None:
        buffer = self._buffer
        buffer += data
        if not self._upgraded:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            if b" 101 " not in buffer[: buffer.find(b"\r\n")]:
                self._fail(RuntimeError(f"upgrade refused: {bytes(buffer[:80])!r}"))
                return
            del buffer[: end + 4]
            self._upgraded = True
        pos, size = 0, len(buffer)
        while size - pos >= 2:
            opcode, length, head = buffer[pos] & 0x0F, buffer[pos + 1] & 0x7F, 2
            if length == 126:
                if size - pos < 4:
                    break
                length, head = int.from_bytes(buffer[pos + 2 : pos + 4], "big"), 4
            elif length == 127:
                if size - pos < 10:
                    break
                length, head = int.from_bytes(buffer[pos + 2 : pos + 10], "big"), 10
            if size - pos < head + length:
                break
            payload = bytes(buffer[pos + head : pos + head + length])
            pos += head + length
            if opcode in (1, 2):
                if not self.first.done():
                    self.first.set_result(payload)
                else:
                    self._on_frame(payload)
            elif opcode == 9:  # ping → pong (client frames are masked)
                self._send(0xA, payload)
            elif opcode == 8:
                self.closed_code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else 1005
        if pos:
            del buffer[:pos]

    def _send(self, opcode: int, payload: bytes) -> None:
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        if self.transport is not None:
            self.transport.write(bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + masked)

    def _fail(self, error: Exception) -> None:
        if not self.first.done():
            self.first.set_exception(error)
        if self.transport is not None:
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.first.done():
            self.first.set_exception(exc or ConnectionError("closed before the first frame"))
        self._on_close(self)

    def close(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self._send(0x8, (1000).to_bytes(2, "big"))
            self.transport.close()


async def _client_main(
    conn: Any, urls: list[str], per_phase: int, phases: int, connect_concurrency: int, loop_name: str, lean: bool
) -> None:
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed

    total_indices = per_phase * phases
    stats = [PhaseStats() for _ in range(phases)]
    counters = {"other_frames": 0, "closed_early": 0, "bad_frames": 0}
    close_codes: dict[str, int] = {}
    sockets: list[Any] = []
    readers: list[asyncio.Task[None]] = []
    closing = False
    last_activity = [time.monotonic()]

    body_mark, sent_mark = BODY_MARK.encode(), SENT_MARK.encode()
    seen_by: dict[int, bytearray] = {}
    connection_numbers = itertools.count()

    def on_frame(key: int, message: bytes) -> None:
        """One frame of connection ``key`` (bytes; only the marker's digits are decoded)."""
        now = time.time_ns()
        at = message.find(body_mark)
        if at < 0 or sent_mark not in message:
            counters["other_frames"] += 1
            return
        start = at + len(body_mark)
        end = message.find(b'"', start)
        try:
            index_text, sent_text = message[start:end].split(b" ", 1)
            index, sent_ns = int(index_text), int(sent_text)
        except ValueError:
            counters["bad_frames"] += 1
            return
        if not 0 <= index < total_indices:
            counters["bad_frames"] += 1
            return
        phase = stats[index // per_phase]
        last_activity[0] = time.monotonic()
        mine = seen_by.get(key)
        if mine is None:
            mine = seen_by[key] = bytearray(total_indices)
        if mine[index]:
            phase.duplicates += 1
            return
        mine[index] = 1
        phase.received += 1
        phase.latencies.append(now - sent_ns)
        phase.first_recv = now if not phase.first_recv else min(phase.first_recv, now)
        phase.last_recv = max(phase.last_recv, now)
        phase.frame_bytes += len(message)
        if not phase.sample_frame:
            phase.sample_frame = message.decode()

    async def reader(ws: Any) -> None:
        key = next(connection_numbers)
        try:
            async for message in ws:
                on_frame(key, message.encode() if isinstance(message, str) else message)
        except ConnectionClosed as closed:
            if not closing:
                counters["closed_early"] += 1
                code = str(closed.rcvd.code if closed.rcvd else "none")
                close_codes[code] = close_codes.get(code, 0) + 1

    def lean_closed(sock: LeanSocket) -> None:
        if not closing and sock.first.done() and not sock.first.cancelled() and sock.first.exception() is None:
            counters["closed_early"] += 1
            code = str(sock.closed_code or "none")
            close_codes[code] = close_codes.get(code, 0) + 1

    async def open_lean(url: str) -> LeanSocket:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        loop = asyncio.get_running_loop()
        holder: list[LeanSocket] = []

        def factory() -> LeanSocket:
            key = next(connection_numbers)
            sock = LeanSocket(path, parts.netloc, lambda payload: on_frame(key, payload), lean_closed)
            holder.append(sock)
            return sock

        await loop.create_connection(factory, parts.hostname or LOOPBACK, parts.port or 80)
        first = await asyncio.wait_for(holder[0].first, timeout=30)
        if b'"stream.ready"' not in first:
            holder[0].close()
            raise RuntimeError(f"first frame was not stream.ready: {first[:120]!r}")
        return holder[0]

    gate = asyncio.Semaphore(connect_concurrency)
    errors: list[str] = []

    async def open_one(url: str) -> None:
        async with gate:
            for attempt in range(3):
                ws = None
                try:
                    if lean:
                        sockets.append(await asyncio.wait_for(open_lean(url), timeout=40))
                        return
                    ws = await asyncio.wait_for(
                        connect(url, ping_interval=None, compression=None, max_size=2**22, open_timeout=30,
                                close_timeout=2),
                        timeout=40,
                    )  # fmt: skip
                    first = await asyncio.wait_for(ws.recv(), timeout=30)
                    if '"stream.ready"' not in (first if isinstance(first, str) else first.decode()):
                        raise RuntimeError(f"first frame was not stream.ready: {str(first)[:120]}")
                    sockets.append(ws)
                    readers.append(asyncio.create_task(reader(ws)))
                    return
                except Exception as error:
                    if ws is not None:
                        with contextlib.suppress(Exception):
                            await asyncio.wait_for(ws.close(), 5)
                    if attempt == 2:
                        errors.append(repr(error)[:200])
                    else:
                        await asyncio.sleep(0.5 * (attempt + 1))

    started = time.monotonic()
    await asyncio.wait_for(asyncio.gather(*(open_one(u) for u in urls)), timeout=60 + 0.5 * len(urls))
    conn.send(("ready", {"connected": len(sockets), "failed": len(errors), "errors": errors[:5],
                         "connect_s": round(time.monotonic() - started, 2), "client_loop": loop_name,
                         "client_impl": "lean" if lean else "websockets"}))  # fmt: skip

    def poll(timeout: float) -> Any:
        return conn.recv() if conn.poll(timeout) else None

    usage_mark = resource.getrusage(resource.RUSAGE_SELF)
    while True:
        command = await asyncio.to_thread(poll, 1.0)
        if command is None:
            continue
        if command[0] == "collect":
            _, phase_no, expected, quiet_s, max_s = command
            phase = stats[phase_no]
            t0 = time.monotonic()
            while phase.received < expected:
                now = time.monotonic()
                if now - t0 > max_s or (now - last_activity[0] > quiet_s and now - t0 > quiet_s):
                    break
                await asyncio.sleep(0.05)
            usage = resource.getrusage(resource.RUSAGE_SELF)
            cpu = (usage.ru_utime + usage.ru_stime) - (usage_mark.ru_utime + usage_mark.ru_stime)
            usage_mark = usage
            phase.latencies = array("q", sorted(phase.latencies))
            conn.send(("collected", {
                "received": phase.received, "duplicates": phase.duplicates, "latencies": phase.latencies,
                "first_recv": phase.first_recv, "last_recv": phase.last_recv,
                "mean_frame_bytes": round(phase.frame_bytes / phase.received) if phase.received else 0,
                "sample_frame": phase.sample_frame, "client_cpu_s": round(cpu, 2),
                "open_sockets": sum(1 for t in readers if not t.done())
                + sum(1 for w in sockets if isinstance(w, LeanSocket) and w.transport and not w.transport.is_closing()),
                **counters, "close_codes": dict(close_codes),
            }))  # fmt: skip
        elif command[0] == "stop":
            closing = True
            for ws in sockets:
                with contextlib.suppress(Exception):
                    if isinstance(ws, LeanSocket):
                        ws.close()
                    else:
                        await asyncio.wait_for(ws.close(), 2)
            for task in readers:
                task.cancel()
            await asyncio.gather(*readers, return_exceptions=True)
            conn.send(("stopped", {}))
            return


class Clients:
    """The parent's handle on the client process."""

    def __init__(self, urls: list[str], per_phase: int, phases: int, connect_concurrency: int, lean: bool) -> None:
        ctx = mp.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=client_process, args=(child, urls, per_phase, phases, connect_concurrency, lean), daemon=True
        )
        self.process.start()
        on_exit(lambda: stop_mp(self.process, "client process", grace=5))
        self.monitor = ProcessMonitor(self.process.pid)  # type: ignore[arg-type]

    def _expect(self, kind: str, timeout: float) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._conn.poll(0.5):
                reply = self._conn.recv()
                if reply[0] == "error":
                    raise RuntimeError(f"client process failed: {reply[1]}")
                if reply[0] == kind:
                    return reply[1]
            if not self.process.is_alive():
                raise RuntimeError(f"client process exited ({self.process.exitcode})")
        raise TimeoutError(f"client process: no {kind!r} within {timeout:.0f} s")

    def wait_ready(self, timeout: float) -> dict[str, Any]:
        return self._expect("ready", timeout)  # type: ignore[no-any-return]

    def collect(self, phase: int, expected: int, *, quiet_s: float, max_s: float) -> dict[str, Any]:
        self._conn.send(("collect", phase, expected, quiet_s, max_s))
        return self._expect("collected", max_s + 60)  # type: ignore[no-any-return]

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._conn.send(("stop",))
            self._expect("stopped", 30)
        self.monitor.close()
        stop_mp(self.process, "client process", grace=10)


# --- senders -------------------------------------------------------------------------------


class SendLog:
    def __init__(self) -> None:
        self.starts: list[int] = []
        self.response_ns: list[int] = []
        self.statuses: dict[str, int] = {}
        self.errors: list[str] = []

    def summary(self, expected: int) -> dict[str, Any]:
        answered = sorted(self.response_ns)
        return {
            "sent": len(self.starts),
            "ok": self.statuses.get("201", 0) + self.statuses.get("ok", 0),
            "statuses": dict(self.statuses),
            "errors": self.errors[:5],
            "send_response_ms_p50": ms(percentile(answered, 50)),
            "send_response_ms_p99": ms(percentile(answered, 99)),
            "send_response_ms_max": ms(answered[-1]) if answered else None,
            "expected_sends": expected,
        }


async def paced(count: int, rate: float, concurrency: int, send: Any, timeout: float) -> float:
    """Call ``send(k)`` for k < count: open loop at ``rate``/s, or (rate 0) with
    ``concurrency`` callers one after another. Returns the seconds it took."""
    started = time.monotonic()
    if rate > 0:
        tasks = []
        for k in range(count):
            delay = started + k / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(send(k)))
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=timeout)
            for task in pending:
                task.cancel()
    else:
        next_k = iter(range(count))

        async def worker() -> None:
            for k in next_k:
                await send(k)

        workers = [asyncio.create_task(worker()) for _ in range(max(1, concurrency))]
        _, pending = await asyncio.wait(workers, timeout=timeout)
        for task in pending:
            task.cancel()
    return time.monotonic() - started


async def hobnail_phase(
    base: str, conversation_id: str, tokens: list[str], first_index: int, count: int, rate: float, concurrency: int,
    timeout: float,
) -> SendLog:  # fmt: skip
    record = SendLog()
    limits = httpx.Limits(max_connections=max(concurrency, 64), max_keepalive_connections=max(concurrency, 64))
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as http:

        async def send(k: int) -> None:
            index = first_index + k
            started = time.time_ns()
            record.starts.append(started)
            try:
                response = await http.post(
                    f"{API}/conversations/{conversation_id}/messages",
                    json={"body": f"bench {index} {started}"},
                    headers={"Authorization": f"Bearer {tokens[k % len(tokens)]}"},
                )
                record.response_ns.append(time.time_ns() - started)
                key = str(response.status_code)
                if response.status_code != 201 and len(record.errors) < 5:
                    record.errors.append(response.text[:200])
            except Exception as error:
                key = type(error).__name__
                if len(record.errors) < 5:
                    record.errors.append(repr(error)[:200])
            record.statuses[key] = record.statuses.get(key, 0) + 1

        await paced(count, rate, concurrency, send, timeout)
    return record


async def raw_phase(
    control_url: str, template: str, first_index: int, count: int, rate: float, concurrency: int, timeout: float
) -> SendLog:
    from websockets.asyncio.client import connect

    record = SendLog()
    head, tail = template.split("BODY", 1)
    async with connect(control_url, ping_interval=None, compression=None, open_timeout=10, close_timeout=2) as ws:
        # The server acks each frame after broadcasting it, in order.
        pending: collections.deque[tuple[int, asyncio.Future[None]]] = collections.deque()

        async def acks() -> None:
            async for _ in ws:
                started, done = pending.popleft()
                record.response_ns.append(time.time_ns() - started)
                record.statuses["ok"] = record.statuses.get("ok", 0) + 1
                if not done.done():
                    done.set_result(None)

        reader = asyncio.create_task(acks())

        async def send(k: int) -> None:
            index = first_index + k
            started = time.time_ns()
            done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            record.starts.append(started)
            pending.append((started, done))
            await ws.send(f"{head}bench {index} {started}{tail}")
            if rate == 0:  # flat out: each caller waits for its ack, like an HTTP response
                await asyncio.wait_for(done, 30)

        await paced(count, rate, concurrency, send, timeout)
        deadline = time.monotonic() + 30
        while pending and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        reader.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await reader
    return record


# --- the raw reference server ---------------------------------------------------------------


def raw_server_process(port: int, ready: Any) -> None:
    """A websockets server that only broadcasts what the control connection sends."""
    install_fast_loop()
    raise_nofile_limit()

    async def main() -> None:
        from websockets.asyncio.server import broadcast, serve

        clients: set[Any] = set()

        async def handler(ws: Any) -> None:
            if ws.request.path.startswith("/control"):
                async for frame in ws:
                    broadcast(clients, frame)
                    await ws.send("ok")
                return
            clients.add(ws)
            try:
                await ws.send('{"type":"stream.ready","cursor":"0"}')
                async for _ in ws:  # clients say nothing; drain anyway
                    pass
            finally:
                clients.discard(ws)

        async with serve(handler, LOOPBACK, port, compression=None, ping_interval=None, max_size=2**22, backlog=4096):
            ready.set()
            await asyncio.Future()

    asyncio.run(main())


# --- setting up Hobnail ---------------------------------------------------------------------


def start_hobnail(args: argparse.Namespace, data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "HOBNAIL_DATA_DIR": str(data_dir),
        "HOBNAIL_HOST": LOOPBACK,
        "HOBNAIL_PORT": str(port),
        "HOBNAIL_LOG_LEVEL": "WARNING",
        "HOBNAIL_BASE_URL": f"http://{LOOPBACK}:{port}",
    }
    env.pop("HOBNAIL_DATABASE_URL", None)
    env.pop("HOBNAIL_REDIS_URL", None)
    env.pop("HOBNAIL_CONFIG", None)
    if args.postgres:
        env["HOBNAIL_DATABASE_URL"] = args.postgres
    if args.redis:
        env["HOBNAIL_REDIS_URL"] = args.redis
    log_file = (data_dir / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "hobnail.cli", "serve", "--host", LOOPBACK, "--port", str(port)],
        env=env, stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    log_file.close()
    on_exit(lambda: stop_popen(process, "hobnail server"))
    base = f"http://{LOOPBACK}:{port}"
    deadline = time.monotonic() + 90
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"hobnail serve exited: {tail(data_dir / 'server.log')}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return process
        if time.monotonic() > deadline:
            raise TimeoutError(f"hobnail serve not ready in 90 s: {tail(data_dir / 'server.log')}")
        time.sleep(0.2)


def tail(path: Path, size: int = 3000) -> str:
    with contextlib.suppress(OSError):
        return path.read_text(errors="replace")[-size:]
    return ""


def check(response: httpx.Response, what: str, expected: tuple[int, ...] = (200, 201)) -> Any:
    if response.status_code not in expected:
        raise RuntimeError(f"{what}: HTTP {response.status_code} {response.text[:500]}")
    return response.json() if response.content else None


async def login_tokens(base: str, members: list[dict[str, Any]], concurrency: int, seen_5xx: list[str]) -> list[str]:
    """Sign each member in (cookie + CSRF) and create a personal API token; ``concurrency`` in flight.

    A 5xx is retried (3 tries) and noted: on SQLite, concurrent sign-ins hold the write lock
    through Argon2 and can exceed the 10 s busy timeout ("database is locked")."""
    tokens: list[str | None] = [None] * len(members)
    queue = iter(range(len(members)))
    done = [0]
    started = time.monotonic()

    async def post(http: httpx.AsyncClient, path: str, what: str, **kwargs: Any) -> Any:
        for attempt in range(3):
            response = await http.post(path, **kwargs)
            if response.status_code < 500 or attempt == 2:
                return check(response, what)
            seen_5xx.append(f"POST {path}: {response.status_code}")
            await asyncio.sleep(1.0)
        return None

    async def worker() -> None:
        # One client per worker, one member at a time in it: cookies never mix.
        async with httpx.AsyncClient(base_url=base, timeout=120) as http:
            for i in queue:
                member = members[i]
                http.cookies.clear()
                credentials = {"identifier": member["email"], "password": member["initial_password"]}
                session = await post(http, f"{API}/auth/login", f"login {member['email']}", json=credentials)
                created = await post(
                    http, f"{API}/me/tokens", f"token {member['email']}",
                    json={"name": "fanout-bench"}, headers={"X-CSRF-Token": session["csrf_token"]},
                )  # fmt: skip
                tokens[i] = created["token"]
                done[0] += 1
                if done[0] % 100 == 0:
                    log(f"  {done[0]}/{len(members)} tokens ({time.monotonic() - started:.0f} s)")

    await asyncio.wait_for(asyncio.gather(*(worker() for _ in range(concurrency))), timeout=120 + 3.0 * len(members))
    return [t for t in tokens if t]


async def direct_tokens(database_url: str, user_ids: list[str], org_id: str) -> list[str]:
    """Mint tokens with Hobnail's own code straight into the database (skips login's Argon2)."""
    from hobnail.db.engine import create_engine, create_sessionmaker
    from hobnail.domains.accounts import auth
    from hobnail.domains.accounts.access import Principal
    from hobnail.models import User

    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            secrets_out = []
            for user_id in user_ids:
                user = await session.get(User, user_id)
                actor = await auth.actor_for(session, Principal(user=user, org_id=org_id))  # type: ignore[arg-type]
                _, secret = await auth.create_api_token(session, actor, name="fanout-bench")
                secrets_out.append(secret)
            await session.commit()
            return secrets_out
    finally:
        await engine.dispose()


def get_retrying(http: httpx.Client, path: str, seen_5xx: list[str], attempts: int = 5) -> httpx.Response:
    """GET, retrying a 5xx (seen: SQLite "database is locked" when a read that bumps a token's
    last_used_at races a background job's write). Each 5xx is noted for the report."""
    for attempt in range(attempts):
        response = http.get(path)
        if response.status_code < 500 or attempt == attempts - 1:
            return response
        seen_5xx.append(f"GET {path}: {response.status_code}")
        log(f"GET {path} answered {response.status_code}; retrying")
        time.sleep(0.5)
    return response


def setup_org(args: argparse.Namespace, base: str, data_dir: Path, monitor: ProcessMonitor) -> dict[str, Any]:
    n = args.clients
    setup_5xx: list[str] = []
    http = httpx.Client(base_url=base, timeout=120)
    try:
        if not check(http.get(f"{API}/setup"), "setup status")["needed"]:
            raise RuntimeError("the database is not fresh (setup already done); give --postgres an empty database")
        setup = check(http.post(f"{API}/setup", json={
            "org_name": "Fanout bench", "owner_name": "Owner", "email": OWNER_EMAIL, "password": OWNER_PASSWORD,
            "timezone": "UTC", "language": "en"}), "setup")  # fmt: skip
        org_id = setup["orgs"][0]["id"] if setup.get("orgs") else None
        owner_token = check(
            http.post(f"{API}/me/tokens", json={"name": "fanout-owner"}, headers={"X-CSRF-Token": setup["csrf_token"]}),
            "owner token",
        )["token"]
        http.cookies.clear()
        http.headers["Authorization"] = f"Bearer {owner_token}"

        t0 = time.monotonic()
        members: list[dict[str, Any]] = []
        chunk = 2000
        for first in range(0, n, chunk):
            rows = io.StringIO()
            rows.write("name,email\n")
            for i in range(first, min(n, first + chunk)):
                rows.write(f"Member {i:05d},m{i:05d}@bench.invalid\n")
            upload = {"file": ("members.csv", rows.getvalue().encode(), "text/csv")}
            result = check(http.post(f"{API}/members/import", files=upload), "import")
            members.extend(result["members"])
        log(f"imported {len(members)} members in {time.monotonic() - t0:.1f} s")
        if len(members) != n:
            raise RuntimeError(f"import created {len(members)} members, expected {n}")

        # Importing queued one background job per member (join the all-staff group); let
        # them finish so they do not run during the measurement.
        t0 = time.monotonic()
        while time.monotonic() - t0 < 300:
            items = check(get_retrying(http, f"{API}/conversations", setup_5xx), "conversations")["items"]
            staff = [c for c in items if c["kind"] == "all_staff"]
            if staff and staff[0]["member_count"] >= n + 1:
                break
            time.sleep(1)
        else:
            log("all-staff group did not reach every member within 300 s; going on")
        idle_s = wait_idle(monitor)
        log(f"background jobs settled ({time.monotonic() - t0:.1f} s, idle check {idle_s:.1f} s)")

        t0 = time.monotonic()
        if args.tokens == "http":
            log(f"signing in {n} members for tokens ({args.login_concurrency} in flight)")
            tokens = asyncio.run(login_tokens(base, members, args.login_concurrency, setup_5xx))
        else:
            url = args.postgres or f"sqlite+aiosqlite:///{(data_dir / 'hobnail.db').resolve()}"
            tokens = asyncio.run(direct_tokens(url, [m["id"] for m in members], org_id))
        token_s = time.monotonic() - t0
        log(f"{len(tokens)} tokens in {token_s:.1f} s ({args.tokens})")
        if len(tokens) != n:
            raise RuntimeError(f"got {len(tokens)} tokens, expected {n}")

        if n + 1 > 3000:
            check(http.patch(f"{API}/messaging/settings", json={"max_group_members": min(n + 1, 10000)}), "settings")
        group = check(
            http.post(f"{API}/conversations/groups", json={"name": "Fanout", "member_ids": [m["id"] for m in members]}),
            "create group",
        )
        if group["member_count"] != n + 1:
            raise RuntimeError(f"group has {group['member_count']} members, expected {n + 1}")
        wait_idle(monitor)

        return {"org_id": org_id, "conversation_id": group["id"], "tokens": tokens, "token_s": round(token_s, 1),
                "setup_5xx": setup_5xx}  # fmt: skip
    finally:
        http.close()


# --- one full run (Hobnail or raw) -----------------------------------------------------------


def phase_plan(args: argparse.Namespace) -> list[tuple[str, float]]:
    return [("rate", args.rate), ("flat_out", 0.0)]


def senders_for(tokens: list[str], phase_no: int, messages: int) -> list[str]:
    """Disjoint pools per phase, each member sending at most PER_SENDER_MESSAGES."""
    pool = max(1, math.ceil(messages / PER_SENDER_MESSAGES))
    first = (phase_no * pool) % len(tokens)
    chosen = [tokens[(first + i) % len(tokens)] for i in range(min(pool, len(tokens)))]
    return chosen


def summarize_phase(
    name: str, rate: float, sends: SendLog, got: dict[str, Any], clients: int, messages: int, duration_s: float,
    server_cpu: float, client_cpu_s: float,
) -> dict[str, Any]:  # fmt: skip
    expected = clients * messages
    lat = got["latencies"]
    first_send = min(sends.starts) if sends.starts else 0
    span_ns = (got["last_recv"] - first_send) if got["last_recv"] and first_send else 0
    return {
        "rate": rate if rate > 0 else "flat_out",
        "expected": expected,
        "deliveries": got["received"],
        "lost": expected - got["received"],
        "duplicates": got["duplicates"],
        "deliveries_per_s": round(got["received"] / (span_ns / 1e9), 1) if span_ns > 0 else None,
        "send_span_s": round(duration_s, 2),
        "first_send_to_last_receive_s": round(span_ns / 1e9, 3) if span_ns else None,
        "achieved_send_rate": round(len(sends.starts) / duration_s, 1) if duration_s > 0 else None,
        "latency_ms_p50": ms(percentile(lat, 50)),
        "latency_ms_p90": ms(percentile(lat, 90)),
        "latency_ms_p99": ms(percentile(lat, 99)),
        "latency_ms_max": ms(lat[-1]) if len(lat) else None,
        "server_cpu_s": round(server_cpu, 2),
        "client_cpu_s": client_cpu_s,
        "mean_frame_bytes": got["mean_frame_bytes"],
        "other_frames_so_far": got["other_frames"],
        "closed_early_so_far": got["closed_early"],
        "close_codes": got["close_codes"],
        **{k: v for k, v in sends.summary(messages).items()},
    }


def run_clients_phases(
    args: argparse.Namespace, urls: list[str], monitor: ProcessMonitor, send_phase: Any
) -> dict[str, Any]:
    """Connect the clients, run each phase (send, then collect), stop the clients."""
    m = args.messages
    plan = phase_plan(args)
    clients = Clients(urls, m, len(plan), args.connect_concurrency, args.client == "lean")
    try:
        cpu0 = monitor.cpu_seconds()
        monitor.reset_peak()
        ready = clients.wait_ready(timeout=120 + 0.5 * len(urls))
        connect_cpu = monitor.cpu_seconds() - cpu0
        log(f"clients ready: {ready}")
        if ready["connected"] != len(urls):
            log(f"WARNING: only {ready['connected']}/{len(urls)} clients connected: {ready['errors']}")
        out: dict[str, Any] = {
            "connect": {**ready, "server_cpu_s": round(connect_cpu, 2)},
        }
        run_cpu0 = monitor.cpu_seconds()
        for phase_no, (name, rate) in enumerate(plan):
            send_timeout = (m / rate if rate > 0 else 0) + 60 + m * 1.0
            cpu_before = monitor.cpu_seconds()
            t0 = time.monotonic()
            sends = asyncio.run(send_phase(phase_no, phase_no * m, m, rate, send_timeout))
            duration = time.monotonic() - t0
            got = clients.collect(phase_no, ready["connected"] * m, quiet_s=args.quiet, max_s=args.collect_timeout)
            server_cpu = monitor.cpu_seconds() - cpu_before
            out[name] = summarize_phase(
                name, rate, sends, got, ready["connected"], m, duration, server_cpu, got["client_cpu_s"]
            )
            out[name]["sample_frame"] = got["sample_frame"]
            short = {k: out[name][k] for k in ("deliveries", "lost", "deliveries_per_s", "latency_ms_p50",
                                                "latency_ms_p99", "latency_ms_max", "server_cpu_s", "client_cpu_s",
                                                "statuses")}  # fmt: skip
            log(f"phase {name}: {short}")
            if phase_no + 1 < len(plan):
                wait_idle(monitor, timeout=30)
        out["run_server_cpu_s"] = round(monitor.cpu_seconds() - run_cpu0 + connect_cpu, 2)
        out["peak_rss_mb"] = round(monitor.peak_rss / 2**20, 1)
        return out
    finally:
        clients.stop()


def run_hobnail(args: argparse.Namespace) -> dict[str, Any]:
    data_dir = Path(tempfile.mkdtemp(prefix="hobnail-fanout-"))
    if not args.keep:
        on_exit(lambda: shutil.rmtree(data_dir, ignore_errors=True))
    port = args.port or free_port()
    log(f"starting hobnail serve on {LOOPBACK}:{port} (data {data_dir}, "
        f"db {'postgresql' if args.postgres else 'sqlite'}, redis {bool(args.redis)})")  # fmt: skip
    t0 = time.monotonic()
    server = start_hobnail(args, data_dir, port)
    monitor = ProcessMonitor(server.pid)
    base = f"http://{LOOPBACK}:{port}"
    log(f"server ready in {time.monotonic() - t0:.1f} s (pid {server.pid})")
    profiler = None
    try:
        setup_cpu0 = monitor.cpu_seconds()
        setup = setup_org(args, base, data_dir, monitor)
        setup_cpu = monitor.cpu_seconds() - setup_cpu0
        tokens = setup["tokens"]
        urls = [f"ws://{LOOPBACK}:{port}{API}/events?token={t}" for t in tokens]
        if args.profile:
            profiler = start_profiler(args, server.pid)

        async def send_phase(phase_no: int, first_index: int, count: int, rate: float, timeout: float) -> SendLog:
            senders = senders_for(tokens, phase_no, count)
            return await hobnail_phase(
                base, setup["conversation_id"], senders, first_index, count, rate, args.concurrency, timeout
            )

        result = run_clients_phases(args, urls, monitor, send_phase)
        if profiler is not None:
            stop_profiler(profiler)
            profiler = None
        result["setup"] = {"server_cpu_s": round(setup_cpu, 1), "token_s": setup["token_s"], "tokens": args.tokens,
                           "server_5xx": setup["setup_5xx"]}  # fmt: skip
        result["server_lifetime_peak_rss_mb"] = round(monitor.lifetime_peak_rss() / 2**20, 1)
        result["server_pid"] = server.pid
        if server.poll() is not None:
            raise RuntimeError(f"server died: {tail(data_dir / 'server.log')}")
        result["server_log_errors"] = server_log_errors(data_dir / "server.log")
        return result
    except Exception:
        log("server log tail:\n" + tail(data_dir / "server.log"))
        raise
    finally:
        if profiler is not None:
            stop_profiler(profiler)
        monitor.close()
        stop_popen(server, "hobnail server")


def server_log_errors(path: Path) -> dict[str, int]:
    """Distinct exception lines in the server log (e.g. "sqlite3.OperationalError: database is locked")."""
    found: dict[str, int] = {}
    text = tail(path, 5_000_000).replace("\\n", "\n")
    for match in re.finditer(r"^([\w.]+(?:Error|Exception)): ([^\n]{0,120})", text, re.MULTILINE):
        key = f"{match.group(1)}: {match.group(2)}"
        found[key] = found.get(key, 0) + 1
    return found


def start_profiler(args: argparse.Namespace, pid: int) -> subprocess.Popen[bytes]:
    out = Path(args.profile).resolve()
    command = [args.py_spy, "record", "--pid", str(pid), "--rate", str(args.profile_rate),
               "--format", args.profile_format, "--output", str(out), "--nonblocking"]  # fmt: skip
    if args.profile_idle:
        command.append("--idle")
    log("profiling: " + " ".join(command))
    process = subprocess.Popen(command, stdout=sys.stderr, stderr=sys.stderr, stdin=subprocess.DEVNULL)
    on_exit(lambda: stop_popen(process, "py-spy", grace=30))
    time.sleep(1.0)
    return process


def stop_profiler(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)  # py-spy writes its output on Ctrl-C
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def run_raw(args: argparse.Namespace, template: str) -> dict[str, Any]:
    port = free_port()
    ctx = mp.get_context("spawn")
    ready = ctx.Event()
    process = ctx.Process(target=raw_server_process, args=(port, ready), daemon=True)
    process.start()
    on_exit(lambda: stop_mp(process, "raw server", grace=5))
    monitor = ProcessMonitor(process.pid)  # type: ignore[arg-type]
    try:
        if not ready.wait(30):
            raise TimeoutError("raw server not ready in 30 s")
        log(f"raw websockets server on {LOOPBACK}:{port} (pid {process.pid})")
        urls = [f"ws://{LOOPBACK}:{port}{API}/events?token=raw{i}" for i in range(args.clients)]
        control = f"ws://{LOOPBACK}:{port}/control"

        async def send_phase(phase_no: int, first_index: int, count: int, rate: float, timeout: float) -> SendLog:
            return await raw_phase(control, template, first_index, count, rate, args.concurrency, timeout)

        return run_clients_phases(args, urls, monitor, send_phase)
    finally:
        monitor.close()
        stop_mp(process, "raw server", grace=5)


def make_template(sample: str) -> str:
    """The Hobnail frame with its body replaced by a placeholder, so the raw frames are the same size."""
    at = sample.find(BODY_MARK)
    if at < 0:
        return FALLBACK_FRAME
    start = at + len('"body":"')
    end = sample.find('"', start)
    return sample[:start] + "BODY" + sample[end:]


def raw_summary(raw: dict[str, Any] | None) -> dict[str, Any] | None:
    if raw is None:
        return None
    return {
        "phases": {"rate": raw["rate"], "flat_out": raw["flat_out"]},
        "connect": raw["connect"],
        "server_cpu_s": raw["run_server_cpu_s"],
        "server_rss_mb": raw["peak_rss_mb"],
    }


def hobnail_source() -> dict[str, str]:
    """Which hobnail the server imports (PYTHONPATH may point at another checkout) and its commit."""
    found = subprocess.run(
        [sys.executable, "-c", "import hobnail; print(hobnail.__file__)"],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    path = found.stdout.strip()
    info = {"path": str(Path(path).parent) if path else "?"}
    with contextlib.suppress(Exception):
        git = subprocess.run(
            ["git", "-C", info["path"], "describe", "--always", "--dirty"],
            capture_output=True, text=True, timeout=10, check=False,
        )  # fmt: skip
        if git.returncode == 0:
            info["git"] = git.stdout.strip()
    return info


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=1000, help="N WebSocket clients, all in one group")
    parser.add_argument("--messages", type=int, default=200, help="M messages per phase")
    parser.add_argument("--rate", type=float, default=20.0, help="messages/s in the rate phase (0 = flat out)")
    parser.add_argument("--concurrency", type=int, default=1, help="requests in flight in the flat-out phase")
    parser.add_argument("--postgres", metavar="URL", help="postgresql+asyncpg://… of an EMPTY database")
    parser.add_argument("--redis", metavar="URL", help="sets HOBNAIL_REDIS_URL (pub/sub through Redis)")
    parser.add_argument("--skip-raw", action="store_true", help="skip the raw websockets reference")
    parser.add_argument("--port", type=int, default=0, help="port for hobnail serve (default: a free one)")
    parser.add_argument(
        "--tokens",
        choices=["http", "direct"],
        default="http",
        help="http: sign in + POST /me/tokens per member; direct: mint in the database (faster)",
    )
    parser.add_argument(
        "--login-concurrency", type=int, default=4, help="sign-ins in flight (more only queues on the SQLite lock)"
    )
    parser.add_argument("--connect-concurrency", type=int, default=50)
    parser.add_argument(
        "--client", choices=["lean", "websockets"], default="lean",
        help="the load generator's WebSocket client: a minimal asyncio protocol (default; leaves the CPU to the "
        "server) or the websockets library",
    )  # fmt: skip
    parser.add_argument("--quiet", type=float, default=10.0, help="stop collecting after this many s without frames")
    parser.add_argument("--collect-timeout", type=float, default=120.0, help="max s to wait for a phase's frames")
    parser.add_argument("--timeout", type=float, default=1800.0, help="watchdog: the whole run, seconds")
    parser.add_argument("--profile", metavar="FILE", help="py-spy record the server during the measured phases")
    parser.add_argument("--profile-rate", type=int, default=50, help="py-spy samples/s (keep low on 2 cores)")
    parser.add_argument("--profile-format", default="raw", choices=["raw", "flamegraph", "speedscope"])
    parser.add_argument("--profile-idle", action="store_true", help="py-spy --idle (include waiting threads)")
    parser.add_argument("--py-spy", default=shutil.which("py-spy") or "py-spy", help="py-spy executable")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    args = parser.parse_args()
    if args.clients < 1 or args.messages < 1 or args.rate < 0:
        parser.error("--clients and --messages must be >= 1, --rate >= 0")
    for url in filter(None, [args.postgres, args.redis]):
        host = httpx.URL(url.replace("+asyncpg", "")).host
        if host not in ("127.0.0.1", "localhost", "::1"):
            parser.error(f"only loopback addresses: {url}")

    nofile = raise_nofile_limit()
    if nofile < 2 * args.clients + 200:
        log(f"WARNING: open-files limit {nofile} is low for {args.clients} clients")
    start_watchdog(args.timeout)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: (run_cleanups(), os._exit(130)))
    started = time.monotonic()
    try:
        hob = run_hobnail(args)
        raw = None
        if not args.skip_raw:
            raw = run_raw(args, make_template(hob["flat_out"].get("sample_frame") or hob["rate"].get("sample_frame")))
    finally:
        run_cleanups()

    for run in filter(None, [hob, raw]):
        for name, _ in phase_plan(args):
            run[name].pop("sample_frame", None)
    rate_phase, flat = hob["rate"], hob["flat_out"]
    result: dict[str, Any] = {
        "clients": args.clients,
        "messages": args.messages,
        "rate": args.rate,
        "concurrency": args.concurrency,
        "deliveries": rate_phase["deliveries"] + flat["deliveries"],
        "lost": rate_phase["lost"] + flat["lost"],
        "deliveries_per_s": flat["deliveries_per_s"],
        "latency_ms_p50": rate_phase["latency_ms_p50"],
        "latency_ms_p99": rate_phase["latency_ms_p99"],
        "latency_ms_max": rate_phase["latency_ms_max"],
        "server_cpu_s": hob["run_server_cpu_s"],
        "server_rss_mb": hob["peak_rss_mb"],
        "raw_deliveries_per_s": raw["flat_out"]["deliveries_per_s"] if raw else None,
        "raw_latency_ms_p50": raw["rate"]["latency_ms_p50"] if raw else None,
        "raw_latency_ms_p99": raw["rate"]["latency_ms_p99"] if raw else None,
        "ratio_to_raw": (
            round(flat["deliveries_per_s"] / raw["flat_out"]["deliveries_per_s"], 3)
            if raw and flat["deliveries_per_s"] and raw["flat_out"]["deliveries_per_s"]
            else None
        ),
        "database": "postgresql" if args.postgres else "sqlite",
        "redis": bool(args.redis),
        "cores": os.cpu_count(),
        "goal_met": None,
        "phases": {"rate": rate_phase, "flat_out": flat},
        "connect": hob["connect"],
        "setup": hob["setup"],
        "server_lifetime_peak_rss_mb": hob["server_lifetime_peak_rss_mb"],
        "server_log_errors": hob["server_log_errors"],
        "raw": raw_summary(raw),
        "senders_per_phase": max(1, math.ceil(args.messages / PER_SENDER_MESSAGES)),
        "python": sys.version.split()[0],
        "hobnail_source": hobnail_source(),
        "wall_s": round(time.monotonic() - started, 1),
    }
    if result["latency_ms_p99"] is not None:
        result["goal_met"] = bool(
            result["latency_ms_p99"] < 100
            and result["lost"] == 0
            and (result["ratio_to_raw"] is None or result["ratio_to_raw"] > 0.3)
        )
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
