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
# A cheap test on the event's wire form, run by the relay: only events it accepts become
# jobs (a subscriber of message.sent that cares about a few messages costs no job per message).
SubscriberFilter = Callable[[dict[str, Any]], bool]

_kinds_by_type: dict[str, list[tuple[str, SubscriberFilter | None]]] = defaultdict(list)


def subscribe(event_type: str, name: str, handler: SubscriberHandler, when: SubscriberFilter | None = None) -> None:
    kind = f"subscriber:{name}"
    registry.register(kind, handler)
    if all(existing != kind for existing, _ in _kinds_by_type[event_type]):
        _kinds_by_type[event_type].append((kind, when))


def job_kinds_for(event_type: str, wire: dict[str, Any] | None = None) -> list[str]:
    """The subscriber job kinds an event starts (those whose filter accepts ``wire``)."""
    return [kind for kind, when in _kinds_by_type.get(event_type, ()) if when is None or wire is None or when(wire)]
