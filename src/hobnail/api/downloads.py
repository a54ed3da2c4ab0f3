"""A file answer for exports: the bytes, their type, and a name to save them under."""

from __future__ import annotations

from fastapi import Response


def attachment(data: bytes, media_type: str, filename: str) -> Response:
    """``filename`` is ASCII (built from dates and ids), so no RFC 5987 encoding is needed."""
    return Response(data, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
