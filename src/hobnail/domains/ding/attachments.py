"""A DING's attachment may be read by its sender and its recipients, until it is recalled."""

from __future__ import annotations

from hobnail.db.session import Session
from hobnail.domains.accounts.access import Actor
from hobnail.domains.ding import repository
from hobnail.domains.files import access as files_access


async def _sender_or_recipient(session: Session, actor: Actor, file_id: str) -> bool:
    return await repository.file_visible_to(session, actor.user_id, file_id)


async def _on_a_ding(session: Session, file_id: str) -> bool:
    return await repository.file_on_a_ding(session, file_id)


def register() -> None:
    files_access.register_reader("ding", _sender_or_recipient)
    files_access.register_referrer("ding", _on_a_ding)
