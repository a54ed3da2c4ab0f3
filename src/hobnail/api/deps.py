"""Authentication dependencies: cookie sessions (with CSRF) and bearer tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from hobnail.api.uow import SAFE_METHODS, db
from hobnail.core.config import Settings
from hobnail.core.errors import Forbidden, NotAuthenticated
from hobnail.core.security import constant_time_equals
from hobnail.db.session import Session
from hobnail.domains.accounts import auth
from hobnail.domains.accounts.access import Actor, Principal
from hobnail.domains.integrations import app_access

CSRF_HEADER = "X-CSRF-Token"
APP_TOKEN_HEADER = "x-acs-dingtalk-access-token"  # DingTalk's header for app tokens


class CsrfFailed(Forbidden):
    code = "csrf_failed"
    message = "Missing or wrong X-CSRF-Token header; reload the page."


def settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def bearer_token(authorization: str | None) -> str | None:
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return None


async def resolve_principal(
    session: Session,
    *,
    authorization: str | None,
    cookie: str | None,
    touch: bool = True,
    app_token: str | None = None,
) -> Principal | None:
    """``touch``: note the token's use (a write; reads skip it so they take no write lock).
    A bearer token is a person's API token or an app's access token."""
    token = bearer_token(authorization) or app_token
    if token:
        principal = await auth.principal_from_token(session, token, touch=touch)
        if principal is None:
            principal = await app_access.app_principal(session, token)
        if principal is None:
            raise NotAuthenticated("The API token is not valid or was revoked.", code="invalid_token")
        return principal
    if cookie:
        return await auth.principal_from_cookie(session, cookie)
    return None


async def optional_principal(request: Request, session: Annotated[Session, Depends(db)]) -> Principal | None:
    principal = await resolve_principal(
        session,
        authorization=request.headers.get("authorization"),
        cookie=request.cookies.get(auth.SESSION_COOKIE),
        touch=request.method not in SAFE_METHODS,
        app_token=request.headers.get(APP_TOKEN_HEADER),
    )
    if principal is not None and principal.web_session is not None and request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not sent or not constant_time_equals(sent, principal.web_session.csrf_token):
            raise CsrfFailed()
    return principal


async def current_principal(principal: Annotated[Principal | None, Depends(optional_principal)]) -> Principal:
    if principal is None:
        raise NotAuthenticated()
    return principal


async def current_actor(
    principal: Annotated[Principal, Depends(current_principal)],
    session: Annotated[Session, Depends(db)],
    request: Request,
) -> Actor:
    actor = await auth.actor_for(session, principal)
    if actor.app is not None:
        route = request.scope.get("route")
        app_access.admit(actor.app, actor.membership, request.method, getattr(route, "path", request.url.path))
    return actor


async def actor_from_request(session: Session, request: Request) -> Actor:
    """Authenticate outside a route's unit of work (for routes that stream, such as tus
    uploads, and open their own short ones). Same rules as ``current_actor``."""
    principal = await optional_principal(request, session)
    if principal is None:
        raise NotAuthenticated()
    actor = await auth.actor_for(session, principal)
    if actor.app is not None:
        route = request.scope.get("route")
        app_access.admit(actor.app, actor.membership, request.method, getattr(route, "path", request.url.path))
    return actor


DB = Annotated[Session, Depends(db)]
CurrentActor = Annotated[Actor, Depends(current_actor)]
CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]
AppSettings = Annotated[Settings, Depends(settings_dep)]
