"""SQL for work reports."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from hobnail.db.session import Session
from hobnail.models import ReportComment, ReportLike, ReportRecipient, WorkReport


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def report(session: Session, org_id: str, report_id: str) -> WorkReport | None:
    return await session.scalar(sa.select(WorkReport).where(WorkReport.org_id == org_id, WorkReport.id == report_id))


async def by_client_id(session: Session, author_id: str, client_id: str) -> WorkReport | None:
    return await session.scalar(
        sa.select(WorkReport).where(WorkReport.author_id == author_id, WorkReport.client_id == client_id)
    )


async def recipients(session: Session, report_id: str) -> list[ReportRecipient]:
    rows = await session.scalars(sa.select(ReportRecipient).where(ReportRecipient.report_id == report_id))
    return list(rows)


async def set_recipients(session: Session, report_id: str, user_ids: Sequence[str]) -> None:
    await session.execute(sa.delete(ReportRecipient).where(ReportRecipient.report_id == report_id))
    if user_ids:
        await session.execute(
            sa.insert(ReportRecipient), [{"report_id": report_id, "user_id": u, "read_at": None} for u in user_ids]
        )


async def comments(session: Session, report_id: str) -> list[ReportComment]:
    rows = await session.scalars(
        sa.select(ReportComment).where(ReportComment.report_id == report_id).order_by(ReportComment.created_at)
    )
    return list(rows)


async def likes(session: Session, report_id: str) -> list[str]:
    rows = await session.scalars(
        sa.select(ReportLike.user_id).where(ReportLike.report_id == report_id).order_by(ReportLike.created_at)
    )
    return list(rows)


async def listing(
    session: Session,
    org_id: str,
    user_id: str,
    *,
    box: str,
    template_id: str | None,
    author_ids: Sequence[str] | None,
    since: datetime | None,
    until: datetime | None,
    words: Sequence[str],
    visible_chats: Sequence[str],
    admin: bool,
    limit: int,
    before: datetime | None,
) -> list[tuple[WorkReport, datetime | None]]:
    """Reports for a box, newest first; the inbox puts unread first. Each with the user's
    read time (None: unread, or not a recipient)."""
    read = (
        sa.select(ReportRecipient.read_at)
        .where(ReportRecipient.report_id == WorkReport.id, ReportRecipient.user_id == user_id)
        .scalar_subquery()
    )
    query = sa.select(WorkReport, read).where(WorkReport.org_id == org_id)
    received = sa.exists().where(ReportRecipient.report_id == WorkReport.id, ReportRecipient.user_id == user_id)
    if box == "inbox":
        query = query.where(WorkReport.status == "submitted", received)
    elif box == "sent":
        query = query.where(WorkReport.author_id == user_id, WorkReport.status == "submitted")
    elif box == "drafts":
        query = query.where(WorkReport.author_id == user_id, WorkReport.status == "draft")
    else:  # everything the user may read: own, received, posted to their chats, or all (admins)
        query = query.where(WorkReport.status == "submitted")
        if not admin:
            shared = [WorkReport.author_id == user_id, received]
            for chat_id in visible_chats:
                shared.append(sa.cast(WorkReport.chat_ids, sa.Text).contains(chat_id))
            query = query.where(sa.or_(*shared))
    if template_id:
        query = query.where(WorkReport.template_id == template_id)
    if author_ids is not None:
        query = query.where(WorkReport.author_id.in_(author_ids))
    if since is not None:
        query = query.where(WorkReport.submitted_at >= since)
    if until is not None:
        query = query.where(WorkReport.submitted_at < until)
    if before is not None:
        query = query.where(sa.func.coalesce(WorkReport.submitted_at, WorkReport.created_at) < before)
    for word in words:
        query = query.where(WorkReport.search_text.like(f"%{_escape_like(word)}%", escape="\\"))
    order: list[Any] = []
    if box == "inbox":
        order.append(read.is_not(None))
    order.append(sa.func.coalesce(WorkReport.submitted_at, WorkReport.created_at).desc())
    rows = await session.execute(query.order_by(*order).limit(limit))
    return [(row[0], row[1]) for row in rows.all()]


async def submitted_in(session: Session, template_id: str, keys: Sequence[str]) -> list[WorkReport]:
    if not keys:
        return []
    rows = await session.scalars(
        sa.select(WorkReport).where(
            WorkReport.template_id == template_id, WorkReport.status == "submitted", WorkReport.period_key.in_(keys)
        )
    )
    return list(rows)
