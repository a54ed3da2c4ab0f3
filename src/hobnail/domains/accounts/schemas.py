"""Request and response bodies of the accounts API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Role = Literal["owner", "admin", "member"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- setup, sign-in, session -------------------------------------------------------------


class SetupStatus(BaseModel):
    needed: bool


class SetupIn(Strict):
    org_name: str = Field(max_length=200)
    timezone: str = "Asia/Shanghai"
    language: str = "zh-CN"
    owner_name: str = Field(max_length=200)
    email: str = Field(max_length=300)
    phone: str | None = Field(default=None, max_length=40)
    password: str = Field(max_length=200)


class LoginIn(Strict):
    identifier: str = Field(max_length=300, description="E-mail address or mobile number")
    password: str = Field(max_length=200)


class UserOut(BaseModel):
    id: str
    name: str
    email: str | None
    phone: str | None
    language: str | None
    timezone: str | None
    avatar_url: str | None
    quiet_hours_start: str | None = None
    quiet_hours_end: str | None = None


class OrgOut(BaseModel):
    id: str
    name: str
    timezone: str
    language: str
    kind: str
    role: Role | None = None
    member_kind: str | None = None  # staff | guardian | student (guardians are not in the directory)


class SessionOut(BaseModel):
    user: UserOut
    org: OrgOut | None
    orgs: list[OrgOut]
    csrf_token: str | None = Field(description="Send as X-CSRF-Token on writes made with the cookie")


class SwitchOrgIn(Strict):
    org_id: str


class OrgCreateIn(Strict):
    name: str = Field(max_length=200)
    timezone: str = "Asia/Shanghai"
    language: str = "zh-CN"


class OrgUpdateIn(Strict):
    name: str | None = Field(default=None, max_length=200)
    timezone: str | None = None
    language: str | None = None


# --- profile and tokens -----------------------------------------------------------------------


class ProfileUpdateIn(Strict):
    name: str | None = Field(default=None, max_length=200)
    language: str | None = None
    timezone: str | None = None
    quiet_hours_start: str | None = Field(default=None, max_length=5, description='"22:00"; "" clears')
    quiet_hours_end: str | None = Field(default=None, max_length=5, description='"07:30"; "" clears')


class PasswordChangeIn(Strict):
    current_password: str = Field(max_length=200)
    new_password: str = Field(max_length=200)


class TokenCreateIn(Strict):
    name: str = Field(max_length=100)


class TokenOut(BaseModel):
    id: str
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None


class TokenCreatedOut(TokenOut):
    token: str = Field(description="Shown once; store it now")


# --- directory ------------------------------------------------------------------------------


class DepartmentIn(Strict):
    name: str = Field(max_length=200)
    parent_id: str | None = None


class ManagersIn(Strict):
    user_ids: list[str] = Field(max_length=20, description="Members of the department; [] for none")


class DepartmentUpdateIn(Strict):
    name: str | None = Field(default=None, max_length=200)
    parent_id: str | None = Field(default=None, description="Move under this department; null keeps it")
    move_to_top: bool = Field(default=False, description="Move to the top level")
    position: int | None = Field(default=None, ge=0, le=100000)


class DepartmentOut(BaseModel):
    id: str
    name: str
    parent_id: str | None
    position: int
    member_count: int
    manager_ids: list[str] = Field(default_factory=list, description="Its managers (主管), who approve for it")


class MemberCreateIn(Strict):
    name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=300)
    phone: str | None = Field(default=None, max_length=40)
    title: str = Field(default="", max_length=100)
    employee_no: str = Field(default="", max_length=64)
    role: Role = "member"
    department_ids: list[str] = Field(default_factory=list, max_length=50)
    password: str | None = Field(default=None, max_length=200, description="Initial password; generated if omitted")


class MemberUpdateIn(Strict):
    name: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=300)
    phone: str | None = Field(default=None, max_length=40)
    title: str | None = Field(default=None, max_length=100)
    employee_no: str | None = Field(default=None, max_length=64)
    role: Role | None = None
    department_ids: list[str] | None = Field(default=None, max_length=50)
    work_start_on: date | None = Field(default=None, description="When their working years began (annual leave)")


class MemberOut(BaseModel):
    id: str = Field(description="The person's user id")
    name: str
    email: str | None
    phone: str | None
    title: str
    employee_no: str
    role: Role
    status: Literal["active", "deactivated"]
    department_ids: list[str]
    avatar_url: str | None
    joined_at: datetime
    work_start_on: date | None = None


class MemberCreatedOut(MemberOut):
    initial_password: str | None = Field(description="Set only when a new account was created")


class MemberPage(BaseModel):
    items: list[MemberOut]
    next_cursor: str | None


class ImportRowError(BaseModel):
    row: int
    code: str
    message: str


class ImportResult(BaseModel):
    checked: int = Field(description="Valid rows in the file")
    imported: int
    dry_run: bool
    members: list[MemberCreatedOut]


# --- invitations ------------------------------------------------------------------------------


class InvitationIn(Strict):
    days_valid: int = Field(default=7, ge=1, le=365)
    department_id: str | None = None


class InvitationOut(BaseModel):
    id: str
    code: str
    url: str
    department_id: str | None
    expires_at: datetime
    active: bool


class InvitationPublicOut(BaseModel):
    org_name: str
    code: str


class JoinIn(Strict):
    name: str = Field(max_length=200)
    phone: str = Field(max_length=40)
    email: str | None = Field(default=None, max_length=300)
    password: str | None = Field(default=None, max_length=200)


class JoinRequestOut(BaseModel):
    id: str
    name: str
    phone: str
    email: str | None
    status: Literal["pending", "approved", "rejected"]
    created_at: datetime
