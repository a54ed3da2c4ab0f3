"""Who may read a file.

The uploader always may. Anyone else may when a domain that uses files says so: messaging
registers "a member who can see a message carrying it", DING "a recipient or the sender".
Files sits below those domains, so they register readers here instead of being imported.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from hobnail.core.errors import NotFound
from hobnail.db.session import Session
from hobnail.domains.accounts.access import Actor
from hobnail.domains.files import repository
from hobnail.models import StoredFile

Reader = Callable[[Session, Actor, str], Awaitable[bool]]
Referrer = Callable[[Session, str], Awaitable[bool]]
_readers: dict[str, Reader] = {}
_referrers: dict[str, Referrer] = {}


class FileNotFound(NotFound):
    code = "file_not_found"
    message = "No such file, or it is not shared with you."


class UploadNotFound(NotFound):
    code = "upload_not_found"
    message = "No such upload."


def register_reader(name: str, reader: Reader) -> None:
    """``reader(session, actor, file_id)`` says whether the actor may read the file."""
    _readers[name] = reader


def register_referrer(name: str, referrer: Referrer) -> None:
    """``referrer(session, file_id)`` says whether something of that domain still shows the file."""
    _referrers[name] = referrer


async def in_use(session: Session, file_id: str) -> bool:
    for referrer in _referrers.values():
        if await referrer(session, file_id):
            return True
    return False


async def may_read(session: Session, actor: Actor, stored: StoredFile) -> bool:
    if stored.owner_id == actor.user_id:
        return True
    for reader in _readers.values():
        if await reader(session, actor, stored.id):
            return True
    return False


async def access_file(session: Session, actor: Actor, file_id: str) -> StoredFile:
    """A complete file of the actor's organisation that the actor may read; else FileNotFound."""
    stored = await repository.file_in_org(session, actor.org_id, file_id)
    if stored is None or stored.status != "complete" or not await may_read(session, actor, stored):
        raise FileNotFound()
    return stored


async def access_own_upload(session: Session, actor: Actor, file_id: str) -> StoredFile:
    """An upload (complete or not) that the actor started; else UploadNotFound (also for others' uploads)."""
    stored = await repository.file_in_org(session, actor.org_id, file_id)
    if stored is None or stored.owner_id != actor.user_id:
        raise UploadNotFound()
    return stored
