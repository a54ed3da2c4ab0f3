"""Request bodies of the education domain (the OpenAPI)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SchoolIn(Strict):
    enabled: bool = Field(description="true: the organisation is a school; false: a company again (no grades left)")


class GradeIn(Strict):
    name: str = Field(min_length=1, max_length=50, examples=["初一"])
    position: int | None = Field(default=None, ge=0, le=1000)


class GradeUpdateIn(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=50)
    position: int | None = Field(default=None, ge=0, le=1000)


class ClassIn(Strict):
    grade_id: str = Field(max_length=26)
    name: str = Field(min_length=1, max_length=50, examples=["初一(3)班"])
    head_teacher_id: str | None = Field(default=None, max_length=26)


class ClassUpdateIn(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=50)
    grade_id: str | None = Field(default=None, max_length=26)
    position: int | None = Field(default=None, ge=0, le=1000)


class SubjectTeacherIn(Strict):
    subject: str = Field(min_length=1, max_length=30, examples=["语文"])
    user_id: str = Field(max_length=26)


class TeachersIn(Strict):
    head_teacher_id: str | None = Field(default=None, max_length=26, description="one head teacher (班主任), or none")
    subject_teachers: list[SubjectTeacherIn] = Field(default_factory=list, max_length=30)


class GuardianIn(Strict):
    name: str = Field(min_length=1, max_length=100)
    phone: str = Field(min_length=1, max_length=30, description="a mainland China mobile number")
    relation: str = Field(
        max_length=30,
        description="father, mother, grandfather (爷爷), grandmother (奶奶), maternal_grandfather (外公), "
        "maternal_grandmother (外婆), other — or the Chinese word (父亲, 母亲, …)",
    )


class GuardianUpdateIn(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    relation: str | None = Field(default=None, max_length=30)


class StudentIn(Strict):
    name: str = Field(min_length=1, max_length=100)
    student_no: str = Field(min_length=1, max_length=32, description="unique within the school")
    guardians: list[GuardianIn] = Field(default_factory=list, max_length=6)


class StudentUpdateIn(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    student_no: str | None = Field(default=None, min_length=1, max_length=32)
    class_id: str | None = Field(default=None, max_length=26, description="move to another class")


class ClassInvitationIn(Strict):
    days_valid: int = Field(default=7, ge=1, le=90)


class RedeemIn(Strict):
    student_name: str = Field(min_length=1, max_length=100, description="your child's name, as on the roster")


class StudentRedeemIn(Strict):
    student_no: str = Field(min_length=1, max_length=32, description="your student number, as on the roster")
    name: str = Field(min_length=1, max_length=100, description="your name, as on the roster")


class StudentSignUpIn(StudentRedeemIn):
    phone: str | None = Field(default=None, max_length=30, description="a mobile number to sign in with")
    email: str | None = Field(default=None, max_length=254, description="or an e-mail address")
    password: str = Field(min_length=1, max_length=200)


class GuardianSignUpIn(RedeemIn):
    name: str = Field(min_length=1, max_length=100)
    phone: str = Field(min_length=1, max_length=30, description="the mobile number the school has for you")
    password: str = Field(min_length=1, max_length=200)


# --- notices ---------------------------------------------------------------------------


class NoticeIn(Strict):
    title: str = Field(min_length=1, max_length=100, examples=["周五家长会"])
    body: str = Field(default="", max_length=10_000)
    class_ids: list[str] = Field(default_factory=list, max_length=200, description="Whole classes")
    student_ids: list[str] = Field(default_factory=list, max_length=200, description="Or chosen students' families")
    file_ids: list[str] = Field(default_factory=list, max_length=9, description="Finished uploads (images, files)")
    require_confirm: bool = Field(default=False, description="Families confirm (签收)")
    deadline: datetime | None = Field(default=None, description="Confirm by (ISO 8601 with offset)")
    release_at: datetime | None = Field(default=None, description="Release later (ISO 8601 with offset)")


class NoticeConfirmIn(Strict):
    student_ids: list[str] | None = Field(default=None, max_length=10, description="Default: all my children on it")


class NoticeDingIn(Strict):
    class_id: str | None = Field(default=None, max_length=26, description="Default: every class of the notice")


# --- homework (家校本) ---------------------------------------------------------------------------


class HomeworkIn(Strict):
    class_ids: list[str] = Field(min_length=1, max_length=50, description="Classes I teach (admins: any)")
    title: str = Field(min_length=1, max_length=120, examples=["数学练习册 第 12 页"])
    body: str = Field(default="", max_length=10_000)
    subject: str = Field(default="", max_length=30, examples=["数学"])
    due_at: datetime | None = Field(
        default=None, description="Due time; without an offset it is in the school's timezone. Must be in the future."
    )
    file_ids: list[str] = Field(default_factory=list, max_length=20, description="Finished uploads I may read")
    remind_before_minutes: int = Field(
        default=120, ge=0, le=10_080, description="Remind families who have not handed in; 0: no reminder"
    )


class HomeworkSubmissionIn(Strict):
    student_id: str = Field(max_length=26, description="My child (or myself, as a student)")
    body: str = Field(default="", max_length=10_000)
    file_ids: list[str] = Field(default_factory=list, max_length=20, description="Photos and files (finished uploads)")


class HomeworkGradeIn(Strict):
    score: float | None = Field(default=None, ge=0, le=100, description="0–100; or give a level")
    level: str | None = Field(default=None, max_length=2, description="A, B, C, D (or 优, 良, 中, 差)")
    comment: str = Field(default="", max_length=5_000)
    file_ids: list[str] = Field(default_factory=list, max_length=9, description="Images in the comment")
    excellent: bool = Field(default=False, description="Share with the class's guardians")
    version: int | None = Field(
        default=None, description="The submission's version you graded (409 submission_changed if it moved since)"
    )


# --- daily check-ins -------------------------------------------------------------------


class CheckinFormIn(Strict):
    name: str = Field(min_length=1, max_length=50, examples=["每日健康打卡"])
    fields: list[dict[str, Any]] = Field(
        max_length=20, description="Like approval form fields: text, textarea, number, select, multiselect, time"
    )
    class_ids: list[str] = Field(default_factory=list, max_length=500, description="Empty: every class")
    weekdays: list[int] = Field(default_factory=lambda: [1, 2, 3, 4, 5], max_length=7, description="1 = Monday")
    opens_at: str = Field(examples=["06:00"], max_length=5)
    closes_at: str = Field(examples=["09:00"], max_length=5)


class CheckinFormPatchIn(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=50)
    fields: list[dict[str, Any]] | None = Field(default=None, max_length=20)
    class_ids: list[str] | None = Field(default=None, max_length=500)
    weekdays: list[int] | None = Field(default=None, max_length=7)
    opens_at: str | None = Field(default=None, max_length=5)
    closes_at: str | None = Field(default=None, max_length=5)
    enabled: bool | None = None


class CheckinIn(Strict):
    student_id: str = Field(max_length=26)
    values: dict[str, Any]
