"""SQLAlchemy's aiosqlite adapter with one trip to the database thread per statement.

The stock adapter makes three or four trips for each statement (open a cursor, execute,
fetch the rows, close), each a queue hand-off to aiosqlite's thread and a wake-up of the
event loop: about 0.25 ms of CPU per statement here, more than SQLite's own work. This
cursor does all four in one function on that thread. Everything else (connections,
transactions, errors, server-side cursors) is SQLAlchemy's aiosqlite dialect unchanged;
``create_engine`` passes it as the ``module``.

Write transactions of this process also queue for the database in arrival order
(``WriteGate``) before ``BEGIN IMMEDIATE``, instead of all polling SQLite's lock from their
threads: SQLite's busy handler sleeps up to 100 ms between tries, so under load a writer
could lose the race again and again until its busy timeout (10 s) ran out.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import sqlite3
import weakref
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT
from sqlalchemy.util.concurrency import await_

GATE_TIMEOUT = 10.0  # seconds; then BEGIN IMMEDIATE waits on SQLite's lock as before


class WriteGate:
    """One write transaction at a time per database file and event loop, first come first
    served. A writer that cannot get it in ``GATE_TIMEOUT`` goes ahead without it (SQLite's
    own lock still decides), so a task that nests two write transactions fails as before
    instead of hanging."""

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.owner: object | None = None


_gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, WriteGate]] = weakref.WeakKeyDictionary()


def _gate(database: str) -> WriteGate:
    per_loop = _gates.setdefault(asyncio.get_running_loop(), {})
    gate = per_loop.get(database)
    if gate is None:
        gate = per_loop[database] = WriteGate()
    return gate


def _run(
    raw: sqlite3.Connection, operation: Any, parameters: Any, many: bool
) -> tuple[sqlite3.Cursor, list[Any] | None]:
    """On aiosqlite's thread: execute, fetch everything, close. The closed cursor keeps
    description, rowcount and lastrowid for the caller."""
    cursor = raw.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        rows = cursor.fetchall() if cursor.description else None
    finally:
        cursor.close()
    return cursor, rows


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()

    def __init__(self, adapt_connection: Any) -> None:
        # No cursor yet: it is opened (and closed) on the thread with the statement.
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()

    @property
    def description(self) -> Any:
        return self._cursor.description if self._cursor is not None else None

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount if self._cursor is not None else -1

    @property
    def lastrowid(self) -> int:
        return self._cursor.lastrowid if self._cursor is not None else 0  # type: ignore[return-value]

    async def _async_soft_close(self) -> None:
        return None  # already closed on the thread

    def close(self) -> None:
        self._rows.clear()

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        try:
            return await_(self._execute_one(operation, parameters, False))
        except Exception as error:
            self._adapt_connection._handle_exception(error)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        try:
            return await_(self._execute_one(operation, seq_of_parameters, True))
        except Exception as error:
            self._adapt_connection._handle_exception(error)

    async def _execute_one(self, operation: Any, parameters: Any, many: bool) -> None:
        connection: aiosqlite.Connection = self._connection  # type: ignore[assignment]
        if operation == "BEGIN IMMEDIATE" and isinstance(self._adapt_connection, OneTripConnection):
            await self._adapt_connection.enter_gate()
        async with self._adapt_connection._execute_mutex:
            cursor, rows = await connection._execute(  # type: ignore[no-untyped-call]
                _run, connection._conn, operation, parameters, many
            )
        self._cursor = cursor  # type: ignore[assignment]
        if rows is not None:
            self._rows = collections.deque(rows)


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    _cursor_cls = OneTripCursor

    def __init__(self, dbapi: Any, connection: Any, database: str) -> None:
        super().__init__(dbapi, connection)
        self.database = database
        self.gate: WriteGate | None = None  # held from BEGIN IMMEDIATE to commit/rollback/close

    async def enter_gate(self) -> None:
        if self.gate is not None:  # BEGIN inside a transaction: SQLite refuses it; nothing to queue for
            return
        gate = _gate(self.database)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(gate.lock.acquire(), GATE_TIMEOUT)
            gate.owner = self
            self.gate = gate

    def leave_gate(self) -> None:
        gate, self.gate = self.gate, None
        if gate is not None and gate.owner is self:
            gate.owner = None
            gate.lock.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.leave_gate()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.leave_gate()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.leave_gate()

    def terminate(self) -> None:
        try:
            super().terminate()
        finally:
            self.leave_gate()


class OneTripDbapi(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> AsyncAdapt_aiosqlite_connection:
        stock = super().connect(*arg, **kw)
        database = str(arg[0] if arg else kw.get("database", ""))
        return OneTripConnection(self, stock._connection, database)


def dbapi() -> OneTripDbapi:
    return OneTripDbapi(aiosqlite, sqlite3)
