"""Loading attendance rows an actor may touch (missing and forbidden look the same)."""

from __future__ import annotations

from hobnail.core.errors import NotFound
from hobnail.db.session import Session
from hobnail.domains.accounts.access import Actor, require_admin
from hobnail.domains.attendance import repository
from hobnail.models import AttendanceGroup, AttendancePunch


class GroupNotFound(NotFound):
    code = "attendance_group_not_found"
    message = "No such attendance group."


class PunchNotFound(NotFound):
    code = "punch_not_found"
    message = "No such punch."


async def access_group(session: Session, actor: Actor, group_id: str) -> AttendanceGroup:
    """Admins only."""
    require_admin(actor)
    group = await repository.group(session, actor.org_id, group_id)
    if group is None:
        raise GroupNotFound()
    return group


async def access_punch_for_review(session: Session, actor: Actor, punch_id: str) -> AttendancePunch:
    require_admin(actor)
    punch = await repository.punch(session, actor.org_id, punch_id)
    if punch is None:
        raise PunchNotFound()
    return punch
