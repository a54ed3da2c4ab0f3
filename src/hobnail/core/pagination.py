"""Opaque list cursors: base64 of a small JSON array; a bad one is a 400, not a 500."""

from __future__ import annotations

import base64
import binascii
from typing import Any

import orjson

from hobnail.core.errors import BadRequest


class InvalidCursor(BadRequest):
    code = "invalid_cursor"
    message = "The cursor is not valid; start again without it."


def encode_cursor(*values: Any) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(list(values))).decode().rstrip("=")


def decode_cursor(cursor: str, arity: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, orjson.JSONDecodeError):
        raise InvalidCursor() from None
    if not isinstance(values, list) or len(values) != arity:
        raise InvalidCursor()
    return values
