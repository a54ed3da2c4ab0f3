"""SQL of approvals."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from hobnail.db.session import Session
from hobnail.models import ApprovalActivity, ApprovalFile, ApprovalForm, ApprovalRequest, ApprovalTask, LeaveBalance

OPEN = ("pending", "approved")


async def forms(session: Session, org_id: str) -> list[ApprovalForm]:
    rows = await session.scalars(
        sa.select(ApprovalForm).where(ApprovalForm.org_id == org_id).order_by(ApprovalForm.created_at)
    )
    return list(rows.all())


async def form(session: Session, org_id: str, form_id: str) -> ApprovalForm | None:
    return await session.scalar(
        sa.select(ApprovalForm).where(ApprovalForm.id == form_id, ApprovalForm.org_id == org_id)
    )


async def request_for_update(session: Session, org_id: str, request_id: str) -> ApprovalRequest | None:
    """The request row, locked (PostgreSQL) so two approvers deciding at once serialise;
    SQLite writes are serialised by BEGIN IMMEDIATE already."""
    return await session.scalar(
        sa.select(ApprovalRequest)
        .where(ApprovalRequest.id == request_id, ApprovalRequest.org_id == org_id)
        .with_for_update()
    )


async def request(session: Session, org_id: str, request_id: str) -> ApprovalRequest | None:
    return await session.scalar(
        sa.select(ApprovalRequest).where(ApprovalRequest.id == request_id, ApprovalRequest.org_id == org_id)
    )


async def tasks(session: Session, request_id: str) -> list[ApprovalTask]:
    rows = await session.scalars(
        sa.select(ApprovalTask).where(ApprovalTask.request_id == request_id).order_by(ApprovalTask.created_at)
    )
    return list(rows.all())


async def activities(session: Session, request_id: str) -> list[ApprovalActivity]:
    rows = await session.scalars(
        sa.select(ApprovalActivity)
        .where(ApprovalActivity.request_id == request_id)
        .order_by(ApprovalActivity.created_at, ApprovalActivity.id)
    )
    return list(rows.all())


async def overlapping_leave(session: Session, requester_id: str, first: int, last: int) -> ApprovalRequest | None:
    return await session.scalar(
        sa.select(ApprovalRequest)
        .where(
            ApprovalRequest.requester_id == requester_id,
            ApprovalRequest.kind == "leave",
            ApprovalRequest.status.in_(OPEN),
            ApprovalRequest.period_start <= last,
            ApprovalRequest.period_end >= first,
        )
        .limit(1)
    )


async def pending_leave_days(session: Session, org_id: str, user_id: str, leave_type: str, year: int) -> float:
    total = await session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(ApprovalRequest.days), 0)).where(
            ApprovalRequest.org_id == org_id,
            ApprovalRequest.requester_id == user_id,
            ApprovalRequest.leave_type == leave_type,
            ApprovalRequest.status == "pending",
            ApprovalRequest.period_start >= year_slot(year),
            ApprovalRequest.period_start < year_slot(year + 1),
        )
    )
    return float(total or 0)


def year_slot(year: int) -> int:
    return datetime(year, 1, 1).toordinal() * 2


async def balance(session: Session, org_id: str, user_id: str, leave_type: str, year: int) -> LeaveBalance | None:
    return await session.get(LeaveBalance, (org_id, user_id, leave_type, year))


async def balances(session: Session, org_id: str, user_id: str, year: int) -> list[LeaveBalance]:
    rows = await session.scalars(
        sa.select(LeaveBalance).where(
            LeaveBalance.org_id == org_id, LeaveBalance.user_id == user_id, LeaveBalance.year == year
        )
    )
    return list(rows.all())


async def count_makeups(session: Session, org_id: str, user_id: str, month_prefix: str) -> int:
    rows = await session.scalars(
        sa.select(ApprovalRequest).where(
            ApprovalRequest.org_id == org_id,
            ApprovalRequest.requester_id == user_id,
            ApprovalRequest.kind == "makeup",
            ApprovalRequest.status.in_(OPEN),
        )
    )
    return sum(1 for r in rows.all() if str(r.values.get("date", "")).startswith(month_prefix))


async def list_requests(
    session: Session, org_id: str, user_id: str, box: str, status: str | None, limit: int, before: datetime | None
) -> list[ApprovalRequest]:
    query = sa.select(ApprovalRequest).where(ApprovalRequest.org_id == org_id)
    if box == "mine":
        query = query.where(ApprovalRequest.requester_id == user_id)
    else:
        # todo: my turn now; done: I decided or passed it on; cc: I was copied in.
        wanted = {"todo": ("pending",), "done": ("approved", "rejected", "transferred"), "cc": ("cc",)}[box]
        mine = sa.select(ApprovalTask.request_id).where(
            ApprovalTask.approver_id == user_id, ApprovalTask.status.in_(wanted)
        )
        query = query.where(ApprovalRequest.id.in_(mine))
        if box == "todo":
            query = query.where(ApprovalRequest.status == "pending")
    if status:
        query = query.where(ApprovalRequest.status == status)
    if before is not None:
        query = query.where(ApprovalRequest.created_at < before)
    rows = await session.scalars(query.order_by(ApprovalRequest.created_at.desc()).limit(limit))
    return list(rows.all())


async def requests_with_file(session: Session, org_id: str, file_id: str) -> list[ApprovalRequest]:
    rows = await session.scalars(
        sa.select(ApprovalRequest)
        .join(ApprovalFile, ApprovalFile.request_id == ApprovalRequest.id)
        .where(ApprovalFile.file_id == file_id, ApprovalRequest.org_id == org_id)
        .limit(20)
    )
    return list(rows.all())


async def file_on_a_request(session: Session, file_id: str) -> bool:
    found = await session.scalar(sa.select(ApprovalFile.request_id).where(ApprovalFile.file_id == file_id).limit(1))
    return found is not None
