"""Typed domain events and the topics that say who may receive them.

A domain declares its events as frozen dataclasses in ``domains/<name>/events.py``:

    @dataclass(frozen=True, kw_only=True)
    class DepartmentCreated(DomainEvent):
        type: ClassVar[str] = "department.created"
        department: dict[str, Any]

``audience`` is a tuple of topics (see ``topics``); ``resubscribe`` names users whose
open connections must change their topics: add ``grant`` / drop ``revoke`` when given
(no database work, even for 10,000 people), else recompute them from the database.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, ClassVar


@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    type: ClassVar[str]
    org_id: str | None
    audience: tuple[str, ...]
    resubscribe: tuple[str, ...] = field(default=())
    grant: str | None = None
    revoke: str | None = None

    def data(self) -> dict[str, Any]:
        skip = {"org_id", "audience", "resubscribe", "grant", "revoke"}
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name not in skip}


class topics:  # noqa: N801 - a namespace of topic builders
    @staticmethod
    def org(org_id: str) -> str:
        return f"org:{org_id}"

    @staticmethod
    def user(user_id: str) -> str:
        return f"user:{user_id}"

    @staticmethod
    def admins(org_id: str) -> str:
        return f"admins:{org_id}"

    @staticmethod
    def chat(conversation_id: str) -> str:
        return f"chat:{conversation_id}"
