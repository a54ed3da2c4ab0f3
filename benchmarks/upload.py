#!/usr/bin/env python3
"""Upload benchmark: a large file through tus into one `hobnail serve` process over
loopback, then its signed download, next to this machine's own ceilings.

    .venv/bin/python benchmarks/upload.py                          # 1 GiB; 8 and 16 MiB chunks; one request
    .venv/bin/python benchmarks/upload.py --repeat 3               # each run 3 times, medians
    .venv/bin/python benchmarks/upload.py --size-mb 64 --settle 0  # smoke run
    .venv/bin/python benchmarks/upload.py --client httpx,tuspy     # also tuspy's Uploader
    .venv/bin/python benchmarks/upload.py --profile /tmp/upload    # py-spy each upload run

In one run, on the filesystem that holds the server's data directory:
  ceilings   disk_write_mb_s (plain 1 MiB writes of the same bytes + one fsync; measured at the
             start, before every upload and at the end: the median), loopback_mb_s (a raw TCP copy
             to another process) and loopback_to_disk_mb_s (a raw receiver that also writes + fsyncs);
  uploads    tus creation + PATCHes of --chunk-mb MiB (a hand-written tus client on httpx, or
             tuspy), then creation + one PATCH with the whole file; upload_mb_s, server RSS
             (sampled every 50 ms), server and client CPU, and the CPU everyone else used;
  downloads  GET of the signed download_url (no auth), hashed as it streams; two Range requests;
  integrity  sha256 of the source == the server's sha256 == the downloaded bytes' sha256 ("ok").
Prints one JSON object on stdout (progress on stderr). MB means MiB (2**20 bytes) throughout.
Goals (printed, never asserted): upload_ratio_to_disk >= 0.5 and server peak RSS < 150 MB.

Everything is on 127.0.0.1; every wait has a timeout; a watchdog ends the run (and every
process it started) after --timeout seconds. Needs free disk of about 3 x size.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import http.client
import json
import multiprocessing as mp
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fanout  # a sibling script, not a package: cleanup, watchdog, process helpers

API = fanout.API
LOOPBACK = fanout.LOOPBACK
MIB = 2**20
TUS = "1.0.0"
OFFSET_STREAM = "application/offset+octet-stream"
FILE_NAME = "upload-bench.bin"


def log(*parts: Any) -> None:
    print(f"[upload {time.strftime('%H:%M:%S')}]", *parts, file=sys.stderr, flush=True)


def mb_s(nbytes: int, seconds: float) -> float | None:
    return round(nbytes / MIB / seconds, 1) if seconds > 0 else None


def mb(nbytes: float) -> float:
    return round(nbytes / MIB, 1)


# --- a process tree seen from outside (/proc) ------------------------------------------------


class TreeMonitor:
    """RSS (summed over the process and its descendants, e.g. uvicorn workers) sampled every
    ``interval`` s for the peak of a window; CPU seconds (utime + stime) of the tree."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid = pid
        self.interval = interval
        self._tick = os.sysconf("SC_CLK_TCK")
        self._pids = [pid]
        self._pids_at = 0.0
        self._peak = 0
        self._samples = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name=f"rss-{pid}")
        self._thread.start()

    def tree(self) -> list[int]:
        now = time.monotonic()
        if now - self._pids_at > 1.0:  # children rarely change; look again once a second
            found, todo = [], [self.pid]
            while todo:
                pid = todo.pop()
                found.append(pid)
                with contextlib.suppress(OSError):
                    for task in os.listdir(f"/proc/{pid}/task"):
                        with contextlib.suppress(OSError), open(f"/proc/{pid}/task/{task}/children") as handle:
                            todo.extend(int(c) for c in handle.read().split())
            self._pids, self._pids_at = found, now
        return self._pids

    @staticmethod
    def _status(pid: int, key: str) -> int:
        with contextlib.suppress(OSError, ValueError), open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(key):
                    return int(line.split()[1]) * 1024
        return 0

    def rss(self) -> int:
        return sum(self._status(p, "VmRSS:") for p in self.tree())

    def lifetime_peak_rss(self) -> int:
        """VmHWM: the kernel's own peak (catches spikes between samples); per process, summed."""
        return sum(self._status(p, "VmHWM:") for p in self.tree())

    def cpu_split(self) -> tuple[float, float]:
        """(user, system) CPU seconds of the tree."""
        user = system = 0.0
        for pid in self.tree():
            with contextlib.suppress(OSError, IndexError, ValueError), open(f"/proc/{pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
                user += int(fields[11]) / self._tick
                system += int(fields[12]) / self._tick
        return user, system

    def cpu_seconds(self) -> float:
        return sum(self.cpu_split())

    def start_window(self) -> None:
        with self._lock:
            self._peak, self._samples = self.rss(), 1

    def window(self) -> tuple[int, int]:
        """(peak RSS bytes, samples) since start_window."""
        with self._lock:
            return max(self._peak, self.rss()), self._samples

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            value = self.rss()
            with self._lock:
                self._peak = max(self._peak, value)
                self._samples += 1

    def close(self) -> None:
        self._stop.set()


def wait_idle(monitor: TreeMonitor, *, below: float = 0.05, timeout: float = 30) -> None:
    """Until the server uses < ``below`` of a core for a 0.5 s window (jobs, the relay)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        before = monitor.cpu_seconds()
        time.sleep(0.5)
        if monitor.cpu_seconds() - before < below * 0.5:
            return
    log(f"server still busy after {timeout:.0f} s; going on")


def machine_cpu() -> dict[str, float]:
    """Whole-machine CPU seconds from /proc/stat: busy (all cores), steal, iowait; and this
    benchmark process's own CPU (all its threads)."""
    tick = os.sysconf("SC_CLK_TCK")
    with open("/proc/stat") as handle:
        values = [int(v) for v in handle.readline().split()[1:9]]
    user, nice, system, _idle, iowait, irq, softirq, steal = values
    own = resource.getrusage(resource.RUSAGE_SELF)
    return {"busy": (user + nice + system + irq + softirq) / tick, "steal": steal / tick, "iowait": iowait / tick,
            "self": own.ru_utime + own.ru_stime}  # fmt: skip


def wait_machine_quiet(monitor: TreeMonitor | None, *, max_wait: float, below: float = 0.3) -> float:
    """Wait (at most ``max_wait`` s) until everything else on the machine (other sessions,
    kernel threads) uses less than ``below`` of a core over a 1 s window; returns what it used
    in the last window, in cores. On a shared 2-core machine this decides the figures."""
    deadline = time.monotonic() + max_wait
    while True:
        before = machine_cpu()
        server0 = monitor.cpu_seconds() if monitor else 0.0
        time.sleep(1.0)
        after = machine_cpu()
        server = (monitor.cpu_seconds() if monitor else 0.0) - server0
        others = (after["busy"] - before["busy"]) - server - (after["self"] - before["self"])
        if others < below or time.monotonic() >= deadline:
            if others >= below and max_wait > 0:
                log(f"the machine is still busy ({others:.2f} cores used by others); going on")
            return round(max(others, 0.0), 2)


def settle(args: argparse.Namespace, monitor: TreeMonitor | None) -> float:
    """Before anything that writes a lot of new page cache: flush what is dirty, let the
    server go idle, wait --settle s, then for the machine to be quiet. Returns the cores the
    rest of the machine used in the last second.

    The wait matters on this VM: memory freed more than ~2 s earlier has been handed back to
    the host (virtio-balloon free page reporting), and writing 1 GiB into it costs 2-4 s of
    page faults; memory freed just before is reused at ~1 GB/s. Waiting the same before every
    ceiling and every upload makes them start alike, mostly "cold"; which pages the kernel
    hands out during a run is still not ours to choose (see benchmarks/README.md).
    """
    os.sync()
    if monitor is not None:
        wait_idle(monitor)
    time.sleep(args.settle)
    return wait_machine_quiet(monitor, max_wait=args.quiet_wait)


# --- the source file and the machine's ceilings ----------------------------------------------


def make_source(path: Path, size: int) -> str:
    """Random bytes (incompressible, nothing to dedupe), written once and fsynced so no
    writeback of it runs during the measurements. Returns its sha256."""
    hasher = hashlib.sha256()
    piece = 8 * MIB
    with open(path, "wb", buffering=0) as handle:
        left = size
        while left:
            data = os.urandom(min(piece, left))
            hasher.update(data)
            handle.write(data)
            left -= len(data)
        os.fsync(handle.fileno())
    return hasher.hexdigest()


def read_pieces(path: Path, offset: int, length: int, piece: int) -> Iterator[bytes]:
    """``length`` bytes of ``path`` from ``offset``, ``piece`` bytes at a time (never more in memory)."""
    with open(path, "rb", buffering=0) as handle:
        handle.seek(offset)
        left = length
        while left:
            data = handle.read(min(piece, left))
            if not data:
                raise RuntimeError(f"{path} ended {left} bytes early")
            left -= len(data)
            yield data


def disk_write(source: Path, target: Path, write_bytes: int) -> dict[str, Any]:
    """Copy the source (from the page cache) to ``target`` with plain writes, one fsync at the
    end: what the server has to do for one upload, minus the network and HTTP."""
    buffer = bytearray(write_bytes)
    view = memoryview(buffer)
    size = source.stat().st_size
    usage0 = resource.getrusage(resource.RUSAGE_THREAD)
    started = time.perf_counter()
    with open(source, "rb", buffering=0) as src, open(target, "wb", buffering=0) as dst:
        while True:
            got = src.readinto(buffer)
            if not got:
                break
            dst.write(view[:got])
        written_s = time.perf_counter() - started
        os.fsync(dst.fileno())
    total_s = time.perf_counter() - started
    usage1 = resource.getrusage(resource.RUSAGE_THREAD)
    target.unlink()
    return {"mb_s": mb_s(size, total_s), "seconds": round(total_s, 3), "writes_s": round(written_s, 3),
            "fsync_s": round(total_s - written_s, 3), "write_kb": write_bytes // 1024,
            "user_s": round(usage1.ru_utime - usage0.ru_utime, 2),
            "sys_s": round(usage1.ru_stime - usage0.ru_stime, 2)}  # fmt: skip


def loopback_receiver(listener: socket.socket, target: str | None, piece: int) -> None:
    """Runs in its own process: accept one connection, read to EOF (into ``target`` when
    given, fsynced at the end), answer with the byte count."""
    for sig in (signal.SIGINT, signal.SIGTERM):  # not the parent's handlers (they clean up its files)
        signal.signal(sig, signal.SIG_DFL)
    conn, _ = listener.accept()
    buffer = bytearray(piece)
    view = memoryview(buffer)
    total = 0
    out = open(target, "wb", buffering=0) if target else None  # noqa: SIM115
    try:
        while True:
            got = conn.recv_into(buffer)
            if not got:
                break
            total += got
            if out is not None:
                out.write(view[:got])
        if out is not None:
            os.fsync(out.fileno())
    finally:
        if out is not None:
            out.close()
    conn.sendall(total.to_bytes(8, "big"))
    conn.close()


def loopback_copy(source: Path, target: Path | None, piece: int) -> dict[str, Any]:
    """A raw TCP copy of the source over 127.0.0.1 to another process (reading the file here
    like the tus client does); with ``target`` the receiver also writes it and fsyncs once."""
    ctx = mp.get_context("fork")  # the listening socket goes to the child as is
    listener = socket.socket()
    listener.bind((LOOPBACK, 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    child = ctx.Process(target=loopback_receiver, args=(listener, str(target) if target else None, piece), daemon=True)
    child.start()
    fanout.on_exit(lambda: fanout.stop_mp(child, "loopback receiver", grace=5))
    listener.close()
    size = source.stat().st_size
    buffer = bytearray(piece)
    view = memoryview(buffer)
    try:
        cpu0 = time.thread_time()
        started = time.perf_counter()
        with socket.create_connection((LOOPBACK, port), timeout=120) as sock, open(source, "rb", buffering=0) as src:
            while True:
                got = src.readinto(buffer)
                if not got:
                    break
                sock.sendall(view[:got])
            sock.shutdown(socket.SHUT_WR)
            answer = b""
            while len(answer) < 8:
                more = sock.recv(8 - len(answer))
                if not more:
                    break
                answer += more
        seconds = time.perf_counter() - started
        sender_cpu = time.thread_time() - cpu0
    finally:
        child.join(timeout=60)
        fanout.stop_mp(child, "loopback receiver", grace=5)
        if target is not None:
            with contextlib.suppress(FileNotFoundError):
                target.unlink()
    received = int.from_bytes(answer, "big") if len(answer) == 8 else -1
    if received != size:
        raise RuntimeError(f"loopback copy: sent {size} bytes, the receiver got {received}")
    return {"mb_s": mb_s(size, seconds), "seconds": round(seconds, 3), "sender_cpu_s": round(sender_cpu, 2)}


# --- the server ------------------------------------------------------------------------------


def server_env(data_dir: Path, port: int, size: int) -> dict[str, str]:
    env = {
        **os.environ,
        "HOBNAIL_DATA_DIR": str(data_dir),
        "HOBNAIL_HOST": LOOPBACK,
        "HOBNAIL_PORT": str(port),
        "HOBNAIL_LOG_LEVEL": "WARNING",
        "HOBNAIL_BASE_URL": f"http://{LOOPBACK}:{port}",
        "HOBNAIL_STORAGE_BACKEND": "local",
        "HOBNAIL_FILE_MAX_BYTES": str(max(4 * 1024**3, size)),
    }
    for name in ("HOBNAIL_DATABASE_URL", "HOBNAIL_REDIS_URL", "HOBNAIL_CONFIG"):
        env.pop(name, None)
    return env


def start_server(args: argparse.Namespace, data_dir: Path, port: int, size: int) -> subprocess.Popen[bytes]:
    """`hobnail migrate` (its own process, so the server's RSS is the server's), then
    `hobnail serve --no-migrate` (unless --migrate-in-serve); waits for /readyz."""
    env = server_env(data_dir, port, size)
    command = [sys.executable, "-m", "hobnail.cli"]
    if not args.migrate_in_serve:
        done = subprocess.run([*command, "migrate"], env=env, capture_output=True, timeout=180, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"hobnail migrate failed: {done.stdout[-2000:]!r} {done.stderr[-2000:]!r}")
    serve = [*command, "serve", "--host", LOOPBACK, "--port", str(port)]
    if not args.migrate_in_serve:
        serve.append("--no-migrate")
    log_file = (data_dir / "server.log").open("wb")
    process = subprocess.Popen(serve, env=env, stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    log_file.close()
    fanout.on_exit(lambda: fanout.stop_popen(process, "hobnail server"))
    base = f"http://{LOOPBACK}:{port}"
    deadline = time.monotonic() + 90
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"hobnail serve exited: {fanout.tail(data_dir / 'server.log')}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return process
        if time.monotonic() > deadline:
            raise TimeoutError(f"hobnail serve not ready in 90 s: {fanout.tail(data_dir / 'server.log')}")
        time.sleep(0.2)


def owner_token(base: str, size: int) -> str:
    """First organisation and its owner (POST /setup), then a personal API token."""
    with httpx.Client(base_url=base, timeout=60) as http:
        if not fanout.check(http.get(f"{API}/setup"), "setup status")["needed"]:
            raise RuntimeError("the database is not fresh (setup already done)")
        setup = fanout.check(http.post(f"{API}/setup", json={
            "org_name": "Upload bench", "owner_name": "Owner", "email": fanout.OWNER_EMAIL,
            "password": fanout.OWNER_PASSWORD, "timezone": "UTC", "language": "en"}), "setup")  # fmt: skip
        token = fanout.check(
            http.post(f"{API}/me/tokens", json={"name": "upload-bench"}, headers={"X-CSRF-Token": setup["csrf_token"]}),
            "token",
        )["token"]
        http.cookies.clear()
        http.headers["Authorization"] = f"Bearer {token}"
        limits = fanout.check(http.get(f"{API}/files/settings"), "file settings")
        if size > limits.get("max_file_mb", 0) * MIB:  # the organisation's limit (the server's is raised by env)
            fanout.check(http.patch(f"{API}/files/settings", json={"max_file_mb": -(-size // MIB)}), "file settings")
        return str(token)


# --- tus clients -----------------------------------------------------------------------------


class UploadLog:
    def __init__(self) -> None:
        self.requests = 0
        self.patch_s: list[float] = []
        self.file_id: str | None = None
        self.location = ""


def upload_httpx(base: str, token: str, source: Path, size: int, chunk: int | None, piece: int) -> UploadLog:
    """A minimal tus 1.0.0 client on httpx (one keep-alive connection): creation, then PATCHes
    of ``chunk`` bytes (None: one PATCH with everything), each body streamed from the file
    ``piece`` bytes at a time with a Content-Length (no chunked encoding)."""
    record = UploadLog()
    headers = {"Authorization": f"Bearer {token}", "Tus-Resumable": TUS}
    with httpx.Client(base_url=base, headers=headers, timeout=httpx.Timeout(300, connect=10)) as http:
        created = http.post(f"{API}/uploads/", headers={
            "Upload-Length": str(size), "Upload-Metadata": f"filename {base64.b64encode(FILE_NAME.encode()).decode()}",
        })  # fmt: skip
        record.requests += 1
        if created.status_code != 201:
            raise RuntimeError(f"tus creation: HTTP {created.status_code} {created.text[:300]}")
        record.location = created.headers["Location"]
        offset = 0
        last = created
        while offset < size:
            length = min(chunk or size, size - offset)
            t0 = time.perf_counter()
            last = http.patch(record.location, content=read_pieces(source, offset, length, piece), headers={
                "Content-Type": OFFSET_STREAM, "Upload-Offset": str(offset), "Content-Length": str(length),
            })  # fmt: skip
            record.patch_s.append(time.perf_counter() - t0)
            record.requests += 1
            if last.status_code != 204:
                raise RuntimeError(f"PATCH at {offset}: HTTP {last.status_code} {last.text[:300]}")
            moved = int(last.headers["Upload-Offset"])
            if moved != offset + length:
                raise RuntimeError(f"PATCH at {offset} of {length} bytes: server is at {moved}")
            offset = moved
        record.file_id = last.headers.get("Hobnail-File-Id")
    return record


def upload_tuspy(base: str, token: str, source: Path, size: int, chunk: int) -> UploadLog:
    """tuspy's Uploader (requests underneath: a new connection per PATCH, each chunk read
    into memory before it is sent)."""
    from tusclient import client as tus_client

    record = UploadLog()
    client = tus_client.TusClient(f"{base}{API}/uploads/", headers={"Authorization": f"Bearer {token}"})
    uploader = client.uploader(file_path=str(source), chunk_size=chunk, metadata={"filename": FILE_NAME}, retries=0)
    try:
        uploader.set_url(uploader.create_url())
        uploader.offset = 0
        record.requests += 1
        record.location = str(uploader.url)
        while uploader.offset < size:
            t0 = time.perf_counter()
            uploader.upload_chunk()  # type: ignore[no-untyped-call]
            record.patch_s.append(time.perf_counter() - t0)
            record.requests += 1
        if uploader.request is not None:
            record.file_id = uploader.request.response_headers.get("hobnail-file-id")
    finally:
        with contextlib.suppress(Exception):
            uploader.file_stream and uploader.file_stream.close()
    return record


# --- download and integrity ------------------------------------------------------------------


def download(url: str, size: int, piece: int) -> dict[str, Any]:
    """GET the signed link (no auth), hashed as it arrives. The standard library's
    http.client reading straight into one buffer: httpx cost about 3 CPU-seconds per GiB
    here (64 KiB reads through h11), as much as the server, on the same 2 cores."""
    parts = urlsplit(url)
    hasher = hashlib.sha256()
    buffer = bytearray(piece)
    view = memoryview(buffer)
    received = 0
    conn = http.client.HTTPConnection(parts.hostname or LOOPBACK, parts.port, timeout=300)
    try:
        cpu0 = time.thread_time()
        t0 = time.perf_counter()
        conn.request("GET", f"{parts.path}?{parts.query}")
        response = conn.getresponse()
        if response.status != 200:
            raise RuntimeError(f"download: HTTP {response.status} {response.read(300)!r}")
        length = response.getheader("Content-Length")
        while True:
            got = response.readinto(buffer)
            if not got:
                break
            hasher.update(view[:got])
            received += got
        seconds = time.perf_counter() - t0
        cpu = time.thread_time() - cpu0
    finally:
        conn.close()
    return {"mb_s": mb_s(received, seconds), "seconds": round(seconds, 3), "bytes": received,
            "content_length": int(length) if length else None, "sha256": hasher.hexdigest(),
            "client_cpu_s": round(cpu, 2)}  # fmt: skip


def range_checks(url: str, source: Path, size: int) -> dict[str, Any]:
    """Two Range requests (a middle piece and the last MiB) against the source's bytes."""
    wanted = [(size // 3, min(size - 1, size // 3 + MIB - 1)), (max(0, size - MIB), size - 1)]
    results = []
    with httpx.Client(timeout=60) as http, open(source, "rb") as src:
        for start, end in wanted:
            response = http.get(url, headers={"Range": f"bytes={start}-{end}"})
            src.seek(start)
            expected = src.read(end - start + 1)
            results.append(response.status_code == 206 and response.content == expected
                           and response.headers.get("Content-Range") == f"bytes {start}-{end}/{size}")  # fmt: skip
    return {"ok": all(results), "ranges": [f"{s}-{e}" for s, e in wanted]}


# --- one upload run ------------------------------------------------------------------------


def start_profiler(args: argparse.Namespace, pid: int, name: str) -> subprocess.Popen[bytes] | None:
    if not args.profile:
        return None
    out = Path(f"{args.profile}.{name}.{'txt' if args.profile_format == 'raw' else args.profile_format}").resolve()
    command = [args.py_spy, "record", "--pid", str(pid), "--rate", str(args.profile_rate), "--subprocesses",
               "--format", args.profile_format, "--output", str(out)]  # fmt: skip
    command.extend(["--native", "--threads"] if args.profile_native else ["--nonblocking"])  # native stacks pause it
    log("profiling: " + " ".join(command))
    process = subprocess.Popen(command, stdout=sys.stderr, stderr=sys.stderr, stdin=subprocess.DEVNULL)
    fanout.on_exit(lambda: fanout.stop_popen(process, "py-spy", grace=30))
    time.sleep(1.0)
    return process


def one_run(
    args: argparse.Namespace, name: str, client: str, chunk: int | None, base: str, token: str, source: Path,
    size: int, source_sha: str, monitor: TreeMonitor, pid: int, disk_target: Path,
) -> dict[str, Any]:  # fmt: skip
    """The disk ceiling once more (right before, so both see the same machine), then one
    upload, its download and the checks."""
    settle(args, monitor)
    disk = disk_write(source, disk_target, args.disk_write_kb * 1024)
    busy_before = settle(args, monitor)
    profiler = start_profiler(args, pid, name)
    how = "one request" if chunk is None else f"{mb(chunk):g} MB chunks"
    log(f"{name}: disk {disk['mb_s']} MB/s; uploading {mb(size):.0f} MB ({how}, {client})")
    rss_before = monitor.rss()
    monitor.start_window()
    user0, sys0 = monitor.cpu_split()
    machine0 = machine_cpu()
    client_cpu0 = time.thread_time()
    t0 = time.perf_counter()
    try:
        if client == "tuspy":
            assert chunk is not None
            record = upload_tuspy(base, token, source, size, chunk)
        else:
            record = upload_httpx(base, token, source, size, chunk, args.read_kb * 1024)
    finally:
        if profiler is not None:
            fanout.stop_profiler(profiler)
    upload_s = time.perf_counter() - t0
    client_cpu = time.thread_time() - client_cpu0
    user1, sys1 = monitor.cpu_split()
    machine1 = machine_cpu()
    server_user, server_sys = user1 - user0, sys1 - sys0
    upload_peak, samples = monitor.window()
    upload_mb_s = mb_s(size, upload_s)
    # CPU that neither the server nor this benchmark used (other sessions on the machine).
    other = (machine1["busy"] - machine0["busy"]) - (server_user + server_sys) - (machine1["self"] - machine0["self"])
    log(f"{name}: {upload_mb_s} MB/s in {upload_s:.2f} s; server CPU {server_user:.1f} user + {server_sys:.1f} sys, "
        f"others {other:.1f} s, peak RSS {mb(upload_peak)} MB")  # fmt: skip

    http = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60)
    try:
        if record.file_id is None:  # HEAD says it too once complete
            head = http.head(record.location, headers={"Tus-Resumable": TUS})
            record.file_id = head.headers.get("Hobnail-File-Id")
        if record.file_id is None:
            raise RuntimeError("the upload finished without a Hobnail-File-Id")
        described = fanout.check(http.get(f"{API}/files/{record.file_id}"), "describe file")
    finally:
        http.close()
    url = urljoin(base + "/", described["download_url"])

    wait_idle(monitor)
    monitor.start_window()
    server_cpu0 = monitor.cpu_seconds()
    got = download(url, size, args.read_kb * 1024)
    download_server_cpu = monitor.cpu_seconds() - server_cpu0
    download_peak, _ = monitor.window()
    ranges = range_checks(url, source, size)
    wait_idle(monitor)
    rss_after = monitor.rss()
    log(f"{name}: download {got['mb_s']} MB/s; peak RSS {mb(download_peak)} MB")

    patch = sorted(record.patch_s)
    ok = described["sha256"] == source_sha and got["sha256"] == source_sha and got["bytes"] == size and ranges["ok"]
    return {
        "name": name,
        "client": client,
        "chunk_mb": None if chunk is None else chunk / MIB,
        "requests": record.requests,
        "upload_mb_s": upload_mb_s,
        "upload_s": round(upload_s, 3),
        "disk_write_mb_s_before": disk["mb_s"],
        "disk_write_sys_s_before": disk["sys_s"],
        "patch_ms_median": round(patch[len(patch) // 2] * 1000, 1) if patch else None,
        "last_patch_ms": round(record.patch_s[-1] * 1000, 1) if patch else None,
        "server_cpu_s": round(server_user + server_sys, 2),
        "server_user_s": round(server_user, 2),
        "server_sys_s": round(server_sys, 2),
        "client_cpu_s": round(client_cpu, 2),
        "others_cpu_s": round(max(other, 0.0), 2),
        "others_cores_before": busy_before,
        "steal_s": round(machine1["steal"] - machine0["steal"], 2),
        "server_rss_before_mb": mb(rss_before),
        "server_peak_rss_mb": mb(upload_peak),
        "server_rss_after_mb": mb(rss_after),
        "rss_samples": samples,
        "download_mb_s": got["mb_s"],
        "download_s": got["seconds"],
        "download_server_cpu_s": round(download_server_cpu, 2),
        "download_client_cpu_s": got["client_cpu_s"],
        "download_server_peak_rss_mb": mb(download_peak),
        "sha256_server_ok": described["sha256"] == source_sha,
        "sha256_download_ok": got["sha256"] == source_sha,
        "range_ok": ranges["ok"],
        "ok": ok,
        "profile": f"{args.profile}.{name}" if args.profile else None,
    }


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else round((ordered[middle - 1] + ordered[middle]) / 2, 1)


def summarize(runs: list[dict[str, Any]], disk_mb_s: float) -> dict[str, Any]:
    """Per kind of run (over --repeat rounds): medians, and every upload figure."""
    out: dict[str, Any] = {}
    for name in dict.fromkeys(r["name"] for r in runs):
        these = [r for r in runs if r["name"] == name]
        upload = median([r["upload_mb_s"] for r in these])
        peak = max(max(r["server_peak_rss_mb"], r["download_server_peak_rss_mb"]) for r in these)
        out[name] = {
            "upload_mb_s": upload,
            "upload_mb_s_all": [r["upload_mb_s"] for r in these],
            "upload_ratio_to_disk": round(upload / disk_mb_s, 3),
            "server_cpu_s": median([r["server_cpu_s"] for r in these]),
            "server_sys_s": median([r["server_sys_s"] for r in these]),
            "download_mb_s": median([r["download_mb_s"] for r in these]),
            "server_peak_rss_mb": peak,
            "goal_upload_ratio_met": upload / disk_mb_s >= 0.5,
            "goal_rss_met": peak < 150,
            "ok": all(r["ok"] for r in these),
        }
    return out


# --- the whole run -------------------------------------------------------------------------


def filesystem_of(path: Path) -> dict[str, Any]:
    best = ("", "?", "?")
    with contextlib.suppress(OSError), open("/proc/mounts") as handle:
        for line in handle:
            device, mount, fstype = line.split()[:3]
            if str(path).startswith(mount.rstrip("/") + "/") and len(mount) >= len(best[0]):
                best = (mount, device, fstype)
    return {"path": str(path), "mount": best[0], "device": best[1], "fs": best[2]}


def on_signal(*_: Any) -> None:
    fanout.run_cleanups()
    os._exit(130)


def parse_list(text: str, kind: Any) -> list[Any]:
    return [kind(part) for part in text.split(",") if part.strip()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=int, default=1024, help="file size in MiB (default 1024)")
    parser.add_argument("--chunk-mb", default="8,16", help="PATCH sizes in MiB, comma-separated (default 8,16)")
    parser.add_argument("--no-single", action="store_true", help="skip the upload in one PATCH")
    parser.add_argument("--client", default="httpx", help="httpx (hand-written tus client), tuspy, or httpx,tuspy")
    parser.add_argument("--read-kb", type=int, default=1024, help="client reads and sends bodies in pieces this big")
    parser.add_argument(
        "--disk-write-kb", type=int, default=1024, help="write size of the disk ceiling (as the server)"
    )
    parser.add_argument("--work-dir", help="where the source, the data dir and the ceiling files go (default: TMPDIR)")
    parser.add_argument("--migrate-in-serve", action="store_true", help="let `hobnail serve` migrate (default: "
                        "`hobnail migrate` first, then `serve --no-migrate`)")  # fmt: skip
    parser.add_argument("--sample-ms", type=float, default=50, help="RSS sampling interval")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=3600.0, help="watchdog: the whole run, seconds")
    parser.add_argument("--profile", metavar="PREFIX", help="py-spy record each upload run to PREFIX.<run>.txt")
    parser.add_argument("--profile-rate", type=int, default=100, help="py-spy samples/s")
    parser.add_argument("--profile-format", default="raw", choices=["raw", "flamegraph", "speedscope"])
    parser.add_argument("--profile-native", action="store_true", help="py-spy --native (C frames; slows the server)")
    default_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    parser.add_argument("--py-spy", default=default_spy, help="py-spy executable")
    parser.add_argument("--quiet-wait", type=float, default=60, help="before each measurement wait up to this many "
                        "s for other load on the machine to drop below 0.3 cores (0: don't wait)")  # fmt: skip
    parser.add_argument("--settle", type=float, default=3.0, help="s to wait before each ceiling and upload "
                        "(so each writes into memory the VM has handed back; see settle())")  # fmt: skip
    parser.add_argument("--repeat", type=int, default=1, help="rounds of all upload runs (figures are medians)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()
    chunks = [int(c * MIB) for c in parse_list(args.chunk_mb, float)]
    clients = parse_list(args.client, str)
    if args.size_mb < 1 or any(c < 64 * 1024 for c in chunks) or not set(clients) <= {"httpx", "tuspy"}:
        parser.error("--size-mb >= 1, --chunk-mb >= 0.0625, --client httpx and/or tuspy")
    if (not chunks and args.no_single) or args.repeat < 1:
        parser.error("nothing to run")
    size = args.size_mb * MIB
    plan: list[tuple[str, str, int | None]] = [
        (f"chunks_{chunk / MIB:g}mb" if client == "httpx" else f"{client}_chunks_{chunk / MIB:g}mb", client, chunk)
        for client in clients
        for chunk in chunks
    ]
    if not args.no_single:
        plan.append(("single_request", "httpx", None))

    fanout.start_watchdog(args.timeout)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, on_signal)
    started = time.monotonic()
    load_start = os.getloadavg()
    work = Path(tempfile.mkdtemp(prefix="hobnail-upload-", dir=args.work_dir)).resolve()
    if not args.keep:
        fanout.on_exit(lambda: shutil.rmtree(work, ignore_errors=True))
    data_dir = work / "data"
    data_dir.mkdir()
    free = shutil.disk_usage(work).free
    if free < size * 4:
        log(f"WARNING: {mb(free):.0f} MB free in {work}; a run needs about {mb(size * 3):.0f} MB at a time")
    result: dict[str, Any] = {}
    try:
        log(f"writing {args.size_mb} MB of random bytes to {work / 'source.bin'}")
        source = work / "source.bin"
        t0 = time.perf_counter()
        source_sha = make_source(source, size)
        log(f"source ready in {time.perf_counter() - t0:.1f} s (sha256 {source_sha[:16]}…)")

        disk_target = data_dir / "ceiling-disk.bin"
        settle(args, None)
        disk_runs = [disk_write(source, disk_target, args.disk_write_kb * 1024)]
        log(f"disk ceiling: {disk_runs[-1]}")
        # The same again at once, into the memory just freed: what "warm" looks like here.
        disk_warm = disk_write(source, disk_target, args.disk_write_kb * 1024)
        log(f"disk, warm (right after freeing the same amount): {disk_warm}")
        settle(args, None)
        loopback = loopback_copy(source, None, args.read_kb * 1024)
        log(f"loopback ceiling: {loopback}")
        settle(args, None)
        loop_disk = loopback_copy(source, data_dir / "ceiling-socket.bin", args.read_kb * 1024)
        log(f"loopback to disk: {loop_disk}")

        port = args.port or fanout.free_port()
        server = start_server(args, data_dir, port, size)
        base = f"http://{LOOPBACK}:{port}"
        monitor = TreeMonitor(server.pid, args.sample_ms / 1000)
        runs: list[dict[str, Any]] = []
        try:
            token = owner_token(base, size)
            wait_idle(monitor)
            idle_rss = monitor.rss()
            idle_hwm = monitor.lifetime_peak_rss()  # start-up's own peak, before any transfer
            log(f"server pid {server.pid} on {base}, idle RSS {mb(idle_rss)} MB")
            for round_no in range(args.repeat):
                for name, client, chunk in plan:
                    run = one_run(args, name, client, chunk, base, token, source, size, source_sha, monitor,
                                  server.pid, disk_target)  # fmt: skip
                    run["round"] = round_no + 1
                    runs.append(run)
                    disk_runs.append({**{"before": f"{name} #{round_no + 1}"}, "mb_s": run["disk_write_mb_s_before"]})
                    # The file was checked; its bytes are not needed any more (keeps disk use at ~3 x size).
                    shutil.rmtree(data_dir / "files" / "objects", ignore_errors=True)
            lifetime_peak = monitor.lifetime_peak_rss()
            if server.poll() is not None:
                raise RuntimeError(f"server died: {fanout.tail(data_dir / 'server.log')}")
        except Exception:
            log("server log tail:\n" + fanout.tail(data_dir / "server.log"))
            raise
        finally:
            monitor.close()
            fanout.stop_popen(server, "hobnail server")
        log_errors = fanout.server_log_errors(data_dir / "server.log")
        settle(args, None)
        disk_runs.append(disk_write(source, disk_target, args.disk_write_kb * 1024))
        log(f"disk ceiling at the end: {disk_runs[-1]}")

        disk_median = median([r["mb_s"] for r in disk_runs])
        for run in runs:
            run["upload_ratio_to_disk"] = round(run["upload_mb_s"] / disk_median, 3)
        summary = summarize(runs, disk_median)
        primary = summary[plan[0][0]]
        server_peak = max(v["server_peak_rss_mb"] for v in summary.values())
        result = {
            "size_mb": args.size_mb,
            "chunk_mb": [c / MIB for c in chunks],
            "client": clients,
            "repeat": args.repeat,
            "primary_run": plan[0][0],
            "upload_mb_s": primary["upload_mb_s"],
            "download_mb_s": median([r["download_mb_s"] for r in runs]),
            "server_peak_rss_mb": server_peak,
            "disk_write_mb_s": disk_median,
            "loopback_mb_s": loopback["mb_s"],
            "loopback_to_disk_mb_s": loop_disk["mb_s"],
            "upload_ratio_to_disk": primary["upload_ratio_to_disk"],
            "goal_upload_ratio_met": primary["goal_upload_ratio_met"],
            "goal_rss_met": server_peak < 150,
            "ok": all(r["ok"] for r in runs),
            "summary": summary,
            "runs": runs,
            "ceilings": {
                "disk_write_mb_s_min": min(r["mb_s"] for r in disk_runs),
                "disk_write_mb_s_max": max(r["mb_s"] for r in disk_runs),
                "disk_write": disk_runs,
                "disk_write_warm": disk_warm,
                "loopback": loopback,
                "loopback_to_disk": loop_disk,
            },
            "server": {
                "idle_rss_mb": mb(idle_rss),
                "startup_peak_rss_mb": mb(idle_hwm),
                "lifetime_peak_rss_mb": mb(lifetime_peak),
                "rss_sample_ms": args.sample_ms,
                "migrated_in_serve": args.migrate_in_serve,
                "log_errors": log_errors,
            },
            "machine": {
                "cores": os.cpu_count(),
                "loadavg_start": [round(x, 2) for x in load_start],
                "loadavg_end": [round(x, 2) for x in os.getloadavg()],
                "disk": filesystem_of(data_dir),
            },
            "python": sys.version.split()[0],
            "hobnail_source": fanout.hobnail_source(),
            "wall_s": round(time.monotonic() - started, 1),
        }
    finally:
        fanout.run_cleanups()
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
