"""Test fixtures: a migrated template database per run, a fresh copy (SQLite) or a
truncated schema (PostgreSQL) per test, the app with its lifespan, HTTP clients.

Set HOBNAIL_TEST_DATABASE_URL=postgresql+asyncpg://… to run the whole suite on
PostgreSQL; HOBNAIL_TEST_REDIS_URL enables the Redis and multi-node tests. Under CI
(CI=true) a test that would skip for a missing service fails instead.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI

from hobnail.core import clock
from hobnail.core.config import Settings
from hobnail.core.security import use_fast_hashing_for_tests
from hobnail.db.engine import create_engine
from hobnail.db.migrate import upgrade
from tests.support.s3 import S3Server, s3_server_or_skip, unique_bucket

use_fast_hashing_for_tests()

PG_URL = os.environ.get("HOBNAIL_TEST_DATABASE_URL", "")
# The multi-node test needs PostgreSQL even when the suite itself runs on SQLite.
MULTINODE_PG_URL = os.environ.get("HOBNAIL_TEST_POSTGRES_URL", "") or PG_URL
REDIS_URL = os.environ.get("HOBNAIL_TEST_REDIS_URL", "")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_service(url: str, what: str) -> None:
    """Skip (visibly) when a service URL is not given; in CI, fail instead."""
    if url:
        return
    variable = {"PostgreSQL": "HOBNAIL_TEST_POSTGRES_URL", "Redis": "HOBNAIL_TEST_REDIS_URL"}.get(what, what)
    message = f"{what} not configured: set {variable}"
    if IN_CI:
        pytest.fail(message + " (CI must run this test)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated database: a SQLite file to copy, or the PostgreSQL URL with a fresh schema."""
    if PG_URL:

        async def reset_schema() -> None:
            engine = create_engine(PG_URL)
            async with engine.begin() as conn:
                await conn.execute(sa.text("DROP SCHEMA public CASCADE"))
                await conn.execute(sa.text("CREATE SCHEMA public"))
            await engine.dispose()
            await upgrade(PG_URL)

        asyncio.run(reset_schema())
        return PG_URL
    path = tmp_path_factory.mktemp("template") / "template.db"
    asyncio.run(upgrade(f"sqlite+aiosqlite:///{path}"))
    return str(path)


async def _truncate_all(url: str) -> None:
    from hobnail.db.base import Base

    engine = create_engine(url)
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    async with engine.begin() as conn:
        await conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    await engine.dispose()


@pytest.fixture
async def database_url(template_db: str, tmp_path: Path) -> AsyncIterator[str]:
    if PG_URL:
        yield PG_URL
        await _truncate_all(PG_URL)
        return
    target = tmp_path / "hobnail.db"
    shutil.copyfile(template_db, target)
    yield f"sqlite+aiosqlite:///{target}"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        run_background=False,  # tests run jobs explicitly with the runner
        log_level="WARNING",
        log_json=False,
    )


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """One S3-compatible server per run: SeaweedFS started here, or HOBNAIL_TEST_S3_URL."""
    with s3_server_or_skip() as server:
        yield server


@pytest.fixture
def s3_storage_settings(s3_server: S3Server) -> dict[str, object]:
    """``Settings`` keyword arguments selecting S3 storage, in a bucket of this test's own."""
    return s3_server.settings(unique_bucket())


@pytest.fixture(autouse=True)
def _reset_clock() -> AsyncIterator[None] | None:
    clock.reset()
    yield None
    clock.reset()


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    from hobnail.api.app import create_app

    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


ClientFactory = Callable[[], Awaitable[httpx.AsyncClient]]


@pytest.fixture
async def make_client(app: FastAPI) -> AsyncIterator[ClientFactory]:
    clients: list[httpx.AsyncClient] = []

    async def factory() -> httpx.AsyncClient:
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
        clients.append(client)
        return client

    yield factory
    for client in clients:
        await client.aclose()


@pytest.fixture
async def client(make_client: ClientFactory) -> httpx.AsyncClient:
    return await make_client()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests run last: Playwright's sync API keeps an event loop running in this
    thread while its browser is up, and async tests cannot start a loop after that."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
