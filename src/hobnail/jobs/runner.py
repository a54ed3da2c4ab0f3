"""The job runner: claims due jobs, runs each in its own unit of work, retries with backoff.

Exactly once, as far as the database is concerned: a job's effects and its being marked
done commit in one transaction; a claim is a lease (``locked_until``), so a job whose
node died mid-run is taken again after the lease. On PostgreSQL claims use
``FOR UPDATE SKIP LOCKED`` so several nodes never take the same job.
"""

from __future__ import annotations

import logging
import traceback
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import async_sessionmaker

from hobnail.core import clock
from hobnail.core.loops import WakeableLoop
from hobnail.db.session import Session
from hobnail.jobs import registry
from hobnail.jobs.queue import enqueue
from hobnail.models import Job

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
MAX_BACKOFF = timedelta(hours=1)


def backoff(attempts: int) -> timedelta:
    return min(timedelta(seconds=2 ** min(attempts, 20)), MAX_BACKOFF)


class JobRunner(WakeableLoop):
    name = "job-runner"

    def __init__(self, sessionmaker: async_sessionmaker[Session], poll_seconds: float = 1.0) -> None:
        super().__init__(poll_seconds)
        self._sessionmaker = sessionmaker

    async def work_pass(self) -> None:
        await self.schedule_periodic()
        while await self.run_due() > 0:
            pass

    async def schedule_periodic(self) -> None:
        """Make sure each periodic kind has one pending job (its key dedupes across nodes)."""
        for periodic in registry.periodic_jobs():
            async with self._sessionmaker() as session:
                try:
                    await enqueue(session, periodic.kind, dedupe_key=f"periodic:{periodic.kind}")
                    await session.commit()
                except sa.exc.IntegrityError:
                    await session.rollback()  # another node scheduled it first

    async def _claim(self, limit: int) -> list[str]:
        now = clock.now()
        async with self._sessionmaker() as session:
            due = sa.or_(
                sa.and_(Job.status == "pending", Job.run_at <= now),
                sa.and_(Job.status == "running", Job.locked_until < now),
            )
            query = sa.select(Job.id).where(due).order_by(Job.run_at).limit(limit)
            if session.get_bind().dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            ids = list((await session.scalars(query)).all())
            if ids:
                await session.execute(
                    sa.update(Job)
                    .where(Job.id.in_(ids))
                    .values(status="running", locked_until=now + LEASE, attempts=Job.attempts + 1)
                )
            await session.commit()
            return ids

    async def run_due(self, limit: int = 20) -> int:
        """Run the jobs due now. Returns how many were claimed. Tests call this directly."""
        ids = await self._claim(limit)
        for job_id in ids:
            await self._run_one(job_id)
        return len(ids)

    async def _run_one(self, job_id: str) -> None:
        async with self._sessionmaker() as session:
            job = await session.get(Job, job_id)
            if job is None or job.status != "running":
                return
            external = registry.external_handler_for(job.kind)
            if external is not None:
                kind, payload = job.kind, dict(job.payload)
                await session.rollback()
        if external is not None:
            await self._run_external(job_id, kind, payload, external)
            return
        async with self._sessionmaker() as session:
            job = await session.get(Job, job_id)
            if job is None or job.status != "running":
                return
            handler = registry.handler_for(job.kind)
            try:
                if handler is None:
                    raise LookupError(f"no handler registered for job kind {job.kind!r}")
                await handler(session, dict(job.payload))
                job.status = "done"
                job.finished_at = clock.now()
                job.dedupe_key = None
                periodic = next((p for p in registry.periodic_jobs() if p.kind == job.kind), None)
                await session.flush()
                if periodic is not None:
                    await enqueue(
                        session, job.kind, run_at=clock.now() + periodic.every, dedupe_key=f"periodic:{job.kind}"
                    )
                await session.commit()
                return
            except Exception:
                error = traceback.format_exc(limit=5)
                log.warning("job failed", extra={"job_id": job_id, "kind": job.kind})
                await session.rollback()
        await self._record_failure(job_id, error)

    async def _run_external(
        self, job_id: str, kind: str, payload: dict[str, Any], handler: registry.ExternalJobHandler
    ) -> None:
        try:
            await handler(self._sessionmaker, payload)
        except Exception:
            log.warning("job failed", extra={"job_id": job_id, "kind": kind})
            await self._record_failure(job_id, traceback.format_exc(limit=5))
            return
        async with self._sessionmaker() as session:
            job = await session.get(Job, job_id)
            if job is not None:
                job.status, job.finished_at, job.dedupe_key = "done", clock.now(), None
                await session.flush()
                periodic = next((p for p in registry.periodic_jobs() if p.kind == kind), None)
                if periodic is not None:
                    await enqueue(session, kind, run_at=clock.now() + periodic.every, dedupe_key=f"periodic:{kind}")
                await session.commit()

    async def _record_failure(self, job_id: str, error: str) -> None:
        async with self._sessionmaker() as session:
            job = await session.get(Job, job_id)
            if job is None:
                return
            job.last_error = error[-4000:]
            if job.attempts >= job.max_attempts:
                job.status = "failed"
                job.finished_at = clock.now()
                job.dedupe_key = None
            else:
                job.status = "pending"
                job.run_at = clock.now() + backoff(job.attempts)
                job.locked_until = None
            await session.commit()
