"""Events of the accounts domain. Names are ``resource.past_verb``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from hobnail.events.base import DomainEvent


@dataclass(frozen=True, kw_only=True)
class OrganizationUpdated(DomainEvent):
    type: ClassVar[str] = "organization.updated"
    organization: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class DepartmentCreated(DomainEvent):
    type: ClassVar[str] = "department.created"
    department: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class DepartmentUpdated(DomainEvent):
    type: ClassVar[str] = "department.updated"
    department: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class DepartmentDeleted(DomainEvent):
    type: ClassVar[str] = "department.deleted"
    department_id: str


@dataclass(frozen=True, kw_only=True)
class MemberAdded(DomainEvent):
    type: ClassVar[str] = "member.added"
    member: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class MemberUpdated(DomainEvent):
    type: ClassVar[str] = "member.updated"
    member: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class JoinRequestCreated(DomainEvent):
    type: ClassVar[str] = "join_request.created"
    join_request: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class JoinRequestDecided(DomainEvent):
    type: ClassVar[str] = "join_request.decided"
    join_request: dict[str, Any]
