"""Sign-in, browser sessions, personal API tokens and failed-login throttling."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from hobnail.core import clock
from hobnail.core.config import Settings
from hobnail.core.errors import Conflict, Forbidden, NotAuthenticated, NotFound, TooManyRequests, ValidationFailed
from hobnail.core.security import (
    MIN_PASSWORD_LENGTH,
    hash_password_async,
    needs_rehash,
    new_token,
    token_digest,
    verify_password_async,
)
from hobnail.core.validation import check_name, normalize_email, normalize_phone
from hobnail.db.session import Session
from hobnail.domains.accounts import repository
from hobnail.domains.accounts.access import Actor, Principal
from hobnail.models import ApiToken, LoginThrottle, Membership, Organization, User, WebSession

SESSION_COOKIE = "hobnail_session"
API_TOKEN_PREFIX = "hbt"


class InvalidCredentials(NotAuthenticated):
    code = "invalid_credentials"
    message = "The account or password is wrong."
    # The failed attempt must be remembered even though the request fails.
    commit_anyway = True


class AccountDeactivated(Forbidden):
    code = "account_deactivated"
    message = "This account has been deactivated. Ask your organisation's admin."


class LoginThrottled(TooManyRequests):
    code = "login_throttled"
    message = "Too many failed sign-ins. Wait a moment and try again."


class AccountLocked(TooManyRequests):
    code = "account_locked"
    message = "Too many failed sign-ins; this account is locked for a while."


class NotAMember(NotFound):
    code = "org_not_found"
    message = "You are not a member of that organisation."


class WeakPassword(ValidationFailed):
    code = "weak_password"
    message = f"Passwords need at least {MIN_PASSWORD_LENGTH} characters."


def check_password_strength(password: str, field: str = "password") -> str:
    if len(password) < MIN_PASSWORD_LENGTH or not password.strip():
        raise WeakPassword(details={"field": field})
    return password


async def find_user_by_identifier(session: Session, identifier: str) -> User | None:
    """``identifier`` is an e-mail address or a mobile number; malformed ones are a 422."""
    if "@" in identifier:
        return await repository.user_by_email(session, normalize_email(identifier, "identifier"))
    return await repository.user_by_phone(session, normalize_phone(identifier, "identifier"))


def _throttle_key(identifier: str) -> str:
    return "login:" + identifier.strip().lower()[:280]


async def _check_throttle(session: Session, settings: Settings, key: str) -> LoginThrottle | None:
    throttle = await session.get(LoginThrottle, key)
    if throttle is None:
        return None
    now = clock.now()
    if throttle.locked_until and throttle.locked_until > now:
        raise AccountLocked(retry_after=int((throttle.locked_until - now).total_seconds()) + 1)
    if throttle.locked_until and throttle.locked_until <= now:
        throttle.failures, throttle.locked_until = 0, None
    excess = throttle.failures - settings.login_delay_after
    if excess >= 0 and throttle.last_failure_at is not None:
        wait = timedelta(seconds=min(2**excess, 60))
        ready_at = throttle.last_failure_at + wait
        if ready_at > now:
            raise LoginThrottled(retry_after=int((ready_at - now).total_seconds()) + 1)
    return throttle


async def _record_failure(session: Session, settings: Settings, key: str, throttle: LoginThrottle | None) -> None:
    if throttle is None:
        throttle = LoginThrottle(key=key, failures=0)
        session.add(throttle)
    throttle.failures += 1
    throttle.last_failure_at = clock.now()
    if throttle.failures >= settings.login_lock_after:
        throttle.locked_until = clock.now() + timedelta(minutes=settings.login_lock_minutes)
    await session.flush()


async def login(
    session: Session, settings: Settings, *, identifier: str, password: str, user_agent: str = ""
) -> tuple[User, WebSession, str]:
    """Check the password and open a browser session.

    Returns the user, the session row and the cookie secret (never stored).
    Side effects: failures are counted per identifier (slowed, then locked); success clears them.
    """
    key = _throttle_key(identifier)
    throttle = await _check_throttle(session, settings, key)
    user = await find_user_by_identifier(session, identifier)
    if user is None or not await verify_password_async(user.password_hash if user else None, password):
        await _record_failure(session, settings, key, throttle)
        raise InvalidCredentials()
    if throttle is not None:
        await session.delete(throttle)
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = await hash_password_async(password)
    memberships = await repository.orgs_of_user(session, user.id, active_only=True)
    if not memberships and await repository.count_memberships(session, user.id) > 0:
        raise AccountDeactivated()
    secret = new_token("hbs")
    web_session = WebSession(
        id=token_digest(secret),
        user_id=user.id,
        org_id=memberships[0][0].id if memberships else None,
        csrf_token=secrets.token_urlsafe(24),
        user_agent=user_agent[:300],
        created_at=clock.now(),
        expires_at=clock.now() + timedelta(days=settings.session_days),
    )
    session.add(web_session)
    await session.flush()
    return user, web_session, secret


async def open_session_for(
    session: Session, settings: Settings, user: User, org_id: str | None
) -> tuple[WebSession, str]:
    """Sign a user in without a password (right after setup or sign-up)."""
    secret = new_token("hbs")
    web_session = WebSession(
        id=token_digest(secret),
        user_id=user.id,
        org_id=org_id,
        csrf_token=secrets.token_urlsafe(24),
        created_at=clock.now(),
        expires_at=clock.now() + timedelta(days=settings.session_days),
    )
    session.add(web_session)
    await session.flush()
    return web_session, secret


async def logout(session: Session, web_session: WebSession) -> None:
    await session.delete(web_session)


def _with_person_and_org(credential: type[WebSession] | type[ApiToken]) -> Any:
    """The credential, its user, and (outer-joined) the organisation and membership it points at."""
    return (
        sa.select(credential, User, Organization, Membership)
        .join(User, User.id == credential.user_id)
        .outerjoin(Organization, Organization.id == credential.org_id)
        .outerjoin(Membership, sa.and_(Membership.org_id == credential.org_id, Membership.user_id == User.id))
    )


# Built once (every request authenticates with one of these).
_SESSION_PRINCIPAL = _with_person_and_org(WebSession).where(WebSession.id == sa.bindparam("digest"))
_TOKEN_PRINCIPAL = _with_person_and_org(ApiToken).where(
    ApiToken.digest == sa.bindparam("digest"), ApiToken.revoked_at.is_(None)
)


async def principal_from_cookie(session: Session, secret: str) -> Principal | None:
    row = (await session.execute(_SESSION_PRINCIPAL, {"digest": token_digest(secret)})).first()
    if row is None or row[0].expires_at <= clock.now():
        return None
    web_session, user, org, membership = row
    return Principal(user=user, org_id=web_session.org_id, web_session=web_session, org=org, membership=membership)


async def principal_from_token(session: Session, token: str, *, touch: bool = True) -> Principal | None:
    row = (await session.execute(_TOKEN_PRINCIPAL, {"digest": token_digest(token)})).first()
    if row is None:
        return None
    api_token, user, org, membership = row
    now = clock.now()
    if touch and (api_token.last_used_at is None or now - api_token.last_used_at > timedelta(minutes=1)):
        api_token.last_used_at = now  # coarse, so reads do not write on every call
    return Principal(user=user, org_id=api_token.org_id, api_token=api_token, org=org, membership=membership)


async def actor_for(session: Session, principal: Principal) -> Actor:
    """The principal acting in its current organisation. Raises if it has none or was deactivated."""
    if principal.org_id is None:
        raise NotAMember("Join or create an organisation first.", code="no_organization")
    org, membership = principal.org, principal.membership
    if org is None or membership is None or org.id != principal.org_id:
        row = (
            await session.execute(
                sa.select(Organization, Membership)
                .join(Membership, Membership.org_id == Organization.id)
                .where(Organization.id == principal.org_id, Membership.user_id == principal.user.id)
            )
        ).first()
        if row is None:
            raise NotAMember()
        org, membership = row
    if membership.status != "active":
        raise AccountDeactivated()
    return Actor(
        user=principal.user,
        org=org,
        membership=membership,
        web_session=principal.web_session,
        api_token=principal.api_token,
        app=principal.app,
    )


async def switch_org(session: Session, principal: Principal, org_id: str) -> None:
    """Point the browser session at another organisation the user is an active member of."""
    if principal.web_session is None:
        raise Conflict("API tokens are bound to one organisation.", code="token_bound_to_org")
    found = await repository.membership(session, org_id, principal.user.id)
    if found is None or found.status != "active":
        raise NotAMember(details={"org_id": org_id})
    principal.web_session.org_id = org_id
    principal.org_id = org_id
    principal.org = principal.membership = None  # loaded again for the new organisation


# --- personal API tokens ----------------------------------------------------------------


async def create_api_token(session: Session, actor: Actor, *, name: str) -> tuple[ApiToken, str]:
    """Create a token acting as ``actor`` in its organisation. The secret is returned once."""
    secret = new_token(API_TOKEN_PREFIX)
    token = ApiToken(
        user_id=actor.user_id,
        org_id=actor.org_id,
        name=check_name(name),
        digest=token_digest(secret),
        prefix=secret[: len(API_TOKEN_PREFIX) + 7],
        created_at=clock.now(),
    )
    session.add(token)
    await session.flush()
    return token, secret


async def list_api_tokens(session: Session, actor: Actor) -> list[ApiToken]:
    return list(
        (
            await session.scalars(
                sa.select(ApiToken)
                .where(
                    ApiToken.user_id == actor.user_id, ApiToken.org_id == actor.org_id, ApiToken.revoked_at.is_(None)
                )
                .order_by(ApiToken.created_at.desc())
            )
        ).all()
    )


async def revoke_api_token(session: Session, actor: Actor, token_id: str) -> None:
    token = await session.scalar(
        sa.select(ApiToken).where(
            ApiToken.id == token_id, ApiToken.user_id == actor.user_id, ApiToken.revoked_at.is_(None)
        )
    )
    if token is None:
        raise NotFound("No such token.", code="token_not_found")
    token.revoked_at = clock.now()


async def end_sessions_in_org(session: Session, org_id: str, user_id: str) -> None:
    """A deactivated member's browser sessions and tokens stop working in that organisation."""
    await session.execute(sa.delete(WebSession).where(WebSession.user_id == user_id, WebSession.org_id == org_id))
    await session.execute(
        sa.update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.org_id == org_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=clock.now())
    )
