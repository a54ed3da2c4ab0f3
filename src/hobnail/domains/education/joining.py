"""Guardians join a school with a class's code (or its link).

A teacher of the class (or an admin) makes a code. A guardian who is signed in — or signs
up with the code — and whose mobile number is on the class roster as a guardian of the
child they name becomes a member of the school who is not staff (``kind = guardian``)
and is linked to every child the school lists under that number. Wrong codes, numbers
and names all get the same answer, so the roster cannot be probed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hobnail.core import clock
from hobnail.core.errors import Conflict, NotFound, ValidationFailed
from hobnail.core.ids import short_code
from hobnail.core.validation import check_name, normalize_email
from hobnail.db.session import Session
from hobnail.domains.accounts import service as accounts_service
from hobnail.domains.accounts.access import Actor, Principal
from hobnail.domains.accounts.auth import check_password_strength
from hobnail.domains.education import events, repository
from hobnail.domains.education.access import access_class
from hobnail.domains.education.service import class_audience
from hobnail.domains.education.students import check_mainland_mobile, staff_view
from hobnail.events.base import topics
from hobnail.events.outbox import record
from hobnail.models import Organization, SchoolClass, SchoolClassInvitation, SchoolGuardian, SchoolStudent, User


class ClassInvitationInvalid(NotFound):
    code = "class_invitation_invalid"
    message = "This class code does not exist, has expired or was turned off."


class ClassInvitationNotFound(NotFound):
    code = "class_invitation_not_found"
    message = "No such class code."


class NotOnRoster(NotFound):
    code = "not_on_roster"
    message = "No child of that name in this class lists your mobile number. Ask the class teacher."


class PhoneRequired(ValidationFailed):
    code = "phone_required"
    message = "Add your mobile number to your account first; the school knows guardians by it."


class SignInFirst(Conflict):
    code = "sign_in_first"
    message = "An account already uses this mobile number: sign in, then use the code."


class GuardianLinkedElsewhere(Conflict):
    code = "guardian_linked_to_another_account"
    message = "This guardian already joined with another account."


def invitation_active(invitation: SchoolClassInvitation) -> bool:
    return invitation.disabled_at is None and invitation.expires_at > clock.now()


def invitation_view(invitation: SchoolClassInvitation, base_url: str) -> dict[str, Any]:
    return {
        "id": invitation.id,
        "class_id": invitation.class_id,
        "code": invitation.code,
        "url": f"{base_url}/school/join/{invitation.code}",
        "expires_at": clock.isoformat(invitation.expires_at),
        "active": invitation_active(invitation),
    }


async def create_invitation(session: Session, actor: Actor, class_id: str, *, days_valid: int) -> SchoolClassInvitation:
    """Admins and the class's teachers make a code guardians join with."""
    found = await access_class(session, actor, class_id)
    found.require_teacher()
    invitation = SchoolClassInvitation(
        org_id=actor.org_id,
        class_id=found.school_class.id,
        code=short_code(),
        created_by=actor.user_id,
        expires_at=clock.now() + timedelta(days=days_valid),
    )
    session.add(invitation)
    await session.flush()
    return invitation


async def list_invitations(session: Session, actor: Actor, class_id: str) -> list[SchoolClassInvitation]:
    found = await access_class(session, actor, class_id)
    found.require_teacher()
    return await repository.invitations_of_class(session, found.school_class.id)


async def disable_invitation(session: Session, actor: Actor, invitation_id: str) -> None:
    invitation = await repository.invitation(session, actor.org_id, invitation_id)
    if invitation is None:
        raise ClassInvitationNotFound()
    try:
        found = await access_class(session, actor, invitation.class_id)
    except NotFound:
        raise ClassInvitationNotFound() from None
    found.require_teacher()
    invitation.disabled_at = invitation.disabled_at or clock.now()


async def open_invitation(session: Session, code: str) -> tuple[SchoolClassInvitation, SchoolClass, Organization]:
    """Anyone holding a code may see which school and class it is for."""
    invitation = await repository.invitation_by_code(session, code.strip().upper()[:16])
    if invitation is None or not invitation_active(invitation):
        raise ClassInvitationInvalid()
    org = await session.get(Organization, invitation.org_id)
    school_class = await repository.school_class(session, invitation.org_id, invitation.class_id)
    if org is None or org.kind != "school" or school_class is None:
        raise ClassInvitationInvalid()
    return invitation, school_class, org


async def describe_invitation(session: Session, code: str) -> dict[str, Any]:
    invitation, school_class, org = await open_invitation(session, code)
    grade = await repository.grade(session, org.id, school_class.grade_id)
    return {
        "code": invitation.code,
        "school_name": org.name,
        "class_name": school_class.name,
        "grade_name": grade.name if grade else "",
    }


async def _roster_match(
    session: Session, org_id: str, class_id: str, phone: str, student_name: str
) -> tuple[SchoolGuardian, list[SchoolStudent]]:
    """The school's guardian with this number, if a child of theirs in the class has this name."""
    guardian = (await repository.guardians_by_phone(session, org_id, [phone])).get(phone)
    if guardian is None:
        raise NotOnRoster()
    links = await repository.guardians_of_students(
        session, [s.id for s in await repository.students_of_classes(session, [class_id])]
    )
    wanted = " ".join(student_name.split())
    children = await repository.students_by_id(
        session, org_id, [sid for sid, rows in links.items() if any(g.id == guardian.id for g, _ in rows)]
    )
    if not any(child.name == wanted for child in children):
        raise NotOnRoster()
    return guardian, children


async def _join(
    session: Session, user: User, invitation: SchoolClassInvitation, org: Organization, guardian: SchoolGuardian
) -> None:
    if guardian.user_id is not None and guardian.user_id != user.id:
        raise GuardianLinkedElsewhere()
    await accounts_service.add_non_staff_membership(session, org.id, user, kind="guardian")
    first_time = guardian.user_id is None
    guardian.user_id = user.id
    guardian.joined_at = guardian.joined_at or clock.now()
    await session.flush()
    if not first_time:
        return
    children = await repository.children_of_user(session, org.id, user.id)
    audience = await class_audience(session, org.id, invitation.class_id)
    await record(
        session,
        events.GuardianJoined(
            org_id=org.id, audience=(*audience, topics.user(user.id)), guardian_id=guardian.id, user_id=user.id,
            student_ids=[c.id for c in children], class_id=invitation.class_id,
        ),
    )  # fmt: skip
    for child in children:
        view = await staff_view(session, child)
        await record(
            session,
            events.StudentUpdated(
                org_id=org.id, audience=await class_audience(session, org.id, child.class_id), student=view
            ),
        )


async def redeem(session: Session, principal: Principal, code: str, *, student_name: str) -> str:
    """A signed-in person joins as a guardian with their account's mobile number. Returns the
    school's organisation id; a browser session switches to it."""
    invitation, school_class, org = await open_invitation(session, code)
    if not principal.user.phone:
        raise PhoneRequired()
    guardian, _ = await _roster_match(session, org.id, school_class.id, principal.user.phone, student_name)
    await _join(session, principal.user, invitation, org, guardian)
    if principal.web_session is not None:
        principal.web_session.org_id = org.id
    return org.id


async def sign_up(
    session: Session, code: str, *, name: str, phone: str, password: str, student_name: str
) -> tuple[User, str]:
    """Someone without an account signs up as a guardian with the code. Returns the new
    user and the school's organisation id (the caller opens a session)."""
    invitation, school_class, org = await open_invitation(session, code)
    clean_phone = check_mainland_mobile(phone)
    clean_name = check_name(name)
    # Check the roster before anything else, so a wrong number says the same as a wrong code.
    guardian, _ = await _roster_match(session, org.id, school_class.id, clean_phone, student_name)
    try:
        await accounts_service.check_contact_free(session, email=None, phone=clean_phone)
    except accounts_service.PhoneTaken:
        raise SignInFirst() from None
    check_password_strength(password)
    user = await accounts_service.new_user(session, name=clean_name, email=None, phone=clean_phone, password=password)
    await _join(session, user, invitation, org, guardian)
    return user, org.id


# --- students' own accounts ------------------------------------------------------------------


class StudentAlreadyJoined(Conflict):
    code = "student_already_joined"
    message = "This student already has an account. Sign in with it."


class ContactRequired(ValidationFailed):
    code = "contact_required"
    message = "Give a mobile number or an e-mail address to sign in with."


async def _student_match(session: Session, org_id: str, class_id: str, student_no: str, name: str) -> SchoolStudent:
    """The class's student with this number and name (404 ``not_on_roster`` otherwise)."""
    student = await repository.student_by_number(session, org_id, class_id, student_no.strip())
    if student is None or student.name != " ".join(name.split()):
        raise NotOnRoster()
    return student


async def _join_as_student(session: Session, user: User, org: Organization, student: SchoolStudent) -> None:
    if student.user_id is not None and student.user_id != user.id:
        raise StudentAlreadyJoined()
    await accounts_service.add_non_staff_membership(session, org.id, user, kind="student")
    if student.user_id == user.id:
        return
    student.user_id = user.id
    await session.flush()
    # The roster changed: teachers see it, and the class's 师生群 takes the student in.
    await record(
        session,
        events.StudentUpdated(
            org_id=org.id, audience=await class_audience(session, org.id, student.class_id),
            student=await staff_view(session, student),
        ),
    )  # fmt: skip


async def redeem_as_student(session: Session, principal: Principal, code: str, *, student_no: str, name: str) -> str:
    """A signed-in person claims their own place on the roster (number and name)."""
    invitation, school_class, org = await open_invitation(session, code)
    student = await _student_match(session, org.id, school_class.id, student_no, name)
    await _join_as_student(session, principal.user, org, student)
    if principal.web_session is not None:
        principal.web_session.org_id = org.id
    _ = invitation
    return org.id


async def sign_up_student(
    session: Session, code: str, *, name: str, student_no: str, phone: str | None, email: str | None, password: str
) -> tuple[User, str]:
    """A student signs up with the class code, their student number and name, and a mobile
    number or e-mail address to sign in with. Returns the user and the school's id."""
    _, school_class, org = await open_invitation(session, code)
    student = await _student_match(session, org.id, school_class.id, student_no, name)
    if student.user_id is not None:
        raise StudentAlreadyJoined()
    clean_phone = check_mainland_mobile(phone) if phone else None
    clean_email = normalize_email(email) if email else None
    if not clean_phone and not clean_email:
        raise ContactRequired()
    try:
        await accounts_service.check_contact_free(session, email=clean_email, phone=clean_phone)
    except (accounts_service.PhoneTaken, accounts_service.EmailTaken):
        raise SignInFirst() from None
    check_password_strength(password)
    user = await accounts_service.new_user(
        session, name=check_name(name), email=clean_email, phone=clean_phone, password=password
    )
    await _join_as_student(session, user, org, student)
    return user, org.id
