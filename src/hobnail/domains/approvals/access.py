"""Who may see a request: the requester, its approvers and CCs, and the organisation's
admins (HR). Everyone else gets the same 404 as for a request that does not exist."""

from __future__ import annotations

from hobnail.core.errors import NotFound
from hobnail.db.session import Session
from hobnail.domains.accounts.access import Actor
from hobnail.domains.approvals import repository
from hobnail.models import ApprovalRequest, ApprovalTask


class RequestNotFound(NotFound):
    code = "approval_not_found"
    message = "No such approval request."


class FormNotFound(NotFound):
    code = "form_not_found"
    message = "No such form."


def involved(actor: Actor, request: ApprovalRequest, tasks: list[ApprovalTask]) -> bool:
    return actor.is_admin or request.requester_id == actor.user_id or any(t.approver_id == actor.user_id for t in tasks)


async def access_request(
    session: Session, actor: Actor, request_id: str, *, for_update: bool = False
) -> tuple[ApprovalRequest, list[ApprovalTask]]:
    loader = repository.request_for_update if for_update else repository.request
    request = await loader(session, actor.org_id, request_id)
    if request is None:
        raise RequestNotFound()
    tasks = await repository.tasks(session, request.id)
    if not involved(actor, request, tasks):
        raise RequestNotFound()
    return request, tasks
