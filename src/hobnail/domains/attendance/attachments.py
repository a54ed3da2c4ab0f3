"""A field punch's photo may be read by the person who took it and by the admins."""

from __future__ import annotations

import sqlalchemy as sa

from hobnail.db.session import Session
from hobnail.domains.accounts.access import Actor
from hobnail.domains.files import access as files_access
from hobnail.models import AttendancePunch


async def _sees_a_punch_with(session: Session, actor: Actor, file_id: str) -> bool:
    owner = await session.scalar(
        sa.select(AttendancePunch.user_id)
        .where(AttendancePunch.org_id == actor.org_id, AttendancePunch.photo_file_id == file_id)
        .limit(1)
    )
    return owner is not None and (owner == actor.user_id or actor.is_admin)


async def _on_a_punch(session: Session, file_id: str) -> bool:
    found = await session.scalar(sa.select(AttendancePunch.id).where(AttendancePunch.photo_file_id == file_id).limit(1))
    return found is not None


def register() -> None:
    files_access.register_reader("attendance", _sees_a_punch_with)
    files_access.register_referrer("attendance", _on_a_punch)
