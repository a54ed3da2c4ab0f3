"""HTTP routes of attendance."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response

from hobnail.api.deps import DB, CurrentActor
from hobnail.api.downloads import attachment
from hobnail.api.errors import ERROR_RESPONSES
from hobnail.api.uow import UnitOfWorkRoute
from hobnail.core import tables
from hobnail.domains.attendance import groups, punches, reports, schemas

router = APIRouter(
    prefix="/api/v1/attendance", route_class=UnitOfWorkRoute, responses=ERROR_RESPONSES, tags=["attendance"]
)
Month = Annotated[str, Query(pattern=r"^\d{4}-\d{2}$", description="2026-12")]


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


@router.get("/me/today")
async def get_today(
    request: Request,
    actor: CurrentActor,
    session: DB,
    latitude: Annotated[float | None, Query(ge=-90, le=90)] = None,
    longitude: Annotated[float | None, Query(ge=-180, le=180)] = None,
    accuracy: Annotated[float | None, Query(ge=0)] = None,
    ssid: Annotated[str, Query(max_length=64)] = "",
    bssid: Annotated[str, Query(max_length=17)] = "",
) -> dict[str, Any]:
    """Today's plan, punches and result, and whether a punch now (from this position and
    network) is allowed — with the reason when it is not."""
    return await punches.today(
        session, actor, latitude=latitude, longitude=longitude, accuracy=accuracy, ip=_client_ip(request), ssid=ssid,
        bssid=bssid,
    )  # fmt: skip


@router.post("/punches", status_code=201)
async def post_punch(request: Request, body: schemas.PunchIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Clock in or out now (the server decides which, and for which day)."""
    return await punches.punch(
        session, actor, latitude=body.latitude, longitude=body.longitude, accuracy=body.accuracy,
        ip=_client_ip(request), ssid=body.ssid, bssid=body.bssid, device_id=body.device_id, note=body.note,
        photo_file_id=body.photo_file_id, client_id=body.client_id, source="web" if actor.web_session else "api",
    )  # fmt: skip


@router.get("/me/month")
async def get_my_month(actor: CurrentActor, session: DB, month: Month) -> dict[str, Any]:
    """The member's month: each day's result and why, days to come, totals."""
    return await reports.person_month(session, actor, actor.user_id, month)


@router.get("/me/punches")
async def get_my_punches(actor: CurrentActor, session: DB, month: Month) -> list[dict[str, Any]]:
    """Everything recorded about the member's punches in a month, flags included."""
    first, last = reports.month_span(month)
    return await punches.my_punches(session, actor, first, last)


@router.get("/people/{user_id}/month")
async def get_person_month(user_id: str, actor: CurrentActor, session: DB, month: Month) -> dict[str, Any]:
    """Admins: anyone's month."""
    return await reports.person_month(session, actor, user_id, month)


@router.get("/groups")
async def get_groups(actor: CurrentActor, session: DB) -> list[dict[str, Any]]:
    return await groups.list_groups(session, actor)


@router.post("/groups", status_code=201)
async def post_group(body: schemas.GroupCreateIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Admins: a group with its members, departments and rules."""
    return await groups.create_group(session, actor, body.model_dump(exclude_unset=True))


@router.get("/groups/{group_id}")
async def get_group(group_id: str, actor: CurrentActor, session: DB) -> dict[str, Any]:
    return await groups.get_group(session, actor, group_id)


@router.patch("/groups/{group_id}")
async def patch_group(group_id: str, body: schemas.GroupIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Admins: rename, change members, or new rules from a day on (today or later)."""
    return await groups.update_group(session, actor, group_id, body.model_dump(exclude_unset=True))


@router.delete("/groups/{group_id}", status_code=204)
async def delete_group(group_id: str, actor: CurrentActor, session: DB) -> Response:
    await groups.delete_group(session, actor, group_id)
    return Response(status_code=204)


@router.get("/groups/{group_id}/members")
async def get_group_members(group_id: str, actor: CurrentActor, session: DB) -> list[dict[str, Any]]:
    """The people the group covers now (named or through a department)."""
    return await groups.group_members(session, actor, group_id)


@router.get("/groups/{group_id}/roster")
async def get_roster(group_id: str, actor: CurrentActor, session: DB, first: date, last: date) -> dict[str, Any]:
    return await groups.get_roster(session, actor, group_id, first, last)


@router.put("/groups/{group_id}/roster")
async def put_roster(group_id: str, body: schemas.RosterIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Admins: shifts per person per day (null: rest), today on; all or nothing."""
    entries = [e.model_dump() for e in body.entries]
    return await groups.set_roster(session, actor, group_id, entries)


@router.get("/calendar")
async def get_calendar(
    actor: CurrentActor, session: DB, year: Annotated[int, Query(ge=2000, le=2100)]
) -> dict[str, Any]:
    """Public holidays and working weekends (China's, with the organisation's changes)."""
    return await groups.get_calendar(session, actor, year)


@router.put("/calendar/{day}")
async def put_calendar_day(day: date, body: schemas.CalendarDayIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Admins: make a day a holiday or a working day, ``normal`` (ignore the built-in entry)
    or ``reset`` (drop the organisation's change)."""
    return await groups.set_calendar_day(session, actor, day, body.kind, body.name)


@router.get("/board")
async def get_board(actor: CurrentActor, session: DB, day: date | None = None) -> dict[str, Any]:
    """Admins: today (or a day) at a glance."""
    return await reports.board(session, actor, day)


@router.get("/reports/monthly")
async def get_monthly(
    actor: CurrentActor, session: DB, month: Month, department_id: Annotated[str | None, Query(max_length=26)] = None
) -> dict[str, Any]:
    """Admins: the month per person."""
    return await reports.monthly(session, actor, month, department_id)


@router.get(
    "/reports/monthly/export",
    response_class=Response,
    responses={200: {"content": {tables.XLSX: {}, "text/csv": {}}, "description": "XLSX or CSV"}},
)
async def get_monthly_export(
    actor: CurrentActor,
    session: DB,
    month: Month,
    format: Annotated[Literal["xlsx", "csv"], Query()] = "xlsx",
    department_id: Annotated[str | None, Query(max_length=26)] = None,
) -> Response:
    """Admins: the monthly summary as a file (Chinese headers for Chinese organisations)."""
    report = await reports.monthly(session, actor, month, department_id)
    chinese = actor.org.language.startswith("zh")
    name = f"attendance-{month}.{format}"
    if format == "csv":
        return attachment(reports.to_csv(report, chinese), tables.CSV, name)
    return attachment(reports.to_xlsx(report, chinese), tables.XLSX, name)


@router.get("/punches")
async def get_punches(
    actor: CurrentActor,
    session: DB,
    review: Annotated[Literal["pending", "accepted", "rejected"], Query()] = "pending",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[dict[str, Any]]:
    """Admins: flagged punches (implausible accuracy, impossible travel, a new device)."""
    return await punches.punches_to_review(session, actor, review, limit)


@router.post("/punches/{punch_id}/review")
async def post_review(punch_id: str, body: schemas.ReviewIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Admins: accept a flagged punch, or reject it (it stops counting)."""
    return await punches.review_punch(session, actor, punch_id, body.decision)
