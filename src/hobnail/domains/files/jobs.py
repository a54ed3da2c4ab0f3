"""Background work of files: reclaiming uploads nobody finished."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker

from hobnail.core.config import Settings
from hobnail.db.session import Session
from hobnail.domains.files.uploads import Uploads, reclaim_expired
from hobnail.jobs import registry
from hobnail.storage.factory import make_storage

log = logging.getLogger(__name__)
EXPIRE_EVERY = timedelta(minutes=30)


def register_jobs(settings: Settings) -> None:
    storage = make_storage(settings)

    async def expire(sessionmaker: async_sessionmaker[Session], _payload: dict[str, Any]) -> None:
        reclaimed = await reclaim_expired(Uploads(sessionmaker, storage, settings))
        if reclaimed:
            log.info("expired uploads reclaimed", extra={"count": reclaimed})

    async def delete_bytes(_sessionmaker: async_sessionmaker[Session], payload: dict[str, Any]) -> None:
        for key in payload["keys"]:
            await storage.delete(key)  # idempotent; a StorageError fails the job, which is retried

    registry.register_external("files.expire", expire, every=EXPIRE_EVERY)
    registry.register_external("files.delete_bytes", delete_bytes)
