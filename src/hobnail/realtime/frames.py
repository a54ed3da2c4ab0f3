"""Writing one pre-built WebSocket frame to many connections.

Frames from server to client are not masked, so an event's frame is the same bytes for
every recipient: build it once, then ``transport.write`` it to each connection. This is
what the raw ``websockets.broadcast()`` does, and it saves the per-connection encoding of
the ASGI path (measured: most of the fan-out cost; see docs/performance.md). It needs the
uvicorn protocol under the ASGI ``send`` callable; when that cannot be found (another
server), the gateway falls back to ``websocket.send_text``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.websockets import WebSocket

# Past this much unsent data, a client is too slow: it is closed and resumes from its cursor.
MAX_BUFFERED = 4 * 1024 * 1024


def text_frame(payload: bytes) -> bytes:
    """An unmasked, unfragmented text frame (RFC 6455 §5.2)."""
    size = len(payload)
    if size < 126:
        header = bytes((0x81, size))
    elif size < 1 << 16:
        header = bytes((0x81, 126)) + size.to_bytes(2, "big")
    else:
        header = bytes((0x81, 127)) + size.to_bytes(8, "big")
    return header + payload


def _protocol_of(send: Any, depth: int = 0) -> Any:
    """The uvicorn protocol behind an ASGI send callable, through middleware closures."""
    owner = getattr(send, "__self__", None)
    # Duck-typed: uvloop's transports are not asyncio.Transport subclasses.
    transport = getattr(owner, "transport", None) if owner is not None else None
    if transport is not None and all(hasattr(transport, m) for m in ("write", "is_closing", "get_write_buffer_size")):
        return owner
    if depth >= 6:
        return None
    for cell in getattr(send, "__closure__", None) or ():
        try:
            inner = cell.cell_contents
        except ValueError:
            continue
        if callable(inner):
            found = _protocol_of(inner, depth + 1)
            if found is not None:
                return found
    return None


class DirectWriter:
    """Writes pre-built frames to one connection's transport; None if unavailable."""

    def __init__(self, transport: asyncio.Transport, protocol: Any) -> None:
        self._transport = transport
        self._protocol = protocol

    @classmethod
    def for_websocket(cls, websocket: WebSocket) -> DirectWriter | None:
        protocol = _protocol_of(getattr(websocket, "_send", None))
        if protocol is None or getattr(protocol, "conn", None) is None:
            return None
        return cls(protocol.transport, protocol)

    def write(self, frame: bytes) -> bool:
        """Write now. False if the connection is closing or too far behind."""
        if self._transport.is_closing() or getattr(self._protocol, "disconnected", False):
            return False
        if self._transport.get_write_buffer_size() > MAX_BUFFERED:
            return False
        self._transport.write(frame)
        return True
