"""HTTP routes of the education domain (school setup): parse, call one service function, return."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response, UploadFile

from hobnail.api.deps import DB, AppSettings, CurrentActor, CurrentPrincipal
from hobnail.api.downloads import attachment
from hobnail.api.errors import ERROR_RESPONSES
from hobnail.api.uow import UnitOfWorkRoute
from hobnail.core import tables
from hobnail.core.config import Settings
from hobnail.core.errors import PayloadTooLarge
from hobnail.db.session import Session
from hobnail.domains.accounts import auth
from hobnail.domains.education import (
    checkins,
    homework,
    homework_lists,
    homework_submissions,
    joining,
    notices,
    roster,
    schemas,
    service,
    students,
)
from hobnail.models import SchoolClassInvitation, User

router = APIRouter(prefix="/api/v1/school", route_class=UnitOfWorkRoute, responses=ERROR_RESPONSES, tags=["school"])
Id = Annotated[str | None, Query(max_length=26)]


def _guardian(body: schemas.GuardianIn) -> students.GuardianIn:
    return students.GuardianIn(name=body.name, phone=body.phone, relation=body.relation)


def _invitation(request: Request, settings: Settings, invitation: SchoolClassInvitation) -> dict[str, Any]:
    base = settings.base_url.rstrip("/") or str(request.base_url).rstrip("/")
    return joining.invitation_view(invitation, base)


# --- the school and home -------------------------------------------------------------------------


@router.get("")
async def get_school(actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Whether the organisation is a school, and how many grades, classes and students it has."""
    return await service.get_school(session, actor)


@router.put("")
async def put_school(body: schemas.SchoolIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Admins turn the school on (or off again while it has no grades)."""
    return await service.set_school(session, actor, enabled=body.enabled)


@router.get("/me")
async def get_home(actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Home: the classes I teach (with my roles) and my children with their classes, with
    counts: homework to grade / due, notices to confirm / still waiting for families."""
    view = await service.home(session, actor)
    view.update(await homework_lists.home_counts(session, actor))  # homework_to_grade, homework_due
    view.update(await notices.home_counts(session, actor))  # notices_to_confirm, notices_waiting
    return view


# --- grades and classes --------------------------------------------------------------------------


@router.get("/grades")
async def get_grades(actor: CurrentActor, session: DB) -> list[dict[str, Any]]:
    return await service.list_grades(session, actor)


@router.post("/grades", status_code=201)
async def post_grade(body: schemas.GradeIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    return await service.create_grade(session, actor, name=body.name, position=body.position)


@router.patch("/grades/{grade_id}")
async def patch_grade(grade_id: str, body: schemas.GradeUpdateIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    return await service.update_grade(session, actor, grade_id, **body.model_dump(exclude_unset=True))


@router.delete("/grades/{grade_id}", status_code=204)
async def delete_grade(grade_id: str, actor: CurrentActor, session: DB) -> Response:
    """Only a grade without classes."""
    await service.delete_grade(session, actor, grade_id)
    return Response(status_code=204)


@router.get("/classes")
async def get_classes(actor: CurrentActor, session: DB, grade_id: Id = None) -> list[dict[str, Any]]:
    """The classes I see: all (admins), the ones I teach, my children's."""
    return await service.list_classes(session, actor, grade_id=grade_id)


@router.post("/classes", status_code=201)
async def post_class(body: schemas.ClassIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    return await service.create_class(
        session, actor, grade_id=body.grade_id, name=body.name, head_teacher_id=body.head_teacher_id
    )


@router.get("/classes/{class_id}")
async def get_class(class_id: str, actor: CurrentActor, session: DB) -> dict[str, Any]:
    return await service.get_class(session, actor, class_id)


@router.patch("/classes/{class_id}")
async def patch_class(class_id: str, body: schemas.ClassUpdateIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    return await service.update_class(session, actor, class_id, **body.model_dump(exclude_unset=True))


@router.delete("/classes/{class_id}", status_code=204)
async def delete_class(class_id: str, actor: CurrentActor, session: DB) -> Response:
    """Only a class without students."""
    await service.delete_class(session, actor, class_id)
    return Response(status_code=204)


@router.put("/classes/{class_id}/teachers")
async def put_teachers(class_id: str, body: schemas.TeachersIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Admins: the head teacher (one) and subject teachers (one per subject), replacing the old ones."""
    return await service.set_teachers(
        session, actor, class_id, head_teacher_id=body.head_teacher_id,
        subject_teachers=[(t.subject, t.user_id) for t in body.subject_teachers],
    )  # fmt: skip


# --- students and guardians ----------------------------------------------------------------------


@router.get("/classes/{class_id}/students")
async def get_students(class_id: str, actor: CurrentActor, session: DB) -> list[dict[str, Any]]:
    """Teachers: the roster with guardians' numbers. Guardians: their own children."""
    return await students.list_students(session, actor, class_id)


@router.post("/classes/{class_id}/students", status_code=201)
async def post_student(class_id: str, body: schemas.StudentIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    return await students.enrol_student(
        session, actor, class_id, name=body.name, student_no=body.student_no,
        guardians=[_guardian(g) for g in body.guardians],
    )  # fmt: skip


@router.post("/classes/{class_id}/roster")
async def post_roster(
    class_id: str, file: UploadFile, actor: CurrentActor, session: DB, settings: AppSettings, dry_run: bool = False
) -> dict[str, Any]:
    """Enrol a class from XLSX or CSV (see the template). All rows or none: a 422
    ``roster_invalid`` lists every bad row in ``details.rows``."""
    data = await file.read(settings.csv_max_bytes + 1)
    if len(data) > settings.csv_max_bytes:
        raise PayloadTooLarge(
            f"Roster files are at most {settings.csv_max_bytes // 1024} KiB.", code="roster_too_large"
        )
    return await roster.import_roster(
        session, actor, class_id, data=data, max_bytes=settings.csv_max_bytes, max_rows=settings.csv_max_rows,
        dry_run=dry_run,
    )  # fmt: skip


@router.get(
    "/roster-template",
    response_class=Response,
    responses={200: {"content": {tables.XLSX: {}, "text/csv": {}}, "description": "XLSX or CSV"}},
)
async def get_roster_template(
    actor: CurrentActor, format: Annotated[Literal["xlsx", "csv"], Query()] = "xlsx"
) -> Response:
    """An empty roster to fill in and import."""
    media_type = tables.CSV if format == "csv" else tables.XLSX
    return attachment(roster.template(format), media_type, f"roster-template.{format}")


@router.get("/students/{student_id}")
async def get_student(student_id: str, actor: CurrentActor, session: DB) -> dict[str, Any]:
    return await students.get_student(session, actor, student_id)


@router.patch("/students/{student_id}")
async def patch_student(
    student_id: str, body: schemas.StudentUpdateIn, actor: CurrentActor, session: DB
) -> dict[str, Any]:
    return await students.update_student(session, actor, student_id, **body.model_dump(exclude_unset=True))


@router.delete("/students/{student_id}", status_code=204)
async def delete_student(student_id: str, actor: CurrentActor, session: DB) -> Response:
    """Withdraw a student from the school."""
    await students.withdraw_student(session, actor, student_id)
    return Response(status_code=204)


@router.post("/students/{student_id}/guardians", status_code=201)
async def post_guardian(student_id: str, body: schemas.GuardianIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Link a guardian (by mobile number) to the student; a guardian has at most 10 children."""
    return await students.add_guardian(session, actor, student_id, _guardian(body))


@router.patch("/students/{student_id}/guardians/{guardian_id}")
async def patch_guardian(
    student_id: str, guardian_id: str, body: schemas.GuardianUpdateIn, actor: CurrentActor, session: DB
) -> dict[str, Any]:
    return await students.update_guardian(
        session, actor, student_id, guardian_id, name=body.name, relation=body.relation
    )


@router.delete("/students/{student_id}/guardians/{guardian_id}")
async def delete_guardian(student_id: str, guardian_id: str, actor: CurrentActor, session: DB) -> dict[str, Any]:
    return await students.remove_guardian(session, actor, student_id, guardian_id)


# --- guardians joining ---------------------------------------------------------------------------


@router.get("/classes/{class_id}/invitations")
async def get_invitations(
    class_id: str, actor: CurrentActor, session: DB, request: Request, settings: AppSettings
) -> list[dict[str, Any]]:
    return [_invitation(request, settings, i) for i in await joining.list_invitations(session, actor, class_id)]


@router.post("/classes/{class_id}/invitations", status_code=201)
async def post_invitation(
    class_id: str,
    body: schemas.ClassInvitationIn,
    actor: CurrentActor,
    session: DB,
    request: Request,
    settings: AppSettings,
) -> dict[str, Any]:
    """A code (and link) guardians of the class join with. Admins and the class's teachers."""
    invitation = await joining.create_invitation(session, actor, class_id, days_valid=body.days_valid)
    return _invitation(request, settings, invitation)


@router.delete("/invitations/{invitation_id}", status_code=204)
async def delete_invitation(invitation_id: str, actor: CurrentActor, session: DB) -> Response:
    await joining.disable_invitation(session, actor, invitation_id)
    return Response(status_code=204)


@router.get("/join/{code}")
async def get_join(code: str, session: DB) -> dict[str, Any]:
    """Which school and class a code is for (no sign-in needed)."""
    return await joining.describe_invitation(session, code[:32])


@router.post("/join/{code}")
async def post_join(code: str, body: schemas.RedeemIn, principal: CurrentPrincipal, session: DB) -> dict[str, Any]:
    """Signed in: join as a guardian with your account's mobile number and your child's name."""
    org_id = await joining.redeem(session, principal, code[:32], student_name=body.student_name)
    return {"org_id": org_id}


@router.post("/join/{code}/signup", status_code=201)
async def post_join_signup(
    code: str,
    body: schemas.GuardianSignUpIn,
    session: DB,
    request: Request,
    response: Response,
    settings: AppSettings,
) -> dict[str, Any]:
    """No account yet: sign up as a guardian (the school must list this mobile number for the
    named child) and sign in."""
    user, org_id = await joining.sign_up(session, code[:32], **body.model_dump())
    return await _open_session(session, settings, request, response, user, org_id)


async def _open_session(
    session: Session, settings: Settings, request: Request, response: Response, user: User, org_id: str
) -> dict[str, Any]:
    """Sign the new account in (the session cookie) in the school's organisation."""
    web_session, secret = await auth.open_session_for(session, settings, user, org_id)
    response.set_cookie(
        auth.SESSION_COOKIE, secret, max_age=settings.session_days * 86400, httponly=True, samesite="lax",
        secure=settings.cookie_secure or request.url.scheme == "https", path="/",
    )  # fmt: skip
    return {"org_id": org_id, "user_id": user.id, "csrf_token": web_session.csrf_token}


@router.post("/join/{code}/student")
async def post_join_student(
    code: str, body: schemas.StudentRedeemIn, principal: CurrentPrincipal, session: DB
) -> dict[str, Any]:
    """Signed in: a student claims their place on the class roster (number and name)."""
    org_id = await joining.redeem_as_student(session, principal, code[:32], student_no=body.student_no, name=body.name)
    return {"org_id": org_id}


@router.post("/join/{code}/student-signup", status_code=201)
async def post_join_student_signup(
    code: str,
    body: schemas.StudentSignUpIn,
    session: DB,
    request: Request,
    response: Response,
    settings: AppSettings,
) -> dict[str, Any]:
    """No account yet: a student signs up with their student number and name and a mobile
    number or e-mail address to sign in with, and is signed in."""
    user, org_id = await joining.sign_up_student(session, code[:32], **body.model_dump())
    return await _open_session(session, settings, request, response, user, org_id)


# --- notices (通知) ----------------------------------------------------------------------


@router.get("/notices")
async def get_notices(
    actor: CurrentActor,
    session: DB,
    box: Literal["sent", "received"] = "received",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[dict[str, Any]]:
    """``sent``: notices I wrote (admins: all) with read/confirmed counts; ``received``: my
    children's notices with each child's state."""
    return await notices.list_notices(session, actor, box=box, limit=limit)


@router.post("/notices", status_code=201)
async def post_notice(body: schemas.NoticeIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Teachers of the classes (and admins): send a notice now or at ``release_at``."""
    return await notices.create_notice(session, actor, body.model_dump())


@router.get("/notices/{notice_id}")
async def get_notice(notice_id: str, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Teachers: every family per class; guardians: the notice and their children's state."""
    return await notices.notice_detail(session, actor, notice_id)


@router.post("/notices/{notice_id}/read")
async def post_notice_read(notice_id: str, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Guardians: I have read it (the teacher sees it live)."""
    return await notices.mark_read(session, actor, notice_id)


@router.post("/notices/{notice_id}/confirm")
async def post_notice_confirm(
    notice_id: str, body: schemas.NoticeConfirmIn, actor: CurrentActor, session: DB
) -> dict[str, Any]:
    """Guardians: confirm (签收) for my children on the notice."""
    return await notices.confirm(session, actor, notice_id, body.student_ids)


@router.post("/notices/{notice_id}/ding")
async def post_notice_ding(
    notice_id: str, body: schemas.NoticeDingIn, actor: CurrentActor, session: DB
) -> dict[str, Any]:
    """Teachers: DING the guardians of every child not yet confirmed (in one class or all)."""
    return await notices.ding_unconfirmed(session, actor, notice_id, body.class_id)


# --- homework (家校本) ---------------------------------------------------------------------------


HomeworkScope = Literal["teaching", "assigned", "to_grade", "all", "children"]


@router.post("/homework", status_code=201)
async def post_homework(body: schemas.HomeworkIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Teachers of the classes (and admins) assign homework; 422 ``homework_due_in_past``."""
    return await homework.assign_homework(session, actor, **body.model_dump())


@router.get("/homework")
async def get_homework_list(
    actor: CurrentActor,
    session: DB,
    scope: HomeworkScope | None = None,
    cursor: Id = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    """Newest first. Staff: ``teaching`` (default), ``assigned``, ``to_grade``, ``all`` (admins),
    each with ``stats``; guardians: ``children`` (default), each with every child's state."""
    return await homework_lists.list_homework(session, actor, scope=scope, cursor=cursor, limit=limit)


@router.get("/homework/{homework_id}")
async def get_homework(homework_id: str, actor: CurrentActor, session: DB) -> dict[str, Any]:
    return await homework_lists.get_homework(session, actor, homework_id)


@router.get("/homework/{homework_id}/stats")
async def get_homework_stats(homework_id: str, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Teachers: per class, who handed in, late, not yet, graded."""
    return await homework_submissions.statistics(session, actor, homework_id)


@router.get("/homework/{homework_id}/submissions")
async def get_homework_submissions(
    homework_id: str,
    actor: CurrentActor,
    session: DB,
    class_id: Id = None,
    status: Literal["submitted", "withdrawn", "graded"] | None = None,
) -> list[dict[str, Any]]:
    """Teachers: their classes' work; guardians: their children's and the class's excellent work."""
    return await homework_submissions.list_submissions(session, actor, homework_id, class_id=class_id, status=status)


@router.post("/homework/{homework_id}/submissions", status_code=201)
async def post_homework_submission(
    homework_id: str, body: schemas.HomeworkSubmissionIn, actor: CurrentActor, session: DB
) -> dict[str, Any]:
    """Guardians (or the student) hand in, or hand in again after withdrawing."""
    return await homework_submissions.submit(session, actor, homework_id, **body.model_dump())


@router.get("/homework/{homework_id}/submissions/{submission_id}")
async def get_homework_submission(
    homework_id: str, submission_id: str, actor: CurrentActor, session: DB
) -> dict[str, Any]:
    return await homework_submissions.get_submission(session, actor, homework_id, submission_id)


@router.post("/homework/{homework_id}/submissions/{submission_id}/withdraw")
async def post_homework_withdraw(
    homework_id: str, submission_id: str, actor: CurrentActor, session: DB
) -> dict[str, Any]:
    """Until it is graded (then 409 ``homework_already_graded``)."""
    return await homework_submissions.withdraw(session, actor, homework_id, submission_id)


@router.put("/homework/{homework_id}/submissions/{submission_id}/grade")
async def put_homework_grade(
    homework_id: str, submission_id: str, body: schemas.HomeworkGradeIn, actor: CurrentActor, session: DB
) -> dict[str, Any]:
    """Teachers of the child's class: a score (0–100) or a level, a comment, excellent."""
    return await homework_submissions.grade(session, actor, homework_id, submission_id, **body.model_dump())


# --- daily check-ins (每日打卡) ------------------------------------------------------------


@router.get("/checkin-forms")
async def get_checkin_forms(actor: CurrentActor, session: DB) -> list[dict[str, Any]]:
    return await checkins.list_forms(session, actor)


@router.post("/checkin-forms", status_code=201)
async def post_checkin_form(body: schemas.CheckinFormIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Admins: a daily form with a time window on school days, for every class or some."""
    return await checkins.create_form(session, actor, body.model_dump())


@router.patch("/checkin-forms/{form_id}")
async def patch_checkin_form(
    form_id: str, body: schemas.CheckinFormPatchIn, actor: CurrentActor, session: DB
) -> dict[str, Any]:
    return await checkins.update_form(session, actor, form_id, body.model_dump())


@router.get("/checkins/today")
async def get_my_checkins(actor: CurrentActor, session: DB) -> list[dict[str, Any]]:
    """Guardians: today's forms for each child, whether open now, and what was sent."""
    return await checkins.my_day(session, actor)


@router.post("/checkin-forms/{form_id}/entries")
async def post_checkin(form_id: str, body: schemas.CheckinIn, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Guardians: check in for a child today, within the window (409 ``checkin_closed``)."""
    return await checkins.submit(session, actor, form_id, body.student_id, body.values)


@router.get("/checkin-forms/{form_id}/classes/{class_id}")
async def get_checkin_class(
    form_id: str, class_id: str, actor: CurrentActor, session: DB, day: date | None = None
) -> dict[str, Any]:
    """Teachers: who checked in on ``day`` (default today) and who has not."""
    return await checkins.class_day(session, actor, form_id, class_id, day)


@router.post("/checkin-forms/{form_id}/classes/{class_id}/remind")
async def post_checkin_remind(form_id: str, class_id: str, actor: CurrentActor, session: DB) -> dict[str, Any]:
    """Teachers: remind the families who have not checked in today (once per 10 minutes)."""
    return await checkins.remind(session, actor, form_id, class_id)
