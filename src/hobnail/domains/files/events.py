"""Events of files: the uploader's devices learn that an upload finished."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from hobnail.events.base import DomainEvent


@dataclass(frozen=True, kw_only=True)
class FileUploaded(DomainEvent):
    type: ClassVar[str] = "file.uploaded"
    file: dict[str, Any]
