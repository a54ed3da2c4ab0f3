"""HTTP routes of the accounts domain: parse, call one service function, return."""

from __future__ import annotations

import mimetypes
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, UploadFile

from hobnail.api.deps import DB, AppSettings, CurrentActor, CurrentPrincipal, OptionalPrincipal
from hobnail.api.errors import ERROR_RESPONSES
from hobnail.api.uow import UnitOfWorkRoute
from hobnail.core.config import Settings
from hobnail.core.errors import PayloadTooLarge
from hobnail.domains.accounts import auth, csv_import, directory, invitations, schemas, service
from hobnail.domains.accounts.presenters import department_view, member_view, org_view, user_view
from hobnail.models import Invitation, User, WebSession

router = APIRouter(prefix="/api/v1", route_class=UnitOfWorkRoute, responses=ERROR_RESPONSES)


def _set_session_cookie(response: Response, request: Request, settings: Settings, secret: str) -> None:
    response.set_cookie(
        auth.SESSION_COOKIE,
        secret,
        max_age=settings.session_days * 86400,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure or request.url.scheme == "https",
        path="/",
    )


async def _session_out(session: DB, user: User, org_id: str | None, web_session: WebSession | None) -> dict[str, Any]:
    orgs = await service.list_my_orgs(session, user)
    current = next(((o, m) for o, m in orgs if o.id == org_id), None)
    return {
        "user": user_view(user),
        "org": org_view(*current) if current else None,
        "orgs": [org_view(o, m) for o, m in orgs],
        "csrf_token": web_session.csrf_token if web_session else None,
    }


# --- setup and sign-in ---------------------------------------------------------------------


@router.get("/setup", response_model=schemas.SetupStatus, tags=["setup"])
async def get_setup(session: DB) -> dict[str, bool]:
    """Whether this server still needs its first organisation."""
    return {"needed": await service.setup_needed(session)}


@router.post("/setup", response_model=schemas.SessionOut, status_code=201, tags=["setup"])
async def post_setup(
    body: schemas.SetupIn, session: DB, request: Request, response: Response, settings: AppSettings
) -> dict[str, Any]:
    """Create the first organisation and its owner, and sign the owner in."""
    user, org = await service.do_setup(session, **body.model_dump())
    web_session, secret = await auth.open_session_for(session, settings, user, org.id)
    _set_session_cookie(response, request, settings, secret)
    return await _session_out(session, user, org.id, web_session)


@router.post("/auth/login", response_model=schemas.SessionOut, tags=["auth"])
async def post_login(
    body: schemas.LoginIn, session: DB, request: Request, response: Response, settings: AppSettings
) -> dict[str, Any]:
    """Sign in with e-mail or mobile number. Sets an HttpOnly session cookie."""
    user, web_session, secret = await auth.login(
        session, settings, identifier=body.identifier, password=body.password,
        user_agent=request.headers.get("user-agent", ""),
    )  # fmt: skip
    _set_session_cookie(response, request, settings, secret)
    return await _session_out(session, user, web_session.org_id, web_session)


@router.post("/auth/logout", status_code=204, tags=["auth"])
async def post_logout(principal: OptionalPrincipal, session: DB, response: Response) -> Response:
    if principal is not None and principal.web_session is not None:
        await auth.logout(session, principal.web_session)
    response.delete_cookie(auth.SESSION_COOKIE, path="/")
    response.status_code = 204
    return response


@router.get("/auth/session", response_model=schemas.SessionOut, tags=["auth"])
async def get_session_info(principal: CurrentPrincipal, session: DB) -> dict[str, Any]:
    """Who is signed in, the current organisation, all their organisations, the CSRF token."""
    return await _session_out(session, principal.user, principal.org_id, principal.web_session)


@router.put("/auth/session/org", response_model=schemas.SessionOut, tags=["auth"])
async def put_session_org(body: schemas.SwitchOrgIn, principal: CurrentPrincipal, session: DB) -> dict[str, Any]:
    """Switch the browser session to another organisation the user belongs to."""
    await auth.switch_org(session, principal, body.org_id)
    return await _session_out(session, principal.user, principal.org_id, principal.web_session)


# --- a person's own account --------------------------------------------------------------


@router.get("/me", response_model=schemas.UserOut, tags=["me"])
async def get_me(principal: CurrentPrincipal) -> dict[str, Any]:
    return user_view(principal.user)


@router.patch("/me", response_model=schemas.UserOut, tags=["me"])
async def patch_me(body: schemas.ProfileUpdateIn, principal: CurrentPrincipal, session: DB) -> dict[str, Any]:
    user = await service.update_profile(session, principal.user, **body.model_dump())
    return user_view(user)


@router.post("/me/password", status_code=204, tags=["me"])
async def post_password(body: schemas.PasswordChangeIn, principal: CurrentPrincipal, session: DB) -> Response:
    await service.change_password(session, principal.user, **body.model_dump())
    return Response(status_code=204)


@router.put("/me/avatar", response_model=schemas.UserOut, tags=["me"])
async def put_avatar(
    request: Request, file: UploadFile, principal: CurrentPrincipal, session: DB, settings: AppSettings
) -> dict[str, Any]:
    """Upload an avatar image (multipart field ``file``; PNG, JPEG, GIF or WebP)."""
    data = await file.read(settings.avatar_max_bytes + 1)
    user = await service.set_avatar(
        session,
        principal.user,
        data=data,
        storage=request.app.state.storage,
        max_bytes=settings.avatar_max_bytes,
    )
    return user_view(user)


@router.get("/avatars/{key}", tags=["me"], response_class=Response)
async def get_avatar(request: Request, key: str, settings: AppSettings) -> Response:
    """Avatars by their unguessable key, cacheable for a year (a new avatar gets a new key)."""
    data = await service.avatar_image(key, storage=request.app.state.storage, legacy_dir=settings.data_dir / "avatars")
    media_type = mimetypes.guess_type(key)[0] or "application/octet-stream"
    return Response(
        data,
        media_type=media_type,
        headers={"Cache-Control": "public, max-age=31536000, immutable", "X-Content-Type-Options": "nosniff"},
    )


@router.get("/me/orgs", response_model=list[schemas.OrgOut], tags=["me"])
async def get_my_orgs(principal: CurrentPrincipal, session: DB) -> list[dict[str, Any]]:
    return [org_view(o, m) for o, m in await service.list_my_orgs(session, principal.user)]


@router.post("/orgs", response_model=schemas.OrgOut, status_code=201, tags=["organization"])
async def post_org(body: schemas.OrgCreateIn, principal: CurrentPrincipal, session: DB) -> dict[str, Any]:
    """Start another organisation; its creator owns it (and a browser session switches to it)."""
    org, membership = await service.create_organization(session, principal.user, **body.model_dump())
    if principal.web_session is not None:
        principal.web_session.org_id = org.id
    return org_view(org, membership)


@router.get("/me/tokens", response_model=list[schemas.TokenOut], tags=["me"])
async def get_tokens(actor: CurrentActor, session: DB) -> list[Any]:
    return list(await auth.list_api_tokens(session, actor))


@router.post("/me/tokens", response_model=schemas.TokenCreatedOut, status_code=201, tags=["me"])
async def post_token(body: schemas.TokenCreateIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Create a personal API token for this organisation. The token is shown only now."""
    token, secret = await auth.create_api_token(session, actor, name=body.name)
    return {**schemas.TokenOut.model_validate(token, from_attributes=True).model_dump(), "token": secret}


@router.delete("/me/tokens/{token_id}", status_code=204, tags=["me"])
async def delete_token(token_id: str, actor: CurrentActor, session: DB) -> Response:
    await auth.revoke_api_token(session, actor, token_id)
    return Response(status_code=204)


# --- the organisation ------------------------------------------------------------------------


@router.get("/org", response_model=schemas.OrgOut, tags=["organization"])
async def get_org(actor: CurrentActor) -> dict[str, Any]:
    return org_view(actor.org, actor.membership)


@router.patch("/org", response_model=schemas.OrgOut, tags=["organization"])
async def patch_org(body: schemas.OrgUpdateIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    org = await service.update_organization(session, actor, **body.model_dump())
    return org_view(org, actor.membership)


@router.get("/departments", response_model=list[schemas.DepartmentOut], tags=["directory"])
async def get_departments(actor: CurrentActor, session: DB) -> list[dict[str, Any]]:
    """Every department of the organisation, flat, in display order (build the tree by parent_id)."""
    return await directory.list_departments(session, actor)


@router.post("/departments", response_model=schemas.DepartmentOut, status_code=201, tags=["directory"])
async def post_department(body: schemas.DepartmentIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    department = await directory.create_department(session, actor, name=body.name, parent_id=body.parent_id)
    return department_view(department)


@router.patch("/departments/{department_id}", response_model=schemas.DepartmentOut, tags=["directory"])
async def patch_department(
    department_id: str, body: schemas.DepartmentUpdateIn, actor: CurrentActor, session: DB
) -> dict[str, Any]:
    """Rename, move under another department (or to the top) and/or set its position among siblings."""
    department = await directory.update_department(session, actor, department_id, **body.model_dump())
    counts = {d["id"]: d["member_count"] for d in await directory.list_departments(session, actor)}
    return department_view(department, counts.get(department.id, 0))


@router.put("/departments/{department_id}/managers", response_model=schemas.DepartmentOut, tags=["directory"])
async def put_department_managers(
    department_id: str, body: schemas.ManagersIn, actor: CurrentActor, session: DB
) -> dict[str, Any]:
    """Admins: the department's managers (主管), chosen among its members. Approvals ask
    them ("the requester's manager"), one level up per level."""
    return await directory.set_managers(session, actor, department_id, body.user_ids)


@router.delete("/departments/{department_id}", status_code=204, tags=["directory"])
async def delete_department(department_id: str, actor: CurrentActor, session: DB) -> Response:
    await directory.delete_department(session, actor, department_id)
    return Response(status_code=204)


@router.get("/members", response_model=schemas.MemberPage, tags=["directory"])
async def get_members(
    actor: CurrentActor,
    session: DB,
    q: Annotated[
        str | None, Query(max_length=100, description="Name, pinyin, initials, phone, e-mail or title")
    ] = None,
    department_id: str | None = None,
    recursive: bool = False,
    include_deactivated: bool = False,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    items, next_cursor = await directory.search_members(
        session, actor, query=q, department_id=department_id, recursive=recursive,
        include_deactivated=include_deactivated, cursor=cursor, limit=limit,
    )  # fmt: skip
    return {"items": items, "next_cursor": next_cursor}


def _created_view(created: directory.NewMember) -> dict[str, Any]:
    return {
        **member_view(created.user, created.membership, created.department_ids),
        "initial_password": created.initial_password,
    }


@router.post("/members", response_model=schemas.MemberCreatedOut, status_code=201, tags=["directory"])
async def post_member(body: schemas.MemberCreateIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Add a person by e-mail and/or mobile number. A new account's initial password is returned once."""
    return _created_view(await directory.add_member(session, actor, **body.model_dump()))


@router.post("/members/import", response_model=schemas.ImportResult, tags=["directory"])
async def post_member_import(
    file: UploadFile, actor: CurrentActor, session: DB, settings: AppSettings, dry_run: bool = False
) -> dict[str, Any]:
    """Import members from CSV (UTF-8 or GBK). All rows or none: errors list each bad row."""
    data = await file.read(settings.csv_max_bytes + 1)
    if len(data) > settings.csv_max_bytes:
        raise PayloadTooLarge(f"CSV files are at most {settings.csv_max_bytes // 1024} KiB.", code="csv_too_large")
    checked, created = await csv_import.import_members(
        session, actor, data=data, max_bytes=settings.csv_max_bytes, max_rows=settings.csv_max_rows, dry_run=dry_run
    )
    return {
        "checked": checked,
        "imported": len(created),
        "dry_run": dry_run,
        "members": [_created_view(c) for c in created],
    }


@router.get("/members/{member_id}", response_model=schemas.MemberOut, tags=["directory"])
async def get_member(member_id: str, actor: CurrentActor, session: DB) -> dict[str, Any]:
    return await directory.get_member(session, actor, member_id)


@router.patch("/members/{member_id}", response_model=schemas.MemberOut, tags=["directory"])
async def patch_member(
    member_id: str, body: schemas.MemberUpdateIn, actor: CurrentActor, session: DB
) -> dict[str, Any]:
    return await directory.update_member(session, actor, member_id, body.model_dump(exclude_unset=True))


@router.post("/members/{member_id}/deactivate", response_model=schemas.MemberOut, tags=["directory"])
async def post_deactivate(member_id: str, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """The member can no longer sign in to this organisation; their history stays."""
    return await directory.set_member_status(session, actor, member_id, active=False)


@router.post("/members/{member_id}/reactivate", response_model=schemas.MemberOut, tags=["directory"])
async def post_reactivate(member_id: str, actor: CurrentActor, session: DB) -> dict[str, Any]:
    return await directory.set_member_status(session, actor, member_id, active=True)


# --- invitations ----------------------------------------------------------------------------


def _invitation_view(request: Request, invitation: Invitation, settings: Settings) -> dict[str, Any]:
    base = settings.base_url.rstrip("/") or str(request.base_url).rstrip("/")
    return {
        "id": invitation.id,
        "code": invitation.code,
        "url": f"{base}/join/{invitation.code}",
        "department_id": invitation.department_id,
        "expires_at": invitation.expires_at,
        "active": invitations.invitation_active(invitation),
    }


@router.get("/invitations", response_model=list[schemas.InvitationOut], tags=["invitations"])
async def get_invitations(
    actor: CurrentActor, session: DB, request: Request, settings: AppSettings
) -> list[dict[str, Any]]:
    return [_invitation_view(request, i, settings) for i in await invitations.list_invitations(session, actor)]


@router.post("/invitations", response_model=schemas.InvitationOut, status_code=201, tags=["invitations"])
async def post_invitation(
    body: schemas.InvitationIn, actor: CurrentActor, session: DB, request: Request, settings: AppSettings
) -> dict[str, Any]:
    invitation = await invitations.create_invitation(session, actor, **body.model_dump())
    return _invitation_view(request, invitation, settings)


@router.delete("/invitations/{invitation_id}", status_code=204, tags=["invitations"])
async def delete_invitation(invitation_id: str, actor: CurrentActor, session: DB) -> Response:
    """Turn an invitation off; its link and code stop working."""
    await invitations.disable_invitation(session, actor, invitation_id)
    return Response(status_code=204)


@router.get("/join/{code}", response_model=schemas.InvitationPublicOut, tags=["invitations"])
async def get_join(code: str, session: DB) -> dict[str, Any]:
    """What an invitation is for (no sign-in needed)."""
    invitation, org = await invitations.open_invitation(session, code[:32])
    return {"org_name": org.name, "code": invitation.code}


@router.post("/join/{code}", response_model=schemas.JoinRequestOut, status_code=201, tags=["invitations"])
async def post_join(code: str, body: schemas.JoinIn, session: DB) -> dict[str, Any]:
    """Ask to join with name and mobile number; an admin approves or rejects."""
    request = await invitations.apply_to_join(session, code[:32], **body.model_dump())
    return invitations.join_request_view(request)


@router.get("/join-requests", response_model=list[schemas.JoinRequestOut], tags=["invitations"])
async def get_join_requests(
    actor: CurrentActor,
    session: DB,
    status: Annotated[str | None, Query(pattern="^(pending|approved|rejected)$")] = None,
) -> list[dict[str, Any]]:
    return [
        invitations.join_request_view(r) for r in await invitations.list_join_requests(session, actor, status=status)
    ]


@router.post("/join-requests/{request_id}/approve", response_model=schemas.JoinRequestOut, tags=["invitations"])
async def post_approve(request_id: str, actor: CurrentActor, session: DB) -> dict[str, Any]:
    return invitations.join_request_view(
        await invitations.decide_join_request(session, actor, request_id, approve=True)
    )


@router.post("/join-requests/{request_id}/reject", response_model=schemas.JoinRequestOut, tags=["invitations"])
async def post_reject(request_id: str, actor: CurrentActor, session: DB) -> dict[str, Any]:
    return invitations.join_request_view(
        await invitations.decide_join_request(session, actor, request_id, approve=False)
    )
