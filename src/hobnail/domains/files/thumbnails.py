"""Thumbnails of pictures, made once when an upload completes.

Pillow runs in a thread on a spooled copy of the source (memory for small images, a temp
file for big ones), with a pixel cap against decompression bombs.
"""

from __future__ import annotations

import asyncio
import io
import tempfile
import warnings
from collections.abc import AsyncIterator
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

THUMBNAIL_BOX = (480, 480)
MAX_PIXELS = 60_000_000
SOURCE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp"})


@dataclass(frozen=True)
class Thumbnail:
    data: bytes  # JPEG
    width: int  # of the original
    height: int


def wants_thumbnail(content_type: str, size: int, max_source_bytes: int) -> bool:
    return content_type in SOURCE_TYPES and 0 < size <= max_source_bytes


async def make_thumbnail(chunks: AsyncIterator[bytes]) -> Thumbnail | None:
    """None when the bytes are not a picture Pillow can read safely."""
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - closed below
    try:
        async for chunk in chunks:
            await asyncio.to_thread(spool.write, chunk)
        spool.seek(0)
        return await asyncio.to_thread(_render, spool)
    finally:
        spool.close()


def _render(source: io.IOBase | tempfile.SpooledTemporaryFile[bytes]) -> Thumbnail | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source) as image:  # type: ignore[arg-type]
                if image.size[0] * image.size[1] > MAX_PIXELS:
                    return None
                image.seek(0)  # first frame of a GIF or WebP animation
                # Phones store photos sideways with an EXIF note on how to turn them.
                upright = ImageOps.exif_transpose(image) or image
                width, height = upright.size
                upright.thumbnail(THUMBNAIL_BOX)
                picture = upright.convert("RGB")
                output = io.BytesIO()
                picture.save(output, "JPEG", quality=82, optimize=True)
                return Thumbnail(output.getvalue(), width, height)
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning, OSError, ValueError):
        return None
