"""Request and response bodies of files."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class FileOut(BaseModel):
    id: str
    name: str
    size: int
    content_type: str
    sha256: str | None
    width: int | None
    height: int | None
    has_thumbnail: bool
    owner_id: str
    created_at: str
    download_url: str = Field(description="Signed, short-lived; sends the original name as an attachment")
    view_url: str | None = Field(description="Signed, short-lived; shown in the browser (safe types only)")
    thumbnail_url: str | None
    links_expire_in: int = Field(description="Seconds the links stay valid")


class FileRef(BaseModel):
    """A file's description as messages and DINGs carry it (no links; fetch them when needed)."""

    id: str
    name: str
    size: int
    content_type: str
    sha256: str | None
    width: int | None
    height: int | None
    has_thumbnail: bool
    owner_id: str
    created_at: str


class UploadOut(BaseModel):
    id: str
    name: str
    size: int
    offset: int
    content_type: str
    status: str
    metadata: dict[str, Any]
    url: str
    created_at: str
    expires_at: str | None


class FileSettingsOut(BaseModel):
    max_file_mb: int
    quota_mb: int
    max_file_bytes: int
    server_max_file_bytes: int
    quota_bytes: int | None
    used_bytes: int
    file_count: int
    storage_backend: str


class FileSettingsIn(BaseModel):
    max_file_mb: int | None = Field(default=None, ge=1, le=1024 * 1024)
    quota_mb: int | None = Field(default=None, ge=0, le=1024**3)
