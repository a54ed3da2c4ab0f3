"""A webhook receiver as an integrator would write one: a plain HTTP server (standard
library, its own thread) that checks Hobnail's signature with its own code, answers the
URL-verification challenge, and records what it got. Tests set how it answers."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def signature_valid(self, secret: str) -> bool:
        timestamp = self.headers.get("x-hobnail-timestamp", "")
        expected = "v1=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + self.body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, self.headers.get("x-hobnail-signature", ""))


@dataclass
class Receiver:
    url: str
    status: int = 200
    echo_challenge: bool = True
    hold: threading.Event | None = None  # when set, each event waits until the test releases it
    received: list[Received] = field(default_factory=list)

    def events(self) -> list[Received]:
        return [r for r in self.received if r.headers.get("x-hobnail-event") != "url_verification"]


@contextlib.contextmanager
def webhook_receiver() -> Iterator[Receiver]:
    receiver = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            got = Received({k.lower(): v for k, v in self.headers.items()}, body)
            receiver.received.append(got)
            if got.headers.get("x-hobnail-event") == "url_verification":
                answer = json.dumps({"challenge": got.json()["challenge"] if receiver.echo_challenge else "no"})
                self._answer(200, answer.encode())
                return
            if receiver.hold is not None:
                receiver.hold.wait(timeout=30)
            self._answer(receiver.status, b"{}")

        def _answer(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/hobnail"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        if receiver.hold is not None:
            receiver.hold.set()
        server.shutdown()
        server.server_close()
