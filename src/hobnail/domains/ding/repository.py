"""SQL for DING."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from hobnail.db.session import Session
from hobnail.models import Ding, DingAttempt, DingRecipient, DingReply


async def recipients(session: Session, ding_id: str) -> list[DingRecipient]:
    return list((await session.scalars(sa.select(DingRecipient).where(DingRecipient.ding_id == ding_id))).all())


async def recipient(session: Session, ding_id: str, user_id: str) -> DingRecipient | None:
    return await session.get(DingRecipient, (ding_id, user_id))


async def unconfirmed(session: Session, ding_id: str) -> list[DingRecipient]:
    return list(
        (
            await session.scalars(
                sa.select(DingRecipient).where(DingRecipient.ding_id == ding_id, DingRecipient.confirmed_at.is_(None))
            )
        ).all()
    )


async def progress(session: Session, ding_id: str) -> tuple[int, int]:
    row = (
        await session.execute(
            sa.select(sa.func.count(), sa.func.count(DingRecipient.confirmed_at)).where(
                DingRecipient.ding_id == ding_id
            )
        )
    ).one()
    return int(row[1]), int(row[0])


async def progress_many(session: Session, ding_ids: list[str]) -> dict[str, tuple[int, int]]:
    if not ding_ids:
        return {}
    rows = await session.execute(
        sa.select(DingRecipient.ding_id, sa.func.count(), sa.func.count(DingRecipient.confirmed_at))
        .where(DingRecipient.ding_id.in_(ding_ids))
        .group_by(DingRecipient.ding_id)
    )
    return {ding_id: (int(confirmed), int(total)) for ding_id, total, confirmed in rows.all()}


async def attempts(session: Session, ding_id: str, user_id: str | None = None) -> list[DingAttempt]:
    query = sa.select(DingAttempt).where(DingAttempt.ding_id == ding_id)
    if user_id is not None:
        query = query.where(DingAttempt.user_id == user_id)
    return list((await session.scalars(query.order_by(DingAttempt.created_at, DingAttempt.id))).all())


async def replies(session: Session, ding_id: str) -> list[DingReply]:
    return list(
        (
            await session.scalars(
                sa.select(DingReply).where(DingReply.ding_id == ding_id).order_by(DingReply.created_at)
            )
        ).all()
    )


async def sent_since(session: Session, sender_id: str, since: datetime) -> int:
    return int(
        await session.scalar(
            sa.select(sa.func.count()).select_from(Ding).where(Ding.sender_id == sender_id, Ding.created_at >= since)
        )
        or 0
    )


async def usage(session: Session, org_id: str, since: datetime) -> dict[str, int]:
    """SMS and voice attempts that went out (or are queued) this period."""
    rows = await session.execute(
        sa.select(DingAttempt.channel, sa.func.count())
        .where(
            DingAttempt.org_id == org_id,
            DingAttempt.created_at >= since,
            DingAttempt.channel.in_(("sms", "voice")),
            DingAttempt.status.not_in(("skipped", "failed")),
        )
        .group_by(DingAttempt.channel)
    )
    found = {channel: int(n) for channel, n in rows.all()}
    return {"sms": found.get("sms", 0), "voice": found.get("voice", 0)}


async def received(session: Session, org_id: str, user_id: str, limit: int) -> list[tuple[Ding, DingRecipient]]:
    rows = await session.execute(
        sa.select(Ding, DingRecipient)
        .join(DingRecipient, DingRecipient.ding_id == Ding.id)
        .where(DingRecipient.user_id == user_id, Ding.org_id == org_id, Ding.status != "scheduled")
        .order_by(DingRecipient.confirmed_at.is_not(None), Ding.sent_at.desc())
        .limit(limit)
    )
    return [(d, r) for d, r in rows.all()]


async def sent(session: Session, org_id: str, sender_id: str, limit: int) -> list[Ding]:
    return list(
        (
            await session.scalars(
                sa.select(Ding)
                .where(Ding.sender_id == sender_id, Ding.org_id == org_id)
                .order_by(Ding.created_at.desc())
                .limit(limit)
            )
        ).all()
    )


async def file_visible_to(session: Session, user_id: str, file_id: str) -> bool:
    """Is the file attached to a DING (not recalled) that ``user_id`` sent or received?"""
    received = sa.exists().where(DingRecipient.ding_id == Ding.id, DingRecipient.user_id == user_id)
    found = await session.scalar(
        sa.select(Ding.id)
        .where(Ding.file_id == file_id, Ding.recalled_at.is_(None), sa.or_(Ding.sender_id == user_id, received))
        .limit(1)
    )
    return found is not None


async def file_on_a_ding(session: Session, file_id: str) -> bool:
    found = await session.scalar(sa.select(Ding.id).where(Ding.file_id == file_id, Ding.recalled_at.is_(None)).limit(1))
    return found is not None
