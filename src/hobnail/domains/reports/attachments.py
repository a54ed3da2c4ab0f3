"""Files attached to a report may be read by everyone who may read the report."""

from __future__ import annotations

import sqlalchemy as sa

from hobnail.core.errors import NotFound
from hobnail.db.session import Session
from hobnail.domains.accounts.access import Actor
from hobnail.domains.files import access as files_access
from hobnail.domains.reports.service import access_report
from hobnail.models import ReportFile


async def _reads_a_report_with(session: Session, actor: Actor, file_id: str) -> bool:
    for report_id in await session.scalars(sa.select(ReportFile.report_id).where(ReportFile.file_id == file_id)):
        try:
            await access_report(session, actor, report_id)
            return True
        except NotFound:
            continue
    return False


async def _on_a_report(session: Session, file_id: str) -> bool:
    return (
        await session.scalar(sa.select(ReportFile.report_id).where(ReportFile.file_id == file_id).limit(1)) is not None
    )


def register() -> None:
    files_access.register_reader("reports", _reads_a_report_with)
    files_access.register_referrer("reports", _on_a_report)
