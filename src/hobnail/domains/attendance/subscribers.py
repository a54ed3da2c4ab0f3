"""Approvals feed attendance: approved leave, business trips and overtime become absences,
an approved make-up punch becomes a punch; the days concerned are recomputed.

Registered as a durable subscriber of ``approval.finished`` (it runs as a job after the
approval commits, once, retried on failure); each application is keyed by the request
id, so a retry applies nothing twice.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from hobnail.db.session import Session
from hobnail.domains.attendance import events, punches, results
from hobnail.events.base import topics
from hobnail.events.outbox import record
from hobnail.events.subscribers import subscribe
from hobnail.models import AttendanceAbsence, Organization


def absence_of(data: dict[str, Any]) -> AttendanceAbsence | None:
    """The absence an approved request stands for (None for kinds attendance ignores)."""
    values, kind = data["values"], data["kind"]
    common = {"request_id": data["request_id"], "user_id": data["requester_id"]}
    if kind == "leave":
        return AttendanceAbsence(
            **common, kind="leave", leave_type=values.get("leave_type", ""),
            first_day=date.fromisoformat(values["start"]), last_day=date.fromisoformat(values["end"]),
            first_half=values.get("start_half", "am"), last_half=values.get("end_half", "pm"),
            hours=round(float(data.get("days") or 0) * 8, 2) if values.get("start_time") else 0,
            start_time=values.get("start_time"), end_time=values.get("end_time"),
        )  # fmt: skip
    if kind == "trip":
        first, last = (date.fromisoformat(d) for d in values["dates"])
        return AttendanceAbsence(
            **common, kind="trip", leave_type="", first_day=first, last_day=last, first_half="am", last_half="pm",
            hours=0,
        )  # fmt: skip
    if kind == "overtime":
        day = date.fromisoformat(values["date"])
        return AttendanceAbsence(
            **common, kind="overtime", leave_type="", first_day=day, last_day=day, first_half="am", last_half="pm",
            hours=float(values.get("hours", 0)),
        )  # fmt: skip
    return None


async def on_approval_finished(session: Session, event: dict[str, Any]) -> None:
    data = event["data"]
    if data["status"] != "approved":
        return
    org = await session.get(Organization, event["org_id"])
    if org is None:
        return
    user_id = data["requester_id"]
    if data["kind"] == "makeup":
        values = data["values"]
        await punches.apply_makeup(
            session, org, user_id=user_id, day=date.fromisoformat(values["date"]), which=values["punch"],
            request_id=data["request_id"],
        )  # fmt: skip
        return
    absence = absence_of(data)
    if absence is None or await session.get(AttendanceAbsence, absence.request_id) is not None:
        return
    absence.org_id = org.id
    session.add(absence)
    await session.flush()
    stored = await results.recompute(session, org, absence.first_day, absence.last_day, [user_id])
    for (person, _day), (group_id, result) in sorted(stored.items()):
        await record(
            session,
            events.AttendanceDayUpdated(
                org_id=org.id, audience=(topics.user(person),), day=results.result_view(person, group_id, result)
            ),
        )


def register() -> None:
    subscribe("approval.finished", "attendance.apply_approval", on_approval_finished)
