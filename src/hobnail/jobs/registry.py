"""Job handlers and periodic schedules, registered by domains where the app or worker starts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from hobnail.db.session import Session

JobHandler = Callable[[Session, dict[str, Any]], Awaitable[None]]


@dataclass(frozen=True)
class Periodic:
    kind: str
    every: timedelta


_handlers: dict[str, JobHandler] = {}
_periodic: dict[str, Periodic] = {}


def register(kind: str, handler: JobHandler, *, every: timedelta | None = None) -> None:
    """Register ``handler`` for jobs of ``kind``; with ``every`` it also runs periodically."""
    _handlers[kind] = handler
    if every is not None:
        _periodic[kind] = Periodic(kind, every)


def handler_for(kind: str) -> JobHandler | None:
    return _handlers.get(kind)


def periodic_jobs() -> list[Periodic]:
    return list(_periodic.values())
