"""Homework lists (what I assigned, what waits for my grade, my children's homework), the
detail, and the counts on the school home."""

from __future__ import annotations

from typing import Any

from hobnail.core import clock
from hobnail.core.errors import ValidationFailed
from hobnail.db.session import Session
from hobnail.domains.accounts.access import Actor
from hobnail.domains.education import homework_repository as hw_repository
from hobnail.domains.education import repository
from hobnail.domains.education.access import require_school
from hobnail.domains.education.homework import (
    HomeworkNotFound,
    access_homework,
    child_state,
    counts,
    homework_views,
    my_students,
    staff_classes,
    state_of,
)
from hobnail.models import Homework, SchoolStudent

SCOPES = ("teaching", "assigned", "to_grade", "all", "children")


async def list_homework(
    session: Session, actor: Actor, *, scope: str | None = None, cursor: str | None = None, limit: int = 50
) -> dict[str, Any]:
    """Newest first, ``limit`` at a time (``next_cursor`` for the next page).

    Scopes: ``teaching`` (default for staff: homework I assigned or that was assigned to a
    class I teach), ``assigned`` (by me), ``to_grade`` (``teaching`` with work waiting for
    my grade), ``all`` (admins: the whole school), ``children`` (default for guardians: my
    children's classes, with each child's state). Staff items carry ``stats`` over the
    classes I see; guardians' items carry ``children``."""
    require_school(actor)
    scope = scope or ("teaching" if actor.is_staff else "children")
    if scope not in SCOPES:
        raise ValidationFailed("Unknown scope.", code="invalid_scope", details={"scope": scope, "allowed": SCOPES})
    before = None
    if cursor:
        last = await hw_repository.homework(session, actor.org_id, cursor)
        if last is None:
            raise ValidationFailed("Unknown cursor.", code="invalid_cursor")
        before = (last.created_at, last.id)
    taught = await repository.taught_class_ids(session, actor.org_id, actor.user_id)
    kids = await my_students(session, actor) if scope == "children" else []
    query: dict[str, Any] = {}
    if scope == "all":
        if not actor.is_admin:
            raise HomeworkNotFound()
    elif scope == "assigned":
        query = {"author_id": actor.user_id}
    elif scope == "children":
        query = {"class_ids": sorted({k.class_id for k in kids})}
    else:
        query = {"author_id": actor.user_id, "class_ids": sorted(taught)}
        if scope == "to_grade":
            waiting = await hw_repository.waiting_by_homework(session, actor.org_id, actor.user_id, sorted(taught))
            query["homework_ids"] = sorted(waiting)
    if scope == "children" and not kids:
        homeworks: list[Homework] = []
    else:
        homeworks = await hw_repository.page(session, actor.org_id, before=before, limit=limit, **query)
    items = await _summaries(session, actor, homeworks, taught, kids if scope == "children" else None)
    return {"items": items, "next_cursor": homeworks[-1].id if len(homeworks) == limit else None}


async def _summaries(
    session: Session,
    actor: Actor,
    homeworks: list[Homework],
    taught: set[str],
    kids: list[SchoolStudent] | None,
) -> list[dict[str, Any]]:
    classes = await hw_repository.class_ids(session, [h.id for h in homeworks])
    if kids is not None:  # a guardian's view: only their children's classes
        kid_classes = {k.class_id for k in kids}
        shown = {h.id: [c for c in classes.get(h.id, []) if c in kid_classes] for h in homeworks}
    else:
        shown = {h.id: sorted(staff_classes(actor, h, classes.get(h.id, []), taught)) for h in homeworks}
    views = await homework_views(session, actor, homeworks, shown)
    students = await repository.students_of_classes(session, sorted({c for cs in shown.values() for c in cs}))
    by_class: dict[str, list[SchoolStudent]] = {}
    for student in kids if kids is not None else students:
        by_class.setdefault(student.class_id, []).append(student)
    found = await hw_repository.submissions(session, [h.id for h in homeworks])
    submissions = {(s.homework_id, s.student_id): s for s in found}
    items = []
    for h in homeworks:
        mine = [s for c in shown[h.id] for s in by_class.get(c, [])]
        of_h = {s.id: submissions[(h.id, s.id)] for s in mine if (h.id, s.id) in submissions}
        view = views[h.id]
        if kids is not None:
            view["children"] = [child_state(s, of_h.get(s.id)) for s in mine]
        else:
            view["stats"] = counts(mine, of_h)
            view["stats"]["to_grade"] = view["stats"]["submitted"]
        items.append(view)
    return items


async def get_homework(session: Session, actor: Actor, homework_id: str) -> dict[str, Any]:
    """The homework; teachers get ``stats`` (their classes), guardians ``children`` (each
    child's state); ``my_roles`` says which."""
    found = await access_homework(session, actor, homework_id)
    taught = await repository.taught_class_ids(session, actor.org_id, actor.user_id)
    staff_view = (await _summaries(session, actor, [found.homework], taught, None))[0] if found.staff_class_ids else {}
    view = (
        staff_view
        or (await homework_views(session, actor, [found.homework], {found.homework.id: []}))[found.homework.id]
    )
    if found.children:
        kid_view = (await _summaries(session, actor, [found.homework], taught, found.children))[0]
        view["children"] = kid_view["children"]
        if not found.staff_class_ids:
            view["classes"] = kid_view["classes"]
    view["my_roles"] = {"teacher": bool(found.staff_class_ids), "guardian": bool(found.children)}
    return view


async def home_counts(session: Session, actor: Actor) -> dict[str, int]:
    """For the school home: work waiting for my grade; my children's homework not handed in
    whose due time has not passed (or that has none)."""
    require_school(actor)
    taught = await repository.taught_class_ids(session, actor.org_id, actor.user_id)
    waiting = await hw_repository.waiting_by_homework(session, actor.org_id, actor.user_id, sorted(taught))
    kids = await my_students(session, actor)
    due = 0
    if kids:
        homeworks = await hw_repository.page(
            session, actor.org_id, class_ids=sorted({k.class_id for k in kids}), limit=500
        )
        now = clock.now()
        homeworks = [h for h in homeworks if h.due_at is None or h.due_at > now]
        classes = await hw_repository.class_ids(session, [h.id for h in homeworks])
        found = await hw_repository.submissions(session, [h.id for h in homeworks], [k.id for k in kids])
        done = {(s.homework_id, s.student_id) for s in found if state_of(s) != "not_submitted"}
        due = sum(
            1 for h in homeworks for k in kids if k.class_id in classes.get(h.id, []) and (h.id, k.id) not in done
        )
    return {"homework_to_grade": sum(waiting.values()), "homework_due": due}
