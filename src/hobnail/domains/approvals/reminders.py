"""Reminding approvers of requests that wait too long (the organisation sets how long).

A periodic job finds pending tasks whose turn came longer ago than the threshold and that
were not reminded within it, and sends each approver an ``approval.reminder`` event (the
web client shows it as a notification). One reminder per threshold period, not more.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from hobnail.core import clock
from hobnail.db.session import Session
from hobnail.domains.approvals import events
from hobnail.domains.approvals.settings import approval_settings
from hobnail.events.base import topics
from hobnail.events.outbox import record
from hobnail.jobs import registry
from hobnail.models import ApprovalRequest, ApprovalTask, Organization

EVERY = timedelta(minutes=15)


async def remind_waiting(session: Session, _payload: dict[str, Any]) -> None:
    now = clock.now()
    rows = await session.execute(
        sa.select(ApprovalTask, ApprovalRequest, Organization)
        .join(ApprovalRequest, ApprovalRequest.id == ApprovalTask.request_id)
        .join(Organization, Organization.id == ApprovalRequest.org_id)
        .where(ApprovalTask.status == "pending", ApprovalRequest.status == "pending")
        .limit(1000)
    )
    for task, request, org in rows.all():
        hours = approval_settings(org).remind_after_hours
        if not hours or task.pending_since is None:
            continue
        threshold = timedelta(hours=hours)
        last = task.reminded_at or task.pending_since
        if now - last < threshold:
            continue
        task.reminded_at = now
        await record(
            session,
            events.ApprovalReminder(
                org_id=request.org_id, audience=(topics.user(task.approver_id),), request_id=request.id,
                title=request.title, waiting_hours=int((now - task.pending_since).total_seconds() // 3600),
            ),
        )  # fmt: skip
    await session.flush()


def register_jobs() -> None:
    registry.register("approvals.remind", remind_waiting, every=EVERY)
