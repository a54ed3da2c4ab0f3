"""Checks other domains add to submitting a request, without approvals importing them.

Attendance, for one, registers a check on make-up punches (the person is in an
attendance group, the day has begun, the group's monthly allowance is not used up).
A check raises a ``core.errors`` error to refuse; ``facts`` carries what approvals
already counted (``makeups_this_month``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

from hobnail.db.session import Session
from hobnail.domains.accounts.access import Actor

SubmitCheck = Callable[[Session, Actor, dict[str, Any], dict[str, Any]], Awaitable[None]]

_checks: dict[str, list[SubmitCheck]] = defaultdict(list)


def register_submit_check(kind: str, check: SubmitCheck) -> None:
    if check not in _checks[kind]:
        _checks[kind].append(check)


async def run_submit_checks(
    session: Session, actor: Actor, kind: str, values: dict[str, Any], facts: dict[str, Any]
) -> None:
    for check in _checks.get(kind, ()):
        await check(session, actor, values, facts)
