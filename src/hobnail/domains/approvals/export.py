"""Requests as an XLSX workbook for HR: one row per request, a column per form field.

openpyxl's write-only mode streams rows, so a year of requests does not build a tree of
cell objects in memory.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from openpyxl import Workbook

from hobnail.core.errors import ValidationFailed
from hobnail.core.tables import XLSX
from hobnail.db.session import Session
from hobnail.domains.accounts import service as accounts_service
from hobnail.domains.accounts.access import Actor, require_admin
from hobnail.models import ApprovalRequest

__all__ = ["XLSX", "export_requests"]

MAX_ROWS = 50_000
STATUS = {"pending": "审批中 pending", "approved": "已通过 approved", "rejected": "已拒绝 rejected",
          "withdrawn": "已撤销 withdrawn"}  # fmt: skip


async def export_requests(
    session: Session, actor: Actor, *, form_id: str | None, status: str | None, since: date | None, until: date | None
) -> bytes:
    """Admins: requests filed between ``since`` and ``until`` (inclusive, organisation's days)."""
    require_admin(actor)
    zone = ZoneInfo(actor.org.timezone)
    query = sa.select(ApprovalRequest).where(ApprovalRequest.org_id == actor.org_id)
    if form_id:
        query = query.where(ApprovalRequest.form_id == form_id)
    if status:
        query = query.where(ApprovalRequest.status == status)
    if since:
        query = query.where(ApprovalRequest.created_at >= datetime.combine(since, datetime.min.time(), zone))
    if until:
        query = query.where(ApprovalRequest.created_at < datetime.combine(until, datetime.max.time(), zone))
    rows = list((await session.scalars(query.order_by(ApprovalRequest.created_at).limit(MAX_ROWS + 1))).all())
    if len(rows) > MAX_ROWS:
        raise ValidationFailed(f"At most {MAX_ROWS} requests per export; narrow the dates.", code="export_too_large")
    people = await accounts_service.users_by_id(session, list({r.requester_id for r in rows}))
    labels: dict[str, str] = {}
    for request in rows:
        for field in request.fields:
            labels.setdefault(field["key"], field["label"])
    book = Workbook(write_only=True)
    sheet = book.create_sheet("审批 Approvals")
    sheet.append(["ID", "表单 Form", "申请人 Requester", "状态 Status", "提交 Submitted", "完成 Finished",
                  "假期类型 Leave type", "天数 Days", *labels.values()])  # fmt: skip
    for request in rows:
        requester = people.get(request.requester_id)
        sheet.append([
            request.id, request.title.split(" · ", 1)[-1], requester.name if requester else request.requester_id,
            STATUS.get(request.status, request.status), _local(request.created_at, zone),
            _local(request.finished_at, zone), request.leave_type or "", request.days,
            *(_cell(request.values.get(key)) for key in labels),
        ])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _local(moment: datetime | None, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else ""


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value
