"""Durable subscribers: a domain reacting to another domain's events without importing it.

``subscribe("member.updated", "messaging.sync_department_groups", handler)`` registers a
job kind; when the relay numbers a ``member.updated`` event it enqueues one job per
subscriber in the same transaction, so a reaction is never lost and runs once (see
``jobs.runner``). The handler gets the event in its wire form.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

from hobnail.db.session import Session
from hobnail.jobs import registry

SubscriberHandler = Callable[[Session, dict[str, Any]], Awaitable[None]]

_kinds_by_type: dict[str, list[str]] = defaultdict(list)


def subscribe(event_type: str, name: str, handler: SubscriberHandler) -> None:
    kind = f"subscriber:{name}"
    registry.register(kind, handler)
    if kind not in _kinds_by_type[event_type]:
        _kinds_by_type[event_type].append(kind)


def job_kinds_for(event_type: str) -> list[str]:
    return list(_kinds_by_type.get(event_type, ()))
