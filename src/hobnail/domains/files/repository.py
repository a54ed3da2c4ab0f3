"""SQL of files."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from hobnail.db.session import Session
from hobnail.models import InstanceSecret, StoredFile


async def file_in_org(session: Session, org_id: str, file_id: str) -> StoredFile | None:
    return await session.scalar(sa.select(StoredFile).where(StoredFile.id == file_id, StoredFile.org_id == org_id))


async def files_by_id(session: Session, file_ids: list[str]) -> dict[str, StoredFile]:
    if not file_ids:
        return {}
    rows = await session.scalars(sa.select(StoredFile).where(StoredFile.id.in_(file_ids)))
    return {row.id: row for row in rows}


async def bytes_used(session: Session, org_id: str) -> int:
    """Complete files plus the declared size of uploads in progress (they reserve their space)."""
    total = await session.scalar(sa.select(sa.func.coalesce(sa.func.sum(StoredFile.size), 0)).where(
        StoredFile.org_id == org_id
    ))  # fmt: skip
    return int(total or 0)


async def count_files(session: Session, org_id: str) -> int:
    return int(await session.scalar(sa.select(sa.func.count()).where(StoredFile.org_id == org_id)) or 0)


async def record_progress(
    session: Session, file_id: str, *, old_offset: int, new_offset: int, state: dict[str, Any], expires_at: datetime
) -> bool:
    """Move an upload's offset, only if nobody moved it meanwhile. Returns whether it did."""
    result = await session.execute(
        sa.update(StoredFile)
        .where(StoredFile.id == file_id, StoredFile.offset == old_offset, StoredFile.status == "uploading")
        .values(offset=new_offset, storage_state=state, expires_at=expires_at)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def my_uploads(session: Session, org_id: str, owner_id: str) -> list[StoredFile]:
    rows = await session.scalars(
        sa.select(StoredFile)
        .where(StoredFile.org_id == org_id, StoredFile.owner_id == owner_id, StoredFile.status == "uploading")
        .order_by(StoredFile.created_at.desc())
        .limit(100)
    )
    return list(rows)


async def expired_uploads(session: Session, now: datetime, limit: int) -> list[StoredFile]:
    rows = await session.scalars(
        sa.select(StoredFile)
        .where(StoredFile.status == "uploading", StoredFile.expires_at < now)
        .order_by(StoredFile.expires_at)
        .limit(limit)
    )
    return list(rows)


async def delete_if_expired(session: Session, file_id: str, now: datetime) -> bool:
    result = await session.execute(
        sa.delete(StoredFile).where(
            StoredFile.id == file_id, StoredFile.status == "uploading", StoredFile.expires_at < now
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def secret(session: Session, name: str) -> str | None:
    return await session.scalar(sa.select(InstanceSecret.value).where(InstanceSecret.name == name))
