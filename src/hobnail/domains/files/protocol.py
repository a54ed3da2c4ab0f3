"""Pure parsing and formatting for uploads and downloads (tus headers, names, ranges).

Everything here is a function of its arguments, so hypothesis can check it.
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
import re
import unicodedata
from urllib.parse import quote

from hobnail.core.errors import BadRequest, HobnailError, ValidationFailed

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,creation-with-upload,termination,expiration,checksum"
CHECKSUM_ALGORITHMS = ("sha1", "sha256")
MAX_NAME_CHARS = 255
MAX_METADATA_BYTES = 4096
METADATA_KEY = re.compile(r"[A-Za-z0-9_.\-]+")
CONTENT_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+\-]*/[a-z0-9][a-z0-9!#$&^_.+\-]*")
# Types a browser may show inline from our origin without running anything of ours.
INLINE_TYPES = frozenset({
    "image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/bmp",
    "video/mp4", "video/webm", "video/ogg", "audio/mpeg", "audio/ogg", "audio/wav", "audio/webm",
    "audio/mp4", "application/pdf", "text/plain",
})  # fmt: skip
OCTET_STREAM = "application/octet-stream"
NAME_KEYS = ("filename", "name")
TYPE_KEYS = ("filetype", "type", "contentType", "content_type")


class InvalidMetadata(BadRequest):
    code = "invalid_upload_metadata"
    message = "Upload-Metadata must be comma-separated 'key base64value' pairs."


class InvalidFileName(ValidationFailed):
    code = "invalid_file_name"
    message = "That file name cannot be used."


class RangeNotSatisfiable(HobnailError):
    status = 416
    code = "range_not_satisfiable"
    message = "The requested range is outside the file."


def parse_metadata(header: str | None) -> dict[str, str]:
    """Decode tus ``Upload-Metadata``: ``key base64,key2 base64,key3`` (a value may be absent)."""
    if header is None or header.strip() == "":
        return {}
    if len(header.encode("utf-8", "replace")) > MAX_METADATA_BYTES:
        raise InvalidMetadata(f"Upload-Metadata is at most {MAX_METADATA_BYTES} bytes.")
    result: dict[str, str] = {}
    for pair in header.split(","):
        parts = pair.strip().split(" ")
        if len(parts) > 2 or not METADATA_KEY.fullmatch(parts[0]) or parts[0] in result:
            raise InvalidMetadata()
        value = ""
        if len(parts) == 2:
            try:
                value = base64.b64decode(parts[1], validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
                raise InvalidMetadata(f"The value of {parts[0]!r} is not UTF-8 in base64.") from exc
        result[parts[0]] = value
    return result


def format_metadata(metadata: dict[str, str]) -> str:
    return ",".join(f"{key} {base64.b64encode(value.encode()).decode()}" for key, value in metadata.items())


def check_file_name(raw: str) -> str:
    """A name people see and downloads carry: NFC, 1–255 characters, no path separators
    or control characters, not '.' or '..'. Raises InvalidFileName saying what is wrong."""
    name = unicodedata.normalize("NFC", raw).strip()
    if not name:
        raise InvalidFileName("The file needs a name.", details={"field": "filename"})
    if len(name) > MAX_NAME_CHARS:
        raise InvalidFileName(
            f"File names are at most {MAX_NAME_CHARS} characters.",
            details={"field": "filename", "limit": MAX_NAME_CHARS},
        )
    if "/" in name or "\\" in name:
        raise InvalidFileName("File names cannot contain / or \\.", details={"field": "filename"})
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in name):
        raise InvalidFileName("File names cannot contain control characters.", details={"field": "filename"})
    if name in (".", ".."):
        raise InvalidFileName(details={"field": "filename"})
    return name


def name_and_type(metadata: dict[str, str]) -> tuple[str, str]:
    """The file name and content type a tus client declared (any of the usual keys)."""
    name = next((metadata[k] for k in NAME_KEYS if k in metadata), "") or "untitled"
    content_type = next((metadata[k] for k in TYPE_KEYS if k in metadata), "").strip().lower()
    content_type = content_type.split(";")[0].strip()
    name = check_file_name(name)
    if not CONTENT_TYPE.fullmatch(content_type) or len(content_type) > 127 or content_type == OCTET_STREAM:
        # Many clients send no type; the extension is as good a guess as a browser's.
        content_type = mimetypes.guess_type(name, strict=False)[0] or OCTET_STREAM
    return name, content_type


def parse_checksum(header: str | None) -> tuple[str, bytes] | None:
    """``Upload-Checksum: sha1 <base64 digest>`` → (algorithm, digest)."""
    if header is None:
        return None
    parts = header.strip().split(" ")
    if len(parts) != 2:
        raise BadRequest("Upload-Checksum is '<algorithm> <base64 digest>'.", code="invalid_checksum_header")
    algorithm, encoded = parts
    if algorithm not in CHECKSUM_ALGORITHMS:
        raise BadRequest(
            f"Checksum algorithms: {', '.join(CHECKSUM_ALGORITHMS)}.", code="unsupported_checksum_algorithm"
        )
    try:
        return algorithm, base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise BadRequest("The checksum is not base64.", code="invalid_checksum_header") from exc


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """One byte range of a ``Range`` header as inclusive (start, end), or None to send
    the whole file (no header, a syntax we ignore, or several ranges, as RFC 9110 allows).
    Raises RangeNotSatisfiable when the range lies outside the file."""
    if not header:
        return None
    match = re.fullmatch(r"\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*", header)
    if match is None:
        return None
    first, last = match.groups()
    if first == "" and last == "":
        return None
    if first == "":
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise RangeNotSatisfiable()
        return max(0, size - suffix), size - 1
    start = int(first)
    end = size - 1 if last == "" else min(int(last), size - 1)
    if last != "" and int(last) < start:
        return None
    if start >= size:
        raise RangeNotSatisfiable()
    return start, end


def content_disposition(name: str, *, inline: bool) -> str:
    """RFC 6266 with an RFC 5987 ``filename*`` so Chinese names survive every browser."""
    fallback = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\%;' else "_" for ch in name) or "file"
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def may_show_inline(content_type: str) -> bool:
    return content_type in INLINE_TYPES
