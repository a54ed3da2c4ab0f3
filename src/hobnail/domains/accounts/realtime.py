"""Which event-stream topics a person hears in an organisation (registered with the gateway)."""

from __future__ import annotations

from hobnail.db.session import Session
from hobnail.domains.accounts import repository
from hobnail.events.base import topics


async def topics_for(session: Session, user_id: str, org_id: str) -> set[str] | None:
    """Topics for an active member; None once they are no longer one (the socket closes)."""
    membership = await repository.membership(session, org_id, user_id)
    if membership is None or membership.status != "active":
        return None
    if membership.kind != "staff":
        return {topics.user(user_id)}  # guardians do not hear the staff directory's events
    found = {topics.org(org_id), topics.user(user_id)}
    if membership.role in ("owner", "admin"):
        found.add(topics.admins(org_id))
    return found
