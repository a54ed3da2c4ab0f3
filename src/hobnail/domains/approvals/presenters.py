"""Approval requests in the API's shapes (also the event payloads)."""

from __future__ import annotations

from typing import Any

from hobnail.core.clock import isoformat
from hobnail.models import ApprovalActivity, ApprovalForm, ApprovalRequest, ApprovalTask


def form_view(form: ApprovalForm) -> dict[str, Any]:
    return {
        "id": form.id,
        "builtin": form.builtin,
        "name": form.name,
        "description": form.description,
        "fields": form.fields,
        "flow": form.flow,
        "settings": form.settings,
        "enabled": form.enabled,
    }


def task_view(task: ApprovalTask) -> dict[str, Any]:
    return {
        "id": task.id,
        "step": task.step,
        "approver_id": task.approver_id,
        "status": task.status,
        "comment": task.comment,
        "acted_at": isoformat(task.acted_at) if task.acted_at else None,
    }


def activity_view(activity: ApprovalActivity) -> dict[str, Any]:
    return {
        "id": activity.id,
        "actor_id": activity.actor_id,
        "action": activity.action,
        "step": activity.step,
        "comment": activity.comment,
        "data": activity.data,
        "created_at": isoformat(activity.created_at),
    }


def request_view(
    request: ApprovalRequest, tasks: list[ApprovalTask], activities: list[ApprovalActivity] | None = None
) -> dict[str, Any]:
    view = {
        "id": request.id,
        "form_id": request.form_id,
        "kind": request.kind,
        "title": request.title,
        "requester_id": request.requester_id,
        "status": request.status,
        "fields": request.fields,
        "values": request.values,
        "steps": request.steps,
        "current_step": request.current_step,
        "cc": request.cc,
        "leave_type": request.leave_type,
        "days": request.days,
        "tasks": [task_view(t) for t in tasks if t.status != "cc"],
        "created_at": isoformat(request.created_at),
        "finished_at": isoformat(request.finished_at) if request.finished_at else None,
    }
    if activities is not None:
        view["timeline"] = [activity_view(a) for a in activities]
    return view
