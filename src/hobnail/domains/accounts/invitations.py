"""Invitations by link or code: applicants ask to join, admins approve or reject."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from hobnail.core import clock
from hobnail.core.clock import isoformat
from hobnail.core.errors import Conflict, NotFound
from hobnail.core.ids import short_code
from hobnail.core.security import hash_password_async
from hobnail.core.validation import check_name, normalize_email, normalize_phone
from hobnail.db.session import Session
from hobnail.domains.accounts import events, repository
from hobnail.domains.accounts.access import Actor, access_department, require_admin
from hobnail.domains.accounts.auth import WeakPassword, check_password_strength
from hobnail.domains.accounts.directory import announce_member, announce_member_counts
from hobnail.domains.accounts.service import new_user
from hobnail.events.base import topics
from hobnail.events.outbox import record
from hobnail.models import Invitation, JoinRequest, Membership, Organization


class InvitationInvalid(NotFound):
    code = "invitation_invalid"
    message = "This invitation does not exist, has expired or was turned off."


class JoinRequestPending(Conflict):
    code = "join_request_pending"
    message = "A request to join with this mobile number is already waiting for approval."


class AlreadyMember(Conflict):
    code = "already_member"
    message = "This person is already a member; sign in instead."


class JoinRequestDecided(Conflict):
    code = "join_request_decided"
    message = "That request was already approved or rejected."


def join_request_view(request: JoinRequest) -> dict[str, Any]:
    return {
        "id": request.id,
        "name": request.name,
        "phone": request.phone,
        "email": request.email,
        "status": request.status,
        "created_at": isoformat(request.created_at),
    }


async def create_invitation(
    session: Session, actor: Actor, *, days_valid: int, department_id: str | None
) -> Invitation:
    require_admin(actor)
    if department_id is not None:
        await access_department(session, actor, department_id)
    invitation = Invitation(
        org_id=actor.org_id,
        code=short_code(),
        created_by=actor.user_id,
        department_id=department_id,
        expires_at=clock.now() + timedelta(days=days_valid),
    )
    session.add(invitation)
    await session.flush()
    return invitation


async def list_invitations(session: Session, actor: Actor) -> list[Invitation]:
    require_admin(actor)
    return list(
        (
            await session.scalars(
                sa.select(Invitation).where(Invitation.org_id == actor.org_id).order_by(Invitation.created_at.desc())
            )
        ).all()
    )


async def disable_invitation(session: Session, actor: Actor, invitation_id: str) -> None:
    require_admin(actor)
    invitation = await session.scalar(
        sa.select(Invitation).where(Invitation.id == invitation_id, Invitation.org_id == actor.org_id)
    )
    if invitation is None:
        raise NotFound("No such invitation.", code="invitation_not_found")
    invitation.disabled_at = invitation.disabled_at or clock.now()


def invitation_active(invitation: Invitation) -> bool:
    return invitation.disabled_at is None and invitation.expires_at > clock.now()


async def open_invitation(session: Session, code: str) -> tuple[Invitation, Organization]:
    """Anyone holding a code may see which organisation it is for."""
    row = (
        await session.execute(
            sa.select(Invitation, Organization)
            .join(Organization, Organization.id == Invitation.org_id)
            .where(Invitation.code == code.strip().upper())
        )
    ).first()
    if row is None or not invitation_active(row[0]):
        raise InvitationInvalid()
    return row[0], row[1]


async def apply_to_join(
    session: Session, code: str, *, name: str, phone: str, email: str | None, password: str | None
) -> JoinRequest:
    """An applicant fills in name and phone (and a password for a new account).

    Side effects: admins are told through the event stream.
    """
    invitation, org = await open_invitation(session, code)
    clean_phone = normalize_phone(phone)
    clean_email = normalize_email(email) if email else None
    clean_name = check_name(name)
    if password is not None:
        check_password_strength(password)
    existing_user = await repository.user_by_phone(session, clean_phone)
    if existing_user is not None and await repository.membership(session, org.id, existing_user.id) is not None:
        raise AlreadyMember()
    pending = await session.scalar(
        sa.select(JoinRequest.id).where(
            JoinRequest.org_id == org.id, JoinRequest.phone == clean_phone, JoinRequest.status == "pending"
        )
    )
    if pending is not None:
        raise JoinRequestPending()
    if existing_user is None and password is None:
        raise WeakPassword(
            "Choose a password for your new account.", code="password_required", details={"field": "password"}
        )
    request = JoinRequest(
        org_id=org.id,
        invitation_id=invitation.id,
        name=clean_name,
        phone=clean_phone,
        email=clean_email,
        password_hash=await hash_password_async(password) if password else None,
    )
    session.add(request)
    await session.flush()
    await record(
        session,
        events.JoinRequestCreated(
            org_id=org.id, audience=(topics.admins(org.id),), join_request=join_request_view(request)
        ),
    )
    return request


async def list_join_requests(session: Session, actor: Actor, *, status: str | None) -> list[JoinRequest]:
    require_admin(actor)
    query = sa.select(JoinRequest).where(JoinRequest.org_id == actor.org_id).order_by(JoinRequest.created_at.desc())
    if status:
        query = query.where(JoinRequest.status == status)
    return list((await session.scalars(query)).all())


async def decide_join_request(session: Session, actor: Actor, request_id: str, *, approve: bool) -> JoinRequest:
    """Approve (the applicant becomes a member, in the invitation's department) or reject."""
    require_admin(actor)
    request = await session.scalar(
        sa.select(JoinRequest).where(JoinRequest.id == request_id, JoinRequest.org_id == actor.org_id)
    )
    if request is None:
        raise NotFound("No such request.", code="join_request_not_found")
    if request.status != "pending":
        raise JoinRequestDecided()
    request.status = "approved" if approve else "rejected"
    request.decided_by = actor.user_id
    request.decided_at = clock.now()
    if approve:
        user = await repository.user_by_phone(session, request.phone)
        if user is None and request.email:
            user = await repository.user_by_email(session, request.email)
        if user is None:
            user = await new_user(
                session,
                name=request.name,
                email=request.email,
                phone=request.phone,
                password=None,
                password_hash=request.password_hash,
            )
        if await repository.membership(session, actor.org_id, user.id) is not None:
            raise AlreadyMember()
        membership = Membership(org_id=actor.org_id, user_id=user.id, role="member", created_at=clock.now())
        session.add(membership)
        await session.flush()
        invitation = await session.get(Invitation, request.invitation_id)
        if invitation is not None and invitation.department_id:
            await repository.set_user_departments(session, actor.org_id, user.id, [invitation.department_id])
        request.user_id = user.id
        await announce_member(session, actor.org_id, user, membership, added=True)
        if invitation is not None and invitation.department_id:
            await announce_member_counts(session, actor.org_id, {invitation.department_id})
    await session.flush()
    await record(
        session,
        events.JoinRequestDecided(
            org_id=actor.org_id, audience=(topics.admins(actor.org_id),), join_request=join_request_view(request)
        ),
    )
    return request
