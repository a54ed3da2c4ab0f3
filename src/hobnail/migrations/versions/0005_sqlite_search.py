"""sqlite message search index

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 02:00:00

On SQLite, message search gets an FTS5 trigram index (external content: it stores no
copy of the text), kept in step with ``messages.search_text`` by triggers. PostgreSQL
already has its pg_trgm index (0002).
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

STATEMENTS = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5("
    "search_text, content='messages', content_rowid='rowid', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS messages_fts_insert AFTER INSERT ON messages BEGIN "
    "INSERT INTO messages_fts(rowid, search_text) VALUES (new.rowid, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS messages_fts_delete AFTER DELETE ON messages BEGIN "
    "INSERT INTO messages_fts(messages_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS messages_fts_update AFTER UPDATE OF search_text ON messages BEGIN "
    "INSERT INTO messages_fts(messages_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text); "
    "INSERT INTO messages_fts(rowid, search_text) VALUES (new.rowid, new.search_text); END",
    "INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')",
]


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    for statement in STATEMENTS:
        bind.exec_driver_sql(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    for name in ("messages_fts_insert", "messages_fts_delete", "messages_fts_update"):
        bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    bind.exec_driver_sql("DROP TABLE IF EXISTS messages_fts")
