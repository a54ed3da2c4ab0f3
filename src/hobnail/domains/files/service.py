"""Files as other domains and the API use them: describe, link, attach, settings and usage."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from hobnail.core.config import Settings
from hobnail.core.errors import Conflict
from hobnail.db.session import Session
from hobnail.domains.accounts.access import Actor, require_admin
from hobnail.domains.files import access as files_access
from hobnail.domains.files import repository
from hobnail.domains.files.access import FileNotFound, access_file, access_own_upload
from hobnail.domains.files.links import Signer
from hobnail.domains.files.presenters import file_view, upload_view
from hobnail.domains.files.protocol import may_show_inline
from hobnail.domains.files.settings import file_settings, update_file_settings
from hobnail.jobs import queue
from hobnail.models import StoredFile


async def describe(
    session: Session, actor: Actor, file_id: str, *, signer: Signer, settings: Settings
) -> dict[str, Any]:
    """A file the actor may read, with fresh short-lived links."""
    stored = await access_file(session, actor, file_id)
    return with_links(stored, signer=signer, seconds=settings.download_link_seconds)


def with_links(stored: StoredFile, *, signer: Signer, seconds: int) -> dict[str, Any]:
    view = file_view(stored)
    view["download_url"] = signer.url(stored.id, seconds=seconds)
    view["view_url"] = (
        signer.url(stored.id, inline=True, seconds=seconds) if may_show_inline(stored.content_type) else None
    )
    view["thumbnail_url"] = (
        signer.url(stored.id, variant="thumbnail", inline=True, seconds=seconds) if stored.thumbnail_key else None
    )
    view["links_expire_in"] = seconds
    return view


async def link(
    session: Session, actor: Actor, file_id: str, *, variant: str, inline: bool, signer: Signer, settings: Settings
) -> str:
    """A signed link for a redirect. Inline only for types a browser shows safely."""
    stored = await access_file(session, actor, file_id)
    if variant == "thumbnail" and stored.thumbnail_key is None:
        raise FileNotFound("This file has no thumbnail.", code="thumbnail_not_found")
    inline = inline and (variant == "thumbnail" or may_show_inline(stored.content_type))
    return signer.url(stored.id, variant=variant, inline=inline, seconds=settings.download_link_seconds)


async def attachable(session: Session, actor: Actor, file_id: str) -> dict[str, Any]:
    """The description of a finished file the actor may read, to copy into a message or DING.
    Raises FileNotFound for a missing, unfinished or unshared file."""
    return file_view(await access_file(session, actor, file_id))


class FileInUse(Conflict):
    code = "file_in_use"
    message = "The file was sent in a chat or a DING; recall that first."


async def delete_file(session: Session, actor: Actor, file_id: str) -> None:
    """The uploader drops a finished file nothing shows (e.g. attached to a DING draft,
    then removed), so it stops counting against the quota. Side effect: a job removes the
    bytes after commit (a rollback keeps them)."""
    stored = await access_own_upload(session, actor, file_id)
    if stored.status != "complete":
        raise FileNotFound("Unfinished uploads are dropped with tus termination (DELETE /uploads/{id}).")
    if await files_access.in_use(session, stored.id):
        raise FileInUse()
    keys = [stored.storage_key] + ([stored.thumbnail_key] if stored.thumbnail_key else [])
    await session.delete(stored)
    await session.flush()
    await queue.enqueue(session, "files.delete_bytes", {"keys": keys})


async def my_uploads(session: Session, actor: Actor) -> list[dict[str, Any]]:
    """The actor's unfinished uploads, so a client can offer to resume after a reload."""
    return [upload_view(row) for row in await repository.my_uploads(session, actor.org_id, actor.user_id)]


async def upload(session: Session, actor: Actor, file_id: str) -> dict[str, Any]:
    return upload_view(await access_own_upload(session, actor, file_id))


async def settings_and_usage(session: Session, actor: Actor, server: Settings) -> dict[str, Any]:
    rules = file_settings(actor.org)
    return {
        **asdict(rules),
        "max_file_bytes": rules.max_file_bytes(server.file_max_bytes),
        "server_max_file_bytes": server.file_max_bytes,
        "quota_bytes": rules.quota_mb * 1024 * 1024 if rules.quota_mb else None,
        "used_bytes": await repository.bytes_used(session, actor.org_id),
        "file_count": await repository.count_files(session, actor.org_id),
        "storage_backend": server.storage_backend,
    }


async def change_settings(session: Session, actor: Actor, changes: dict[str, Any], server: Settings) -> dict[str, Any]:
    require_admin(actor)
    await update_file_settings(session, actor, changes)
    return await settings_and_usage(session, actor, server)
