"""HTTP routes of approvals."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response

from hobnail.api.deps import DB, CurrentActor
from hobnail.api.downloads import attachment
from hobnail.api.errors import ERROR_RESPONSES
from hobnail.api.uow import UnitOfWorkRoute
from hobnail.core import clock
from hobnail.domains.approvals import balances, export, forms_admin, schemas, service
from hobnail.domains.approvals.settings import approval_settings, update_approval_settings

router = APIRouter(prefix="/api/v1", route_class=UnitOfWorkRoute, responses=ERROR_RESPONSES, tags=["approvals"])


@router.get("/approvals/forms", response_model=list[schemas.FormOut])
async def get_forms(request: Request, actor: CurrentActor, session: DB) -> list[dict[str, Any]]:
    """The forms people can fill in: leave, overtime, business trip, make-up punch, general, custom."""
    if await forms_admin.builtin_forms_missing(session, actor.org_id):
        # The first look creates the built-in forms in a write transaction of its own (a GET's
        # read transaction must not turn into a writer) and reads them back after its commit.
        async with request.app.state.sessionmaker() as writer:
            await forms_admin.ensure_builtin_forms(writer, actor.org_id)
            await writer.commit()
            return await forms_admin.list_forms(writer, actor)
    return await forms_admin.list_forms(session, actor)


@router.post("/approvals/forms", response_model=schemas.FormOut, status_code=201)
async def post_form(body: schemas.FormIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Admins design a custom form: fields and an approval flow (at least one step)."""
    return await forms_admin.create_form(session, actor, body.model_dump(exclude_none=True))


@router.patch("/approvals/forms/{form_id}", response_model=schemas.FormOut)
async def patch_form(form_id: str, body: schemas.FormIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    return await forms_admin.update_form(session, actor, form_id, body.model_dump(exclude_none=True))


@router.post("/approvals", response_model=schemas.RequestOut, status_code=201)
async def post_request(body: schemas.SubmitIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Submit a request from a form. Send an Idempotency-Key so a retry does not file it twice."""
    return await service.submit(session, actor, body.form_id, body.values)


@router.get("/approvals", response_model=list[schemas.RequestOut])
async def get_requests(
    actor: CurrentActor,
    session: DB,
    box: Annotated[
        Literal["mine", "todo", "done", "cc"], Query(description="mine, waiting for me, decided by me, CC")
    ] = "mine",
    status: Annotated[Literal["pending", "approved", "rejected", "withdrawn"] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    before: Annotated[datetime | None, Query(description="The next page: older than the last one's created_at")] = None,
) -> list[dict[str, Any]]:
    return await service.list_requests(session, actor, box=box, status=status, limit=limit, before=before)


@router.get("/approvals/settings", response_model=schemas.ApprovalSettingsOut)
async def get_settings(actor: CurrentActor) -> Any:
    return approval_settings(actor.org)


@router.patch("/approvals/settings", response_model=schemas.ApprovalSettingsOut)
async def patch_settings(body: schemas.ApprovalSettingsIn, actor: CurrentActor, session: DB) -> Any:
    """Admins: after how many hours a waiting request reminds its approver (0: never)."""
    return await update_approval_settings(session, actor, body.model_dump())


@router.get(
    "/approvals/export",
    response_class=Response,
    responses={200: {"content": {export.XLSX: {}}, "description": "An XLSX workbook"}},
)
async def get_export(
    actor: CurrentActor,
    session: DB,
    form_id: Annotated[str | None, Query(max_length=26)] = None,
    status: Annotated[Literal["pending", "approved", "rejected", "withdrawn"] | None, Query()] = None,
    since: Annotated[date | None, Query(description="First day (organisation's time zone)")] = None,
    until: Annotated[date | None, Query(description="Last day")] = None,
) -> Response:
    """Admins: requests as an XLSX workbook for HR (a column per form field)."""
    data = await export.export_requests(session, actor, form_id=form_id, status=status, since=since, until=until)
    name = f"approvals-{clock.now().date().isoformat()}.xlsx"
    return attachment(data, export.XLSX, name)


@router.get("/approvals/{request_id}", response_model=schemas.RequestOut)
async def get_request(request_id: str, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """A request with its steps, tasks and timeline (requester, approvers, CCs and admins)."""
    return await service.get_request(session, actor, request_id)


@router.post("/approvals/{request_id}/actions", response_model=schemas.RequestOut)
async def post_action(request_id: str, body: schemas.ActIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """The current approver: approve, reject, transfer to someone, or add someone before/after."""
    return await service.act(session, actor, request_id, body.action, comment=body.comment, user_id=body.user_id)


@router.post("/approvals/{request_id}/withdraw", response_model=schemas.RequestOut)
async def post_withdraw(request_id: str, actor: CurrentActor, session: DB) -> dict[str, Any]:
    return await service.withdraw(session, actor, request_id)


@router.post("/approvals/{request_id}/comments", response_model=schemas.RequestOut, status_code=201)
async def post_comment(request_id: str, body: schemas.CommentIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    return await service.comment(session, actor, request_id, body.body)


@router.get("/leave/balances", response_model=list[schemas.BalanceOut])
async def get_balances(
    actor: CurrentActor,
    session: DB,
    user_id: Annotated[str | None, Query(max_length=26, description="Admins: someone else's")] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> list[dict[str, Any]]:
    return await balances.balances_of(session, actor, user_id, year or clock.now().year)


@router.put("/leave/quotas", response_model=list[schemas.BalanceOut])
async def put_quotas(body: schemas.QuotaIn, actor: CurrentActor, session: DB) -> list[dict[str, Any]]:
    """Admins: a yearly quota of one leave type for some people (days, halves allowed)."""
    return await balances.set_quota(
        session, actor, user_ids=body.user_ids, leave_type=body.leave_type, year=body.year,
        quota_days=body.quota_days, everyone=body.everyone,
    )  # fmt: skip


@router.post("/leave/quotas/annual-by-service", response_model=schemas.AnnualRuleOut)
async def post_annual_rule(body: schemas.AnnualRuleIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Admins: everyone's annual leave for a year by years of service (China's statutory
    5/10/15 days after 1/10/20 years), from each member's ``work_start_on``."""
    return await balances.apply_annual_rule(session, actor, body.year)
