"""An organisation's file rules, kept in ``organizations.settings["files"]``.

The server's ``file_max_bytes`` is a ceiling no organisation can raise; an organisation
may set a lower maximum and a storage quota (0 = no quota).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from hobnail.core.errors import ValidationFailed
from hobnail.db.session import Session
from hobnail.domains.accounts.access import Actor, require_admin
from hobnail.models import Organization

MIB = 1024 * 1024


@dataclass(frozen=True)
class FileSettings:
    max_file_mb: int = 4096
    quota_mb: int = 0  # 0: no quota

    def max_file_bytes(self, server_max: int) -> int:
        return min(self.max_file_mb * MIB, server_max)


def file_settings(org: Organization) -> FileSettings:
    stored = (org.settings or {}).get("files", {})
    known = {k: v for k, v in stored.items() if k in FileSettings.__dataclass_fields__}
    return FileSettings(**known)


async def update_file_settings(session: Session, actor: Actor, changes: dict[str, Any]) -> FileSettings:
    require_admin(actor)
    merged = {**asdict(file_settings(actor.org)), **{k: v for k, v in changes.items() if v is not None}}
    if merged["max_file_mb"] < 1:
        raise ValidationFailed("The largest file must be at least 1 MB.", details={"field": "max_file_mb"})
    if merged["quota_mb"] < 0:
        raise ValidationFailed("The quota is 0 (none) or more MB.", details={"field": "quota_mb"})
    actor.org.settings = {**(actor.org.settings or {}), "files": merged}
    await session.flush()
    return FileSettings(**merged)
