"""The ``hobnail`` command. Every command honours HOBNAIL_DATA_DIR, HOBNAIL_DATABASE_URL,
HOBNAIL_HOST and HOBNAIL_PORT (see docs/configuration.md)."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from hobnail import __version__
from hobnail.core.config import get_settings
from hobnail.core.logging import configure_logging

app = typer.Typer(help="Hobnail: a self-hosted workplace platform.", no_args_is_help=True, add_completion=False)


def _ensure_data_dir() -> None:
    get_settings().data_dir.mkdir(parents=True, exist_ok=True)


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


@app.command()
def migrate() -> None:
    """Apply database migrations (safe to run again)."""
    from hobnail.db.migrate import upgrade

    _ensure_data_dir()
    settings = get_settings()
    asyncio.run(upgrade(settings.resolved_database_url))
    typer.echo(f"migrated {settings.resolved_database_url.split('@')[-1]}")


def _freeze_imported_objects() -> None:
    """Import the application, then move everything alive so far (modules, the pinyin
    tables, …) out of the garbage collector's sight: a full collection then walks only
    what requests create, instead of stalling every connection for tens of milliseconds."""
    import gc

    import hobnail.api.app  # noqa: F401 - imported for its side effect: everything it loads

    gc.collect()
    gc.freeze()


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address [HOBNAIL_HOST]")] = None,
    port: Annotated[int | None, typer.Option(help="Port [HOBNAIL_PORT]")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes (PostgreSQL only) [HOBNAIL_WORKERS]")] = None,
    no_jobs: Annotated[bool, typer.Option("--no-jobs", help="Leave background jobs to `hobnail worker`")] = False,
    migrate_first: Annotated[bool, typer.Option("--migrate/--no-migrate", help="Apply migrations first")] = True,
) -> None:
    """Run the web server (API, event stream, web client), with jobs in-process unless --no-jobs."""
    import uvicorn

    settings = get_settings()
    bind_host = host or settings.host
    bind_port = port or settings.port
    worker_count = workers or settings.workers
    if worker_count > 1 and settings.is_sqlite:
        typer.echo("SQLite serves one process; use PostgreSQL (HOBNAIL_DATABASE_URL) for --workers > 1.", err=True)
        raise typer.Exit(2)
    if no_jobs:
        os.environ["HOBNAIL_RUN_BACKGROUND"] = "false"
        get_settings.cache_clear()
    if migrate_first:
        migrate()
    typer.echo(f"Hobnail {__version__} on http://{bind_host}:{bind_port}/")
    configure_logging(settings.log_level, settings.log_json)
    if worker_count <= 1:
        _freeze_imported_objects()
    uvicorn.run(
        "hobnail.api.app:create_app",
        factory=True,
        host=bind_host,
        port=bind_port,
        workers=worker_count if worker_count > 1 else None,
        loop="uvloop" if sys.platform != "win32" else "asyncio",
        http="httptools",
        ws="websockets-sansio",
        ws_per_message_deflate=False,
        log_level=settings.log_level.lower(),
        log_config=None,  # uvicorn's records go through our (JSON when not a terminal) handler
        access_log=False,
        proxy_headers=True,
    )


@app.command()
def worker() -> None:
    """Run the outbox relay and background jobs without serving HTTP (for multi-node setups)."""
    from hobnail.worker.main import run_worker

    asyncio.run(run_worker(get_settings()))


@app.command("create-admin")
def create_admin(
    email: Annotated[str, typer.Option(help="The admin's e-mail address")],
    password: Annotated[str, typer.Option(help="At least 8 characters")],
    org: Annotated[str | None, typer.Option(help="Also create this organisation, owned by the admin")] = None,
    name: Annotated[str, typer.Option(help="Display name")] = "Admin",
) -> None:
    """Create an account (and with --org an organisation it owns)."""
    from hobnail.cli.tasks import create_admin as task

    _ensure_data_dir()
    typer.echo(asyncio.run(task(get_settings(), email=email, password=password, org_name=org, name=name)))


@app.command()
def demo(
    reset: Annotated[bool, typer.Option(help="Load even if organisations exist")] = False,
) -> None:
    """Load a demo organisation with departments and about 30 people; prints their passwords."""
    from hobnail.cli.demo import load_demo

    _ensure_data_dir()
    migrate()
    asyncio.run(load_demo(get_settings(), force=reset))


@app.command()
def token(
    user: Annotated[str, typer.Option(help="E-mail or mobile number of the user")],
    org: Annotated[str | None, typer.Option(help="Organisation id (default: the user's first)")] = None,
    name: Annotated[str, typer.Option(help="Token name")] = "cli",
) -> None:
    """Print a new personal API token for a user; the token is the last line."""
    from hobnail.cli.tasks import issue_token

    typer.echo(asyncio.run(issue_token(get_settings(), identifier=user, org_id=org, name=name)))


@app.command("db-revision", hidden=True)
def db_revision(
    message: Annotated[str, typer.Option("-m")],
    database: Annotated[Path | None, typer.Option()] = None,
) -> None:
    """(Developers) write a migration for model changes, diffing against a scratch SQLite database."""
    import tempfile

    from hobnail.db.migrate import autogenerate, upgrade

    database = database or Path(tempfile.gettempdir()) / "hobnail-autogen.db"
    database.unlink(missing_ok=True)
    url = f"sqlite+aiosqlite:///{database}"
    asyncio.run(upgrade(url))
    asyncio.run(autogenerate(url, message))
