"""Files attached to a notice may be read by whoever may read the notice: its author,
the classes' teachers, the school's admins and the families it reached."""

from __future__ import annotations

import sqlalchemy as sa

from hobnail.core.errors import NotFound
from hobnail.db.session import Session
from hobnail.domains.accounts.access import Actor
from hobnail.domains.education.notices import access_notice
from hobnail.domains.files import access as files_access
from hobnail.models import SchoolNoticeFile


async def _reads_a_notice_with(session: Session, actor: Actor, file_id: str) -> bool:
    for notice_id in await session.scalars(
        sa.select(SchoolNoticeFile.notice_id).where(SchoolNoticeFile.file_id == file_id)
    ):
        try:
            await access_notice(session, actor, notice_id)
            return True
        except NotFound:
            continue
    return False


async def _on_a_notice(session: Session, file_id: str) -> bool:
    found = await session.scalar(sa.select(SchoolNoticeFile.notice_id).where(SchoolNoticeFile.file_id == file_id))
    return found is not None


def register() -> None:
    files_access.register_reader("school_notices", _reads_a_notice_with)
    files_access.register_referrer("school_notices", _on_a_notice)
