"""Every chat a person is in is a stream topic."""

from __future__ import annotations

from hobnail.db.session import Session
from hobnail.domains.messaging import repository
from hobnail.events.base import topics


async def topics_for(session: Session, user_id: str, org_id: str) -> set[str]:
    return {topics.chat(cid) for cid in await repository.conversation_ids_of_user(session, org_id, user_id)}
