"""HTTP routes of work reports."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response

from hobnail.api.deps import DB, CurrentActor
from hobnail.api.downloads import attachment
from hobnail.api.errors import ERROR_RESPONSES
from hobnail.api.uow import UnitOfWorkRoute
from hobnail.core import tables
from hobnail.domains.reports import schemas, service, stats, templates

router = APIRouter(prefix="/api/v1", route_class=UnitOfWorkRoute, responses=ERROR_RESPONSES, tags=["reports"])
Id = Annotated[str | None, Query(max_length=26)]


@router.get("/report-templates")
async def get_templates(request: Request, actor: CurrentActor, session: DB) -> list[dict[str, Any]]:
    """Daily, weekly and monthly templates (built in) and the organisation's own."""
    if await templates.templates_missing(session, actor.org_id):
        # The first look creates the built-in templates in a write transaction of its own
        # (a GET's read transaction must not become a writer).
        async with request.app.state.sessionmaker() as writer:
            await templates.ensure_builtin(writer, actor.org_id)
            await writer.commit()
            return await templates.list_templates(writer, actor)
    return await templates.list_templates(session, actor)


@router.post("/report-templates", status_code=201)
async def post_template(body: schemas.TemplateCreateIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Admins design a template: fields, default recipients, who writes it and when."""
    return await templates.create_template(session, actor, body.model_dump(exclude_unset=True))


@router.patch("/report-templates/{template_id}")
async def patch_template(
    template_id: str, body: schemas.TemplateIn, actor: CurrentActor, session: DB
) -> dict[str, Any]:
    return await templates.update_template(session, actor, template_id, body.model_dump(exclude_unset=True))


@router.post("/reports", status_code=201)
async def post_report(body: schemas.ReportIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Write a report (``submit: false`` keeps a draft)."""
    return await service.write(
        session, actor, template_id=body.template_id, values=body.values, period_key=body.period_key,
        recipient_ids=body.recipient_ids, chat_ids=body.chat_ids, submit=body.submit, client_id=body.client_id,
    )  # fmt: skip


@router.get("/reports")
async def get_reports(
    actor: CurrentActor,
    session: DB,
    box: Annotated[Literal["inbox", "sent", "drafts", "all"], Query()] = "inbox",
    template_id: Id = None,
    author_id: Id = None,
    department_id: Id = None,
    since: datetime | None = None,
    until: datetime | None = None,
    q: Annotated[str, Query(max_length=200, description="Words that must all appear")] = "",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    before: Annotated[datetime | None, Query(description="Older than (the last one's submitted_at)")] = None,
) -> list[dict[str, Any]]:
    """inbox (sent to me, unread first), sent, drafts, or all I may read; filters and search."""
    return await service.list_reports(
        session, actor, box=box, template_id=template_id, author_id=author_id, department_id=department_id,
        since=since, until=until, q=q, limit=limit, before=before,
    )  # fmt: skip


@router.get("/reports/stats")
async def get_stats(
    actor: CurrentActor, session: DB, template_id: str, first: date, last: date, department_id: Id = None
) -> dict[str, Any]:
    """Admins and department managers: who wrote on time, late or not at all."""
    return await stats.statistics(session, actor, template_id, first, last, department_id)


@router.get(
    "/reports/stats/export",
    response_class=Response,
    responses={200: {"content": {tables.XLSX: {}, "text/csv": {}}, "description": "XLSX or CSV"}},
)
async def get_stats_export(
    actor: CurrentActor,
    session: DB,
    template_id: str,
    first: date,
    last: date,
    department_id: Id = None,
    format: Annotated[Literal["xlsx", "csv"], Query()] = "xlsx",
) -> Response:
    report = await stats.statistics(session, actor, template_id, first, last, department_id)
    chinese = actor.org.language.startswith("zh")
    name = f"reports-{first.isoformat()}-{last.isoformat()}.{format}"
    if format == "csv":
        return attachment(stats.to_csv(report, chinese), tables.CSV, name)
    return attachment(stats.to_xlsx(report, chinese), tables.XLSX, name)


@router.get("/reports/{report_id}")
async def get_report(report_id: str, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """A report with comments and likes; its author (and admins) see who has read it."""
    return await service.get(session, actor, report_id)


@router.patch("/reports/{report_id}")
async def patch_report(report_id: str, body: schemas.ReportPatchIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """The author edits a draft (``submit: true`` sends it) or a report nobody has read yet."""
    return await service.update(session, actor, report_id, body.model_dump(exclude_unset=True))


@router.delete("/reports/{report_id}", status_code=204)
async def delete_report(report_id: str, actor: CurrentActor, session: DB) -> Response:
    """The author deletes a draft."""
    await service.delete_draft(session, actor, report_id)
    return Response(status_code=204)


@router.post("/reports/{report_id}/read")
async def post_read(report_id: str, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """A recipient opened it (the author learns who has read)."""
    return await service.mark_read(session, actor, report_id)


@router.post("/reports/{report_id}/comments", status_code=201)
async def post_comment(report_id: str, body: schemas.CommentIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    return await service.comment(session, actor, report_id, body.body)


@router.put("/reports/{report_id}/like")
async def put_like(report_id: str, actor: CurrentActor, session: DB) -> dict[str, Any]:
    return await service.like(session, actor, report_id, True)


@router.delete("/reports/{report_id}/like")
async def delete_like(report_id: str, actor: CurrentActor, session: DB) -> dict[str, Any]:
    return await service.like(session, actor, report_id, False)
