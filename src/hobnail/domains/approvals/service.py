"""Submitting requests and moving them through their flow.

``submit`` snapshots the form's fields and the flow resolved for this requester onto the
request; one task row per approver of each step (the current step's are ``pending``, later
ones ``waiting``). ``act`` locks the request, checks it is the actor's turn, and applies
the flow engine's verdict, so two approvers pressing at once yield exactly one outcome.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from hobnail.core import clock
from hobnail.core.errors import Conflict, ValidationFailed
from hobnail.db.session import Session
from hobnail.domains.accounts import service as accounts_service
from hobnail.domains.accounts.access import Actor
from hobnail.domains.approvals import events, flow, forms, hooks, repository
from hobnail.domains.approvals.access import FormNotFound, access_request
from hobnail.domains.approvals.balances import check_balance, deduct
from hobnail.domains.approvals.forms_admin import ensure_builtin_forms
from hobnail.domains.approvals.presenters import request_view
from hobnail.domains.files import service as files_service
from hobnail.events.base import topics
from hobnail.events.outbox import record
from hobnail.models import ApprovalActivity, ApprovalFile, ApprovalRequest, ApprovalTask

ACTIONS = ("approve", "reject", "transfer", "add_before", "add_after")


class InvalidValues(ValidationFailed):
    code = "invalid_values"


class LeaveOverlaps(Conflict):
    code = "leave_overlaps"
    message = "You already asked for leave on some of these days."


class MakeupLimitReached(Conflict):
    code = "makeup_limit_reached"


class NotYourTurn(Conflict):
    code = "not_your_turn"
    message = "This request is not waiting for you (it may have been decided already)."


class NotPending(Conflict):
    code = "approval_not_pending"
    message = "The request is no longer pending."


class NotRequester(Conflict):
    code = "not_requester"
    message = "Only the requester may withdraw a request."


class BadApprover(ValidationFailed):
    code = "invalid_approver"
    message = "Choose an active member other than the requester."


async def submit(session: Session, actor: Actor, form_id: str, values: dict[str, Any]) -> dict[str, Any]:
    """File a request. Raises InvalidValues (422), LeaveOverlaps / MakeupLimitReached /
    InsufficientBalance (409); a flow whose steps all have nobody is approved at once."""
    await ensure_builtin_forms(session, actor.org_id)
    form = await repository.form(session, actor.org_id, form_id)
    if form is None or not form.enabled:
        raise FormNotFound()
    try:
        clean = forms.check_values(form.fields, values)
    except forms.FormError as error:
        raise InvalidValues(str(error), details={"field": error.field}) from None
    await _check_references(session, actor, form.fields, clean)
    kind = form.builtin or "custom"
    request = ApprovalRequest(
        org_id=actor.org_id, form_id=form.id, kind=kind, title=_title(form.name, actor.user.name, clean),
        requester_id=actor.user_id, status="pending", fields=form.fields, values=clean, created_at=clock.now(),
    )  # fmt: skip
    if kind == "leave":
        await _check_leave(session, actor, request, clean)
    elif kind == "trip":
        first, last = (date.fromisoformat(d) for d in clean["dates"])
        request.period_start, request.period_end = forms.slot(first, "am"), forms.slot(last, "pm")
    elif kind == "makeup":
        limit = int(form.settings.get("per_month", 3))
        used = await repository.count_makeups(session, actor.org_id, actor.user_id, clean["date"][:7])
        if used >= limit:
            raise MakeupLimitReached(f"At most {limit} make-up punches a month.", details={"limit": limit})
        await hooks.run_submit_checks(session, actor, kind, clean, {"makeups_this_month": used})
    requester = flow.Requester(
        actor.user_id,
        managers=await accounts_service.manager_levels(session, actor.org_id, actor.user_id),
        role_members=await accounts_service.role_member_ids(session, actor.org_id),
    )
    steps = flow.resolve(form.flow, {**clean, "days": request.days}, requester)
    request.steps = [
        {"name": s.name, "mode": s.mode, "approvers": list(s.approvers), "skipped": s.skipped, "status": "waiting"}
        for s in steps
    ]
    request.cc = [u for u in form.flow.get("cc", []) if u != actor.user_id]
    request.cc_when = form.flow.get("cc_when", "finish")
    session.add(request)
    await session.flush()
    for index, step in enumerate(steps):
        for approver in step.approvers:
            session.add(_task(request, index, approver, "waiting"))
    for user_id in request.cc:
        session.add(_task(request, -1, user_id, "cc"))
    for file_id in _attachment_ids(form.fields, clean):
        session.add(ApprovalFile(request_id=request.id, file_id=file_id))
    _activity(session, request, actor.user_id, "submitted")
    await session.flush()
    request.current_step = -1
    await _advance(session, request, from_step=0)
    return await _announce(session, request, "submitted")


async def act(
    session: Session, actor: Actor, request_id: str, action: str, *, comment: str = "", user_id: str | None = None
) -> dict[str, Any]:
    """An approver's decision on their pending task: approve, reject (comment recommended),
    transfer to ``user_id``, or add ``user_id`` as a step before/after the current one."""
    request, tasks = await access_request(session, actor, request_id, for_update=True)
    if request.status != "pending":
        raise NotPending()
    mine = next(
        (
            t
            for t in tasks
            if t.approver_id == actor.user_id and t.step == request.current_step and t.status == "pending"
        ),
        None,
    )
    if mine is None:
        raise NotYourTurn()
    now = clock.now()
    request.version += 1
    if action in ("approve", "reject"):
        mine.status, mine.comment, mine.acted_at = ("approved" if action == "approve" else "rejected"), comment, now
        _activity(session, request, actor.user_id, mine.status, step=mine.step, comment=comment)
        await session.flush()
        await _decide_step(session, request, await repository.tasks(session, request.id))
        return await _announce(session, request, mine.status)
    other = await _check_approver(session, actor, request, user_id)
    if action == "transfer":
        mine.status, mine.comment, mine.acted_at = "transferred", comment, now
        session.add(_task(request, mine.step, other, "pending", pending_since=now))
        request.steps = _replace_approver(request.steps, mine.step, actor.user_id, other)
        _activity(session, request, actor.user_id, "transferred", step=mine.step, comment=comment, data={"to": other})
        await session.flush()
        await _assign(session, request, [other])
        return await _announce(session, request, "transferred")
    # add_before: someone decides first, then the actor; add_after: someone decides after this step.
    at = mine.step if action == "add_before" else mine.step + 1
    for task in tasks:
        if task.step >= at:
            task.step += 1
    steps = list(request.steps)
    steps.insert(
        at, {"name": actor.user.name, "mode": "any", "approvers": [other], "skipped": False, "status": "waiting"}
    )
    request.steps = steps
    session.add(_task(request, at, other, "waiting"))
    _activity(session, request, actor.user_id, action, step=at, comment=comment, data={"user_id": other})
    await session.flush()
    if action == "add_before":
        for task in tasks:
            if task.step == at + 1 and task.status == "pending":
                task.status = "waiting"
        request.current_step = -1
        await _advance(session, request, from_step=at)
    return await _announce(session, request, action)


async def withdraw(session: Session, actor: Actor, request_id: str) -> dict[str, Any]:
    request, tasks = await access_request(session, actor, request_id, for_update=True)
    if request.requester_id != actor.user_id:
        raise NotRequester()
    if request.status != "pending":
        raise NotPending()
    request.version += 1
    for task in tasks:
        if task.status in ("pending", "waiting"):
            task.status = "cancelled"
    _activity(session, request, actor.user_id, "withdrawn")
    await _finish(session, request, "withdrawn")
    return await _announce(session, request, "withdrawn")


async def comment(session: Session, actor: Actor, request_id: str, body: str) -> dict[str, Any]:
    request, _ = await access_request(session, actor, request_id)
    text = body.strip()
    if not text:
        raise ValidationFailed("Write something.", code="empty_comment", details={"field": "body"})
    _activity(session, request, actor.user_id, "commented", comment=text[:2000])
    await session.flush()
    return await _announce(session, request, "commented")


async def get_request(session: Session, actor: Actor, request_id: str) -> dict[str, Any]:
    request, tasks = await access_request(session, actor, request_id)
    return request_view(request, tasks, await repository.activities(session, request.id))


async def list_requests(
    session: Session, actor: Actor, *, box: str, status: str | None, limit: int = 50, before: datetime | None = None
) -> list[dict[str, Any]]:
    """Newest first; the next page is ``before`` the last one's ``created_at``."""
    rows = await repository.list_requests(session, actor.org_id, actor.user_id, box, status, limit, before)
    return [request_view(r, await repository.tasks(session, r.id)) for r in rows]


# --- the flow ------------------------------------------------------------------------------


async def _advance(session: Session, request: ApprovalRequest, *, from_step: int) -> None:
    """Make the first step from ``from_step`` that has someone to ask current; steps with
    nobody are passed (and noted); past the last step, the request is approved."""
    steps = [dict(s) for s in request.steps]
    for index in range(from_step, len(steps)):
        if steps[index]["skipped"]:
            steps[index]["status"] = "skipped"
            _activity(session, request, None, "skipped", step=index)
            continue
        steps[index]["status"] = "pending"
        request.steps, request.current_step = steps, index
        tasks = await repository.tasks(session, request.id)
        waiting = [t for t in tasks if t.step == index and t.status == "waiting"]
        for task in waiting:
            task.status, task.pending_since = "pending", clock.now()
        await session.flush()
        await _assign(session, request, [t.approver_id for t in waiting])
        return
    request.steps, request.current_step = steps, len(steps)
    await _finish(session, request, "approved")


async def _decide_step(session: Session, request: ApprovalRequest, tasks: list[ApprovalTask]) -> None:
    step = request.current_step
    mine = [t for t in tasks if t.step == step and t.status in ("pending", "approved", "rejected")]
    answers = [
        t.status if t.status != "pending" else None for t in sorted(mine, key=lambda t: t.acted_at or clock.now())
    ]
    verdict = flow.outcome(request.steps[step]["mode"], answers, len(mine))
    if verdict == "pending":
        return
    steps = [dict(s) for s in request.steps]
    steps[step]["status"] = verdict
    request.steps = steps
    for task in tasks:
        if task.step == step and task.status == "pending":
            task.status = "cancelled"  # an or-sign step was decided by someone else
    if verdict == "rejected":
        for task in tasks:
            if task.status == "waiting":
                task.status = "cancelled"
        await _finish(session, request, "rejected")
        return
    await _advance(session, request, from_step=step + 1)


async def _finish(session: Session, request: ApprovalRequest, status: str) -> None:
    request.status, request.finished_at = status, clock.now()
    if status == "approved" and request.kind == "leave" and request.leave_type and request.days:
        await deduct(session, request)
    await session.flush()
    period = None
    if request.period_start is not None and request.period_end is not None:
        period = [
            date.fromordinal(request.period_start // 2).isoformat(),
            date.fromordinal(request.period_end // 2).isoformat(),
        ]
    await record(
        session,
        events.ApprovalFinished(
            org_id=request.org_id, audience=(topics.user(request.requester_id), topics.admins(request.org_id)),
            request_id=request.id, kind=request.kind, status=status, requester_id=request.requester_id,
            values=request.values, period=period, days=request.days,
        ),
    )  # fmt: skip


async def _assign(session: Session, request: ApprovalRequest, approver_ids: list[str]) -> None:
    if not approver_ids:
        return
    view = request_view(request, await repository.tasks(session, request.id))
    await record(
        session,
        events.ApprovalTaskAssigned(
            org_id=request.org_id, audience=tuple(topics.user(u) for u in dict.fromkeys(approver_ids)), request=view
        ),
    )


async def _announce(session: Session, request: ApprovalRequest, action: str) -> dict[str, Any]:
    await session.flush()
    tasks = await repository.tasks(session, request.id)
    people = {request.requester_id, *(t.approver_id for t in tasks if t.status != "cc")}
    if _tell_cc(request, action):
        people |= set(request.cc)
    await record(
        session,
        events.ApprovalUpdated(
            org_id=request.org_id, audience=tuple(sorted(topics.user(u) for u in people)),
            request=request_view(request, tasks), action=action,
        ),
    )  # fmt: skip
    return request_view(request, tasks, await repository.activities(session, request.id))


# --- checks ----------------------------------------------------------------------------------


async def _check_leave(session: Session, actor: Actor, request: ApprovalRequest, values: dict[str, Any]) -> None:
    """Whole and half days (``start_half``/``end_half``), or hours on one day
    (``start_time``/``end_time``); only the requester's working days count."""
    start, end = date.fromisoformat(values["start"]), date.fromisoformat(values["end"])
    schedule = await hooks.workdays(session, actor, start, end) if start <= end <= start + timedelta(days=366) else None
    try:
        if values.get("start_time") or values.get("end_time"):
            if not (values.get("start_time") and values.get("end_time")) or start != end:
                raise forms.FormError("A leave by the hour has a start and an end time on one day.", field="end_time")
            works = schedule.get(start, True) if schedule is not None else start.weekday() < 5
            if not works:
                raise forms.FormError("The leave covers no working day.", field="start")
            first, last, days = forms.hourly_leave(start, values["start_time"], values["end_time"])
        else:
            first, last, days = forms.leave_days(
                start, values["start_half"], end, values["end_half"], schedule.__getitem__ if schedule else None
            )
    except forms.FormError as error:
        raise InvalidValues(str(error), code="invalid_period", details={"field": error.field}) from None
    if await repository.overlapping_leave(session, actor.user_id, first, last) is not None:
        raise LeaveOverlaps()
    request.period_start, request.period_end, request.days = first, last, days
    request.leave_type = values["leave_type"]
    await check_balance(session, actor, values["leave_type"], date.fromordinal(first // 2).year, days)


async def _check_references(
    session: Session, actor: Actor, fields: list[dict[str, Any]], values: dict[str, Any]
) -> None:
    people = [u for f in fields if f["type"] == "people" for u in values.get(f["key"], [])]
    if people:
        known = await accounts_service.active_member_ids(session, actor.org_id, people)
        strangers = [u for u in people if u not in known]
        if strangers:
            raise InvalidValues("Choose people of this organisation.", details={"user_ids": strangers})
    departments = [d for f in fields if f["type"] == "department" for d in values.get(f["key"], [])]
    if departments:
        await accounts_service.department_member_ids(session, actor.org_id, departments)  # raises for strangers
    for file_id in _attachment_ids(fields, values):
        await files_service.attachable(session, actor, file_id)  # FileNotFound for unfinished or unshared files


def _attachment_ids(fields: list[dict[str, Any]], values: dict[str, Any]) -> list[str]:
    return list(dict.fromkeys(i for f in fields if f["type"] == "attachment" for i in values.get(f["key"], [])))


async def _check_approver(session: Session, actor: Actor, request: ApprovalRequest, user_id: str | None) -> str:
    if not user_id or user_id in (request.requester_id, actor.user_id):
        raise BadApprover(details={"field": "user_id"})
    if user_id not in await accounts_service.active_member_ids(session, actor.org_id, [user_id]):
        raise BadApprover(details={"field": "user_id"})
    return user_id


def _tell_cc(request: ApprovalRequest, action: str) -> bool:
    """CC people hear of a request when it is filed and/or when it is decided, as the form says."""
    when = request.cc_when
    if action == "submitted" and request.status == "pending":
        return when in ("submit", "both")
    return request.status != "pending" and when in ("finish", "both")


def _replace_approver(steps: list[dict[str, Any]], index: int, old: str, new: str) -> list[dict[str, Any]]:
    changed = [dict(s) for s in steps]
    changed[index]["approvers"] = [new if a == old else a for a in changed[index]["approvers"]]
    return changed


def _task(
    request: ApprovalRequest, step: int, approver_id: str, status: str, *, pending_since: datetime | None = None
) -> ApprovalTask:
    return ApprovalTask(
        request_id=request.id, org_id=request.org_id, step=step, approver_id=approver_id, status=status,
        pending_since=pending_since, created_at=clock.now(),
    )  # fmt: skip


def _activity(
    session: Session, request: ApprovalRequest, actor_id: str | None, action: str, *, step: int | None = None,
    comment: str = "", data: dict[str, Any] | None = None,
) -> None:  # fmt: skip
    session.add(
        ApprovalActivity(
            request_id=request.id, actor_id=actor_id, action=action, step=step, comment=comment, data=data or {},
            created_at=clock.now(),
        )
    )  # fmt: skip


def _title(form_name: str, person: str, values: dict[str, Any]) -> str:
    return f"{person} · {form_name}"[:120]
