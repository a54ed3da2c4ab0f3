from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi import FastAPI

from hobnail.core import clock
from hobnail.db.session import Session
from hobnail.jobs import queue, registry
from hobnail.jobs.runner import JobRunner
from hobnail.models import Job, Organization

runs: list[dict[str, Any]] = []


async def remember(session: Session, payload: dict[str, Any]) -> None:
    runs.append(payload)
    # The job's own database effect commits together with its "done" mark.
    session.add(Organization(name=f"made by job {payload['n']}", settings={}))


failures_left = {"count": 0}


async def flaky(session: Session, payload: dict[str, Any]) -> None:
    if failures_left["count"] > 0:
        failures_left["count"] -= 1
        raise RuntimeError("temporary outage")
    runs.append(payload)


@pytest.fixture(autouse=True)
def _handlers() -> None:
    runs.clear()
    registry.register("test.remember", remember)
    registry.register("test.flaky", flaky)


async def _enqueue(app: FastAPI, kind: str, payload: dict[str, Any], **kwargs: Any) -> None:
    async with app.state.sessionmaker() as session:
        await queue.enqueue(session, kind, payload, **kwargs)
        await session.commit()


async def test_a_delayed_job_runs_once_when_due(app: FastAPI) -> None:
    runner: JobRunner = app.state.runner
    await _enqueue(app, "test.remember", {"n": 1}, run_at=clock.now() + timedelta(minutes=5))
    assert await runner.run_due() == 0
    clock.advance(timedelta(minutes=5, seconds=1))
    assert await runner.run_due() == 1
    assert await runner.run_due() == 0
    assert runs == [{"n": 1}]
    async with app.state.sessionmaker() as session:
        assert await session.scalar(sa.select(sa.func.count()).select_from(Organization)) == 1
        assert (await session.scalar(sa.select(Job.status))) == "done"


async def test_failures_retry_with_backoff_then_give_up(app: FastAPI) -> None:
    runner: JobRunner = app.state.runner
    failures_left["count"] = 2
    await _enqueue(app, "test.flaky", {"n": 2})
    assert await runner.run_due() == 1  # fails, retried in 2 s
    assert await runner.run_due() == 0
    clock.advance(timedelta(seconds=3))
    assert await runner.run_due() == 1  # fails again, retried in 4 s
    clock.advance(timedelta(seconds=3))
    assert await runner.run_due() == 0
    clock.advance(timedelta(seconds=2))
    assert await runner.run_due() == 1
    assert runs == [{"n": 2}]

    failures_left["count"] = 100
    await _enqueue(app, "test.flaky", {"n": 3}, max_attempts=2)
    await runner.run_due()
    clock.advance(timedelta(hours=1))
    await runner.run_due()
    async with app.state.sessionmaker() as session:
        job = await session.scalar(sa.select(Job).where(Job.payload["n"].as_integer() == 3))
        assert job is not None and job.status == "failed" and "temporary outage" in (job.last_error or "")


async def test_dedupe_keys_and_cancel(app: FastAPI) -> None:
    await _enqueue(app, "test.remember", {"n": 4}, dedupe_key="k", run_at=clock.now() + timedelta(minutes=1))
    await _enqueue(app, "test.remember", {"n": 5}, dedupe_key="k")
    async with app.state.sessionmaker() as session:
        assert await queue.cancel(session, "k")
        await session.commit()
    clock.advance(timedelta(minutes=2))
    assert await app.state.runner.run_due() == 0
    assert runs == []


async def test_a_job_whose_node_died_is_taken_again_after_its_lease(app: FastAPI) -> None:
    await _enqueue(app, "test.remember", {"n": 6})
    async with app.state.sessionmaker() as session:  # a node claimed it, then vanished
        await session.execute(sa.update(Job).values(status="running", locked_until=clock.now() + timedelta(minutes=5)))
        await session.commit()
    assert await app.state.runner.run_due() == 0
    clock.advance(timedelta(minutes=6))
    assert await app.state.runner.run_due() == 1
    assert runs == [{"n": 6}]


async def test_several_runners_never_run_a_job_twice(app: FastAPI) -> None:
    for n in range(30):
        await _enqueue(app, "test.remember", {"n": n})
    runners = [JobRunner(app.state.sessionmaker) for _ in range(3)]

    async def drain(runner: JobRunner) -> None:
        while await runner.run_due(limit=3):
            pass

    await asyncio.gather(*(drain(r) for r in runners))
    assert sorted(p["n"] for p in runs) == list(range(30))


async def test_periodic_jobs_reschedule_themselves(app: FastAPI) -> None:
    registry.register("test.tick", remember, every=timedelta(minutes=10))
    try:
        runner: JobRunner = app.state.runner
        async with app.state.sessionmaker() as session:
            await queue.enqueue(session, "test.tick", {"n": 0}, dedupe_key="periodic:test.tick")
            await session.commit()
        await runner.schedule_periodic()  # already scheduled: no second one
        assert await runner.run_due() >= 1
        assert runs.count({"n": 0}) == 1
        clock.advance(timedelta(minutes=11))
        await runner.schedule_periodic()
        await runner.run_due()
        assert len([r for r in runs if r == {}]) == 1
    finally:
        registry._periodic.pop("test.tick", None)
        registry._handlers.pop("test.tick", None)
