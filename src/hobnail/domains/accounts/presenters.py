"""Turning rows into the API's shapes (also used as event payloads, so both agree)."""

from __future__ import annotations

from typing import Any

from hobnail.core.clock import isoformat
from hobnail.models import Department, Membership, Organization, User


def avatar_url(user: User) -> str | None:
    return f"/api/v1/avatars/{user.avatar_key}" if user.avatar_key else None


def user_view(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "phone": user.phone,
        "language": user.language,
        "timezone": user.timezone,
        "avatar_url": avatar_url(user),
        "quiet_hours_start": user.quiet_hours_start,
        "quiet_hours_end": user.quiet_hours_end,
    }


def org_view(org: Organization, membership: Membership | None = None) -> dict[str, Any]:
    return {
        "id": org.id,
        "name": org.name,
        "timezone": org.timezone,
        "language": org.language,
        "kind": org.kind,
        "role": membership.role if membership else None,
        "member_kind": membership.kind if membership else None,
    }


def department_view(
    department: Department, member_count: int = 0, manager_ids: list[str] | None = None
) -> dict[str, Any]:
    return {
        "id": department.id,
        "name": department.name,
        "parent_id": department.parent_id,
        "position": department.position,
        "member_count": member_count,
        "manager_ids": manager_ids or [],
    }


def member_view(user: User, membership: Membership, department_ids: list[str]) -> dict[str, Any]:
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "phone": user.phone,
        "title": membership.title,
        "employee_no": membership.employee_no,
        "role": membership.role,
        "status": membership.status,
        "department_ids": list(department_ids),
        "avatar_url": avatar_url(user),
        "joined_at": isoformat(membership.created_at),
        "work_start_on": membership.work_start_on.isoformat() if membership.work_start_on else None,
    }
