"""Files: one row per upload, from its first byte (a tus upload) to a complete file.

While ``status`` is ``uploading`` the row is the truth about how many bytes the storage
backend holds (``offset``) and the backend's own bookkeeping (``storage_state``, e.g. an
S3 multipart upload's parts). A complete file never changes again, so messages may copy
its description.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hobnail.db.base import Base, created_at_column, id_column
from hobnail.db.types import JSONType, UTCDateTime


class StoredFile(Base):
    __tablename__ = "files"
    __table_args__ = (
        sa.Index("ix_files_org_status", "org_id", "status"),
        sa.Index("ix_files_status_expires", "status", "expires_at"),
    )

    id: Mapped[str] = id_column()
    org_id: Mapped[str] = mapped_column(sa.String(26))
    owner_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(127), default="application/octet-stream")
    size: Mapped[int] = mapped_column(sa.BigInteger)  # the declared Upload-Length
    offset: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    status: Mapped[str] = mapped_column(sa.String(12), default="uploading")  # uploading | complete
    storage_backend: Mapped[str] = mapped_column(sa.String(16))
    storage_key: Mapped[str] = mapped_column(sa.String(200))
    storage_state: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    upload_metadata: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)  # tus Upload-Metadata
    sha256: Mapped[str | None] = mapped_column(sa.String(64))
    thumbnail_key: Mapped[str | None] = mapped_column(sa.String(200))
    width: Mapped[int | None] = mapped_column(sa.Integer)
    height: Mapped[int | None] = mapped_column(sa.Integer)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class InstanceSecret(Base):
    """Secrets the server generates once and every node shares (e.g. the link-signing key)."""

    __tablename__ = "instance_secrets"

    name: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    value: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = created_at_column()
