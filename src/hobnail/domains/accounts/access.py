"""Who is acting, and the only way to load accounts rows an actor may see.

Every ``access_*`` raises ``NotFound`` whether the row is missing or belongs to another
organisation, so ids from another organisation cannot be probed.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from hobnail.core.errors import Forbidden, NotFound
from hobnail.db.session import Session
from hobnail.models import ApiToken, App, Department, Membership, Organization, User, WebSession


@dataclass
class Principal:
    """An authenticated user, with the organisation the credential points at (if any)."""

    user: User
    org_id: str | None
    web_session: WebSession | None = None
    api_token: ApiToken | None = None
    # Loaded with the credential (one query per request instead of three), if it has an org.
    org: Organization | None = None
    membership: Membership | None = None
    app: App | None = None  # an app's access token: the app's bot acting (see integrations.app_access)


@dataclass
class Actor:
    """A user acting inside one organisation as an active member."""

    user: User
    org: Organization
    membership: Membership
    web_session: WebSession | None = None
    api_token: ApiToken | None = None
    app: App | None = None

    @property
    def user_id(self) -> str:
        return self.user.id

    @property
    def org_id(self) -> str:
        return self.org.id

    @property
    def is_admin(self) -> bool:
        return self.membership.role in ("owner", "admin")

    @property
    def is_owner(self) -> bool:
        return self.membership.role == "owner"

    @property
    def is_staff(self) -> bool:
        """Staff are in the directory; a school's guardians and students are members who are not."""
        return self.membership.kind == "staff"


class AdminRequired(Forbidden):
    code = "admin_required"
    message = "Only the organisation's admins may do that."


class DepartmentNotFound(NotFound):
    code = "department_not_found"
    message = "No such department."


class MemberNotFound(NotFound):
    code = "member_not_found"
    message = "No such member."


def require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise AdminRequired()


async def access_department(session: Session, actor: Actor, department_id: str) -> Department:
    department = await session.scalar(
        sa.select(Department).where(Department.id == department_id, Department.org_id == actor.org_id)
    )
    if department is None:
        raise DepartmentNotFound(details={"department_id": department_id})
    return department


async def access_member(session: Session, actor: Actor, user_id: str) -> tuple[User, Membership]:
    row = (
        await session.execute(
            sa.select(User, Membership)
            .join(Membership, Membership.user_id == User.id)
            .where(
                User.id == user_id,
                Membership.org_id == actor.org_id,
                # Guardians and students are not in the directory (except to themselves).
                sa.or_(Membership.kind == "staff", User.id == actor.user_id),
            )
        )
    ).first()
    if row is None:
        raise MemberNotFound(details={"member_id": user_id})
    return row[0], row[1]
