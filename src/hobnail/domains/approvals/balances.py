"""Leave balances: yearly quotas per leave type that admins set; approved leave deducts.

Annual and compensatory leave are limited (no quota set means none to take); other types
are not limited unless an admin sets a quota for them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from hobnail.core import clock
from hobnail.core.errors import Conflict, ValidationFailed
from hobnail.db.session import Session
from hobnail.domains.accounts import service as accounts_service
from hobnail.domains.accounts.access import Actor, require_admin
from hobnail.domains.approvals import forms, repository
from hobnail.models import ApprovalRequest, LeaveBalance


class InsufficientBalance(Conflict):
    code = "insufficient_balance"


async def check_balance(session: Session, actor: Actor, leave_type: str, year: int, days: float) -> None:
    """Refuse a request for more days than are left (counting other pending requests)."""
    row = await repository.balance(session, actor.org_id, actor.user_id, leave_type, year)
    if row is None and leave_type not in forms.LIMITED_LEAVE:
        return
    quota, used = (row.quota_days, row.used_days) if row else (0.0, 0.0)
    pending = await repository.pending_leave_days(session, actor.org_id, actor.user_id, leave_type, year)
    left = quota - used - pending
    if days > left:
        raise InsufficientBalance(
            f"Only {max(left, 0):g} days of {leave_type} leave are left for {year}; this request needs {days:g}.",
            details={"left": max(left, 0), "requested": days, "leave_type": leave_type, "year": year},
        )


async def deduct(session: Session, request: ApprovalRequest) -> None:
    assert request.leave_type is not None and request.days is not None and request.period_start is not None
    year = date.fromordinal(request.period_start // 2).year
    row = await repository.balance(session, request.org_id, request.requester_id, request.leave_type, year)
    if row is None:
        row = LeaveBalance(
            org_id=request.org_id, user_id=request.requester_id, leave_type=request.leave_type, year=year,
            quota_days=0, used_days=0,
        )  # fmt: skip
        session.add(row)
    row.used_days = (row.used_days or 0) + request.days
    row.updated_at = clock.now()


async def set_quota(
    session: Session,
    actor: Actor,
    *,
    user_ids: list[str],
    leave_type: str,
    year: int,
    quota_days: float,
    everyone: bool = False,
) -> list[dict[str, Any]]:
    """Admins set a yearly quota for some people, or ``everyone`` active (used days are kept)."""
    require_admin(actor)
    if everyone:
        user_ids = list(await accounts_service.work_start_dates(session, actor.org_id))
    if not user_ids:
        raise ValidationFailed("Choose people, or everyone.", details={"field": "user_ids"})
    if leave_type not in forms.LEAVE_TYPES:
        raise ValidationFailed("Unknown leave type.", code="invalid_leave_type", details={"field": "leave_type"})
    if quota_days < 0 or quota_days * 2 != int(quota_days * 2):
        raise ValidationFailed("Quotas are whole or half days.", details={"field": "quota_days"})
    known = await accounts_service.active_member_ids(session, actor.org_id, user_ids)
    strangers = [u for u in user_ids if u not in known]
    if strangers:
        raise ValidationFailed("Choose members of this organisation.", details={"user_ids": strangers})
    changed = []
    for user_id in dict.fromkeys(user_ids):
        row = await repository.balance(session, actor.org_id, user_id, leave_type, year)
        if row is None:
            row = LeaveBalance(
                org_id=actor.org_id, user_id=user_id, leave_type=leave_type, year=year, quota_days=0, used_days=0
            )
            session.add(row)
        row.quota_days, row.updated_at = quota_days, clock.now()
        changed.append(row)
    await session.flush()
    return [balance_view(r) for r in changed]


async def balances_of(session: Session, actor: Actor, user_id: str | None, year: int) -> list[dict[str, Any]]:
    """A person's balances for a year: your own, or anyone's for admins. Limited types
    appear even without a row (0 of 0). ``pending_days`` are asked for and not yet decided;
    a new request may take at most ``left_days - pending_days``."""
    target = user_id or actor.user_id
    if target != actor.user_id:
        require_admin(actor)
    rows = {r.leave_type: r for r in await repository.balances(session, actor.org_id, target, year)}
    views = [balance_view(r) for r in rows.values()]
    for leave_type in forms.LIMITED_LEAVE:
        if leave_type not in rows:
            views.append({"user_id": target, "leave_type": leave_type, "year": year, "quota_days": 0.0,
                          "used_days": 0.0, "left_days": 0.0})  # fmt: skip
    for view in views:
        view["pending_days"] = await repository.pending_leave_days(
            session, actor.org_id, target, view["leave_type"], year
        )
    return sorted(views, key=lambda v: forms.LEAVE_TYPES.index(v["leave_type"]))


def statutory_annual_days(started: date, year: int) -> int:
    """China's rule (职工带薪年休假条例): by full working years at the start of the year —
    under 1: none; 1 to under 10: 5 days; 10 to under 20: 10; 20 or more: 15."""
    first = date(year, 1, 1)
    years = first.year - started.year - ((first.month, first.day) < (started.month, started.day))
    if years < 1:
        return 0
    return 5 if years < 10 else 10 if years < 20 else 15


async def apply_annual_rule(session: Session, actor: Actor, year: int) -> dict[str, Any]:
    """Admins: set everyone's annual leave for ``year`` by years of service (members whose
    work start date is not recorded are listed, not changed)."""
    require_admin(actor)
    starts = await accounts_service.work_start_dates(session, actor.org_id)
    unknown = sorted(u for u, started in starts.items() if started is None)
    by_days: dict[int, list[str]] = {}
    for user_id, started in starts.items():
        if started is not None:
            by_days.setdefault(statutory_annual_days(started, year), []).append(user_id)
    changed: list[dict[str, Any]] = []
    for days, user_ids in sorted(by_days.items()):
        changed += await set_quota(
            session, actor, user_ids=user_ids, leave_type="annual", year=year, quota_days=float(days)
        )
    return {"balances": changed, "without_work_start": unknown}


def balance_view(row: LeaveBalance) -> dict[str, Any]:
    return {
        "user_id": row.user_id,
        "leave_type": row.leave_type,
        "year": row.year,
        "quota_days": row.quota_days,
        "used_days": row.used_days,
        "left_days": row.quota_days - row.used_days,
    }
