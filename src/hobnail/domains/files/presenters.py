"""Files in the API's shapes.

``file_view`` carries no link: links expire, and this description is copied into
messages and events that live for years. Clients fetch a link when they need one
(``GET /api/v1/files/{id}``, or the ``/download`` and ``/thumbnail`` redirects).
"""

from __future__ import annotations

from typing import Any

from hobnail.core.clock import isoformat
from hobnail.models import StoredFile


def file_view(stored: StoredFile) -> dict[str, Any]:
    return {
        "id": stored.id,
        "name": stored.name,
        "size": stored.size,
        "content_type": stored.content_type,
        "sha256": stored.sha256,
        "width": stored.width,
        "height": stored.height,
        "has_thumbnail": stored.thumbnail_key is not None,
        "owner_id": stored.owner_id,
        "created_at": isoformat(stored.completed_at or stored.created_at),
    }


def upload_view(stored: StoredFile) -> dict[str, Any]:
    return {
        "id": stored.id,
        "name": stored.name,
        "size": stored.size,
        "offset": stored.offset,
        "content_type": stored.content_type,
        "status": stored.status,
        "metadata": stored.upload_metadata,
        "url": f"/api/v1/uploads/{stored.id}",
        "created_at": isoformat(stored.created_at),
        "expires_at": isoformat(stored.expires_at) if stored.expires_at else None,
    }
