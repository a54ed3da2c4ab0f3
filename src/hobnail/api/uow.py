"""One unit of work per request: the route class opens a session, runs the endpoint,
commits before the response leaves (so an acknowledged write is durable), and rolls
back on any error. Endpoints and services never commit."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from hobnail.core.errors import HobnailError
from hobnail.db.session import Session, begin_read

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class UnitOfWorkRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def run_in_unit_of_work(request: Request) -> Response:
            sessionmaker = request.app.state.sessionmaker
            # Reads on SQLite need no write lock; writes take it at BEGIN.
            immediate = request.method not in SAFE_METHODS
            async with sessionmaker() as session:
                if not immediate:
                    await begin_read(session)
                request.state.db = session
                try:
                    response = await handler(request)
                except HobnailError as error:
                    if getattr(error, "commit_anyway", False):
                        await session.commit()
                    else:
                        await session.rollback()
                    raise
                except BaseException:
                    await session.rollback()
                    raise
                if response.status_code < 400:
                    await session.commit()
                else:
                    await session.rollback()
                return response

        return run_in_unit_of_work


def db(request: Request) -> Session:
    """The request's session (dependency)."""
    session: Session = request.state.db
    return session
