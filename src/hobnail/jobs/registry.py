"""Job handlers and periodic schedules, registered by domains where the app or worker starts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker

from hobnail.db.session import Session

JobHandler = Callable[[Session, dict[str, Any]], Awaitable[None]]
# Handlers that talk to the outside world (SMTP, SMS gateways) get the sessionmaker and
# open short units of work around their network calls, so no transaction (and on SQLite
# no write lock) is held while a provider answers.
ExternalJobHandler = Callable[[async_sessionmaker[Session], dict[str, Any]], Awaitable[None]]


@dataclass(frozen=True)
class Periodic:
    kind: str
    every: timedelta


_handlers: dict[str, JobHandler] = {}
_external: dict[str, ExternalJobHandler] = {}
_periodic: dict[str, Periodic] = {}


def register(kind: str, handler: JobHandler, *, every: timedelta | None = None) -> None:
    """Register ``handler`` for jobs of ``kind``; with ``every`` it also runs periodically."""
    _handlers[kind] = handler
    if every is not None:
        _periodic[kind] = Periodic(kind, every)


def register_external(kind: str, handler: ExternalJobHandler, *, every: timedelta | None = None) -> None:
    """Register a handler that manages its own units of work (see ExternalJobHandler);
    with ``every`` it also runs periodically.
    Precondition: it is idempotent, since a crash after its own commit repeats it."""
    _external[kind] = handler
    if every is not None:
        _periodic[kind] = Periodic(kind, every)


def handler_for(kind: str) -> JobHandler | None:
    return _handlers.get(kind)


def external_handler_for(kind: str) -> ExternalJobHandler | None:
    return _external.get(kind)


def periodic_jobs() -> list[Periodic]:
    return list(_periodic.values())
