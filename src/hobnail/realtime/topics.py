"""Topic resolvers registered by domains; the gateway asks all of them."""

from __future__ import annotations

from hobnail.db.session import Session
from hobnail.realtime.gateway import TopicResolver

_resolvers: list[TopicResolver] = []


def register(resolver: TopicResolver) -> None:
    if resolver not in _resolvers:
        _resolvers.append(resolver)


async def resolve(session: Session, user_id: str, org_id: str) -> set[str] | None:
    """The union of every resolver's topics; None if the first (membership) says no."""
    found: set[str] = set()
    for index, resolver in enumerate(_resolvers):
        result = await resolver(session, user_id, org_id)
        if result is None:
            if index == 0:
                return None
            continue
        found |= result
    return found
