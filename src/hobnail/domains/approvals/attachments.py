"""Files attached to a request may be read by everyone who may see the request."""

from __future__ import annotations

from hobnail.db.session import Session
from hobnail.domains.accounts.access import Actor
from hobnail.domains.approvals import repository
from hobnail.domains.approvals.access import involved
from hobnail.domains.files import access as files_access


async def _sees_a_request_with(session: Session, actor: Actor, file_id: str) -> bool:
    for request in await repository.requests_with_file(session, actor.org_id, file_id):
        if involved(actor, request, await repository.tasks(session, request.id)):
            return True
    return False


async def _on_a_request(session: Session, file_id: str) -> bool:
    return await repository.file_on_a_request(session, file_id)


def register() -> None:
    files_access.register_reader("approvals", _sees_a_request_with)
    files_access.register_referrer("approvals", _on_a_request)
