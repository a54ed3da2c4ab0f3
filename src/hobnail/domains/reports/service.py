"""Writing, editing, reading, commenting on and liking work reports.

A report snapshots its template's fields. On submission its recipients are fixed: the
template's defaults (the author's direct manager, named people), plus whoever the
author adds; it is posted to the chosen chats as a message. The author may edit it until
a recipient has read it. Opening a report is a separate ``POST …/read`` (a GET never
writes), which tells the author who has read it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from hobnail.core import clock
from hobnail.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from hobnail.core.formfields import FormError, check_values
from hobnail.db.session import Session
from hobnail.domains.accounts import service as accounts_service
from hobnail.domains.accounts.access import Actor
from hobnail.domains.files import service as files_service
from hobnail.domains.messaging import conversations as messaging_conversations
from hobnail.domains.messaging import messages as messaging_messages
from hobnail.domains.messaging.access import access_conversation
from hobnail.domains.reports import events, periods, repository
from hobnail.domains.reports.templates import DEFAULT_RECIPIENTS, DEFAULT_RULES, access_template
from hobnail.events.base import topics
from hobnail.events.outbox import record
from hobnail.models import ReportComment, ReportFile, ReportLike, ReportRecipient, ReportTemplate, WorkReport

MAX_RECIPIENTS = 200


class ReportNotFound(NotFound):
    code = "report_not_found"
    message = "No such report."


class InvalidReport(ValidationFailed):
    code = "invalid_values"


class AlreadyRead(Conflict):
    code = "report_already_read"
    message = "Someone has read this report already; it can no longer be edited."


class NotAuthor(Forbidden):
    code = "not_author"
    message = "Only the author may change this report."


def _t(moment: datetime | None) -> str | None:
    return clock.isoformat(moment) if moment else None


def _rules(template: ReportTemplate) -> dict[str, Any]:
    return {**DEFAULT_RULES, **template.rules}


def _search_text(fields: list[dict[str, Any]], values: dict[str, Any]) -> str:
    parts = []
    for field in fields:
        value = values.get(field["key"])
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, list) and field["type"] in ("select", "multiselect"):
            parts += [str(v) for v in value]
    return "\n".join(parts).lower()


def _file_ids(fields: list[dict[str, Any]], values: dict[str, Any]) -> list[str]:
    return list(
        dict.fromkeys(i for f in fields if f["type"] in ("attachment", "image") for i in values.get(f["key"], []))
    )


async def report_view(
    session: Session, actor: Actor, report: WorkReport, read_at: datetime | None = None
) -> dict[str, Any]:
    recipients = await repository.recipients(session, report.id)
    names = await accounts_service.users_by_id(session, [report.author_id, *(r.user_id for r in recipients)])
    author = names.get(report.author_id)
    view: dict[str, Any] = {
        "id": report.id, "template_id": report.template_id, "author_id": report.author_id,
        "author_name": author.name if author else "", "status": report.status, "period_key": report.period_key,
        "fields": report.fields, "values": report.values, "chat_ids": report.chat_ids, "late": report.late,
        "created_at": _t(report.created_at), "submitted_at": _t(report.submitted_at),
        "edited_at": _t(report.edited_at),
        "recipient_ids": [r.user_id for r in recipients], "read_count": sum(1 for r in recipients if r.read_at),
        "recipient_count": len(recipients),
        "read_by_me": next((r.read_at is not None for r in recipients if r.user_id == actor.user_id), None),
    }  # fmt: skip
    if report.author_id == actor.user_id or actor.is_admin:
        view["reads"] = [
            {
                "user_id": r.user_id,
                "name": names[r.user_id].name if r.user_id in names else "",
                "read_at": _t(r.read_at),
            }
            for r in recipients
        ]
    return view


async def _full_view(session: Session, actor: Actor, report: WorkReport) -> dict[str, Any]:
    view = await report_view(session, actor, report)
    comments = await repository.comments(session, report.id)
    people = await accounts_service.users_by_id(session, [c.author_id for c in comments])
    view["comments"] = [
        {"id": c.id, "author_id": c.author_id, "author_name": people[c.author_id].name if c.author_id in people else "",
         "body": c.body, "created_at": _t(c.created_at)}
        for c in comments
    ]  # fmt: skip
    view["likes"] = await repository.likes(session, report.id)
    return view


async def access_report(session: Session, actor: Actor, report_id: str) -> WorkReport:
    """The author, its recipients, members of a chat it was posted to, and admins may read
    a submitted report; only the author sees a draft. Others get 404."""
    report = await repository.report(session, actor.org_id, report_id)
    if report is None:
        raise ReportNotFound()
    if report.author_id == actor.user_id:
        return report
    if report.status != "submitted":
        raise ReportNotFound()
    if actor.is_admin or any(r.user_id == actor.user_id for r in await repository.recipients(session, report.id)):
        return report
    for chat_id in report.chat_ids:
        try:
            await access_conversation(session, actor, chat_id)
            return report
        except NotFound:
            continue
    raise ReportNotFound()


async def _check_values(
    session: Session, actor: Actor, fields: list[dict[str, Any]], values: Any, draft: bool
) -> dict[str, Any]:
    checked_fields = [{**f, "required": False} for f in fields] if draft else fields
    try:
        clean = check_values(checked_fields, values or {})
    except FormError as error:
        raise InvalidReport(str(error), details={"field": error.field}) from None
    for file_id in _file_ids(fields, clean):
        await files_service.attachable(session, actor, file_id)  # FileNotFound for others' or unfinished files
    return clean


async def _resolve_recipients(
    session: Session, actor: Actor, template: ReportTemplate, extra: list[str] | None
) -> list[str]:
    defaults = {**DEFAULT_RECIPIENTS, **template.recipients}
    wanted: list[str] = []
    if defaults["manager"]:
        levels = await accounts_service.manager_levels(session, actor.org_id, actor.user_id, levels=1)
        wanted += levels[0] if levels else []
    wanted += defaults["user_ids"]
    extra = list(dict.fromkeys(extra or []))
    if extra:
        known = await accounts_service.active_member_ids(session, actor.org_id, extra)
        strangers = [u for u in extra if u not in known]
        if strangers:
            raise ValidationFailed(
                "Send reports to people of this organisation.", code="member_not_found", details={"user_ids": strangers}
            )
    wanted += extra
    found = [u for u in dict.fromkeys(wanted) if u != actor.user_id]
    if len(found) > MAX_RECIPIENTS:
        raise ValidationFailed(f"At most {MAX_RECIPIENTS} recipients.", code="too_many_recipients")
    return found


def _period(template: ReportTemplate, key: str | None, zone: ZoneInfo) -> str:
    period = _rules(template)["period"]
    if not key:
        return periods.period_key(period, clock.now().astimezone(zone).date())
    try:
        periods.period_days(period, key)
    except ValueError:
        raise ValidationFailed(
            "period_key is a day (daily, none), a Monday (weekly) or a month like 2026-12 (monthly).",
            code="invalid_period", details={"field": "period_key"},
        ) from None  # fmt: skip
    return key


async def write(
    session: Session,
    actor: Actor,
    *,
    template_id: str,
    values: dict[str, Any],
    period_key: str | None = None,
    recipient_ids: list[str] | None = None,
    chat_ids: list[str] | None = None,
    submit: bool = True,
    client_id: str | None = None,
) -> dict[str, Any]:
    """Write a report (or save a draft). A retry with the same ``client_id`` returns it."""
    if client_id:
        existing = await repository.by_client_id(session, actor.user_id, client_id)
        if existing is not None:
            return await _full_view(session, actor, existing)
    template = await access_template(session, actor, template_id)
    zone = ZoneInfo(actor.org.timezone)
    report = WorkReport(
        org_id=actor.org_id, template_id=template.id, author_id=actor.user_id, status="draft",
        period_key=_period(template, period_key, zone), fields=template.fields, chat_ids=[], client_id=client_id,
        created_at=clock.now(),
    )  # fmt: skip
    report.values = await _check_values(session, actor, template.fields, values, draft=not submit)
    report.search_text = _search_text(report.fields, report.values)
    session.add(report)
    await session.flush()
    await _store_files(session, report)
    if submit:
        await _submit(session, actor, template, report, recipient_ids, chat_ids)
    else:
        report.chat_ids = list(dict.fromkeys(chat_ids or []))
        await repository.set_recipients(session, report.id, list(dict.fromkeys(recipient_ids or [])))
    return await _full_view(session, actor, report)


async def _store_files(session: Session, report: WorkReport) -> None:
    for file_id in _file_ids(report.fields, report.values):
        if await session.get(ReportFile, (report.id, file_id)) is None:
            session.add(ReportFile(report_id=report.id, file_id=file_id))
    await session.flush()


async def _submit(
    session: Session,
    actor: Actor,
    template: ReportTemplate,
    report: WorkReport,
    recipient_ids: list[str] | None,
    chat_ids: list[str] | None,
) -> None:
    report.values = await _check_values(session, actor, report.fields, report.values, draft=False)
    recipients = await _resolve_recipients(session, actor, template, recipient_ids)
    chats = list(dict.fromkeys([*({**DEFAULT_RECIPIENTS, **template.recipients}["chat_ids"]), *(chat_ids or [])]))
    for chat_id in chats:
        await access_conversation(session, actor, chat_id)  # 404 unless the author is in the chat
    now = clock.now()
    rules = _rules(template)
    due = periods.deadline(rules["period"], report.period_key, rules["deadline"], ZoneInfo(actor.org.timezone))
    report.status, report.submitted_at, report.chat_ids = "submitted", now, chats
    report.late = bool(due and now > due)
    await repository.set_recipients(session, report.id, recipients)
    await session.flush()
    view = await report_view(session, actor, report)
    audience = (topics.user(actor.user_id), *(topics.user(u) for u in recipients))
    await record(session, events.ReportSubmitted(org_id=actor.org_id, audience=audience, report=view))
    for chat_id in chats:
        await messaging_messages.send_message(
            session, actor, chat_id, body=_chat_card(template, report), client_msg_id=f"report:{report.id}:{chat_id}"
        )


def _chat_card(template: ReportTemplate, report: WorkReport) -> str:
    """The message a report becomes in a chat: its name and the first lines of each text."""
    lines = [f"📋 **{template.name}** · {report.period_key}"]
    for field in report.fields:
        value = report.values.get(field["key"])
        if isinstance(value, str) and value:
            text = value if len(value) <= 200 else value[:200] + "…"
            lines.append(f"**{field['label']}**\n{text}")
    return "\n\n".join(lines)[:4000]


async def update(session: Session, actor: Actor, report_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    """The author edits a draft (and may submit it), or a submitted report nobody has read."""
    report = await access_report(session, actor, report_id)
    if report.author_id != actor.user_id:
        raise NotAuthor()
    template = await access_template(session, actor, report.template_id)
    submitted = report.status == "submitted"
    if submitted and any(r.read_at for r in await repository.recipients(session, report.id)):
        raise AlreadyRead()
    submit = submitted or bool(changes.get("submit"))
    if "values" in changes:
        report.values = await _check_values(session, actor, report.fields, changes["values"], draft=not submit)
        report.search_text = _search_text(report.fields, report.values)
        await _store_files(session, report)
    if changes.get("period_key") and not submitted:
        report.period_key = _period(template, changes["period_key"], ZoneInfo(actor.org.timezone))
    if submitted:
        report.edited_at = clock.now()
        if "recipient_ids" in changes or "chat_ids" in changes:
            raise ValidationFailed("Recipients of a submitted report stay as sent.", code="recipients_fixed")
        await session.flush()
        view = await report_view(session, actor, report)
        recipients = [r.user_id for r in await repository.recipients(session, report.id)]
        audience = (topics.user(actor.user_id), *(topics.user(u) for u in recipients))
        await record(session, events.ReportSubmitted(org_id=actor.org_id, audience=audience, report=view))
    elif submit:
        extra = changes.get("recipient_ids")
        if extra is None:
            extra = [r.user_id for r in await repository.recipients(session, report.id)]
        await _submit(session, actor, template, report, extra, changes.get("chat_ids", report.chat_ids))
    else:
        if "recipient_ids" in changes:
            await repository.set_recipients(session, report.id, list(dict.fromkeys(changes["recipient_ids"] or [])))
        if "chat_ids" in changes:
            report.chat_ids = list(dict.fromkeys(changes["chat_ids"] or []))
    await session.flush()
    return await _full_view(session, actor, report)


async def delete_draft(session: Session, actor: Actor, report_id: str) -> None:
    report = await access_report(session, actor, report_id)
    if report.author_id != actor.user_id:
        raise NotAuthor()
    if report.status != "draft":
        raise Conflict("Only drafts can be deleted.", code="not_a_draft")
    await session.delete(report)
    await session.flush()


async def get(session: Session, actor: Actor, report_id: str) -> dict[str, Any]:
    return await _full_view(session, actor, await access_report(session, actor, report_id))


async def mark_read(session: Session, actor: Actor, report_id: str) -> dict[str, Any]:
    """A recipient opened the report. Side effect: ``report.read`` to the author, once."""
    report = await access_report(session, actor, report_id)
    mine = await session.get(ReportRecipient, (report.id, actor.user_id))
    if mine is not None and mine.read_at is None:
        mine.read_at = clock.now()
        await session.flush()
        recipients = await repository.recipients(session, report.id)
        await record(
            session,
            events.ReportRead(
                org_id=actor.org_id, audience=(topics.user(report.author_id),), report_id=report.id,
                reader_id=actor.user_id, read_count=sum(1 for r in recipients if r.read_at),
                recipient_count=len(recipients),
            ),
        )  # fmt: skip
    return await _full_view(session, actor, report)


async def _people_around(session: Session, report: WorkReport) -> tuple[str, ...]:
    recipients = [r.user_id for r in await repository.recipients(session, report.id)]
    commenters = [c.author_id for c in await repository.comments(session, report.id)]
    return tuple(topics.user(u) for u in dict.fromkeys([report.author_id, *recipients, *commenters]))


async def comment(session: Session, actor: Actor, report_id: str, body: str) -> dict[str, Any]:
    report = await access_report(session, actor, report_id)
    if report.status != "submitted":
        raise Conflict("Comment on a submitted report.", code="not_submitted")
    text = body.strip()
    if not text:
        raise ValidationFailed("Write something.", code="empty_comment")
    row = ReportComment(report_id=report.id, author_id=actor.user_id, body=text, created_at=clock.now())
    session.add(row)
    await session.flush()
    await record(
        session,
        events.ReportCommented(
            org_id=actor.org_id, audience=await _people_around(session, report), report_id=report.id,
            comment={"id": row.id, "author_id": actor.user_id, "author_name": actor.user.name, "body": row.body,
                     "created_at": clock.isoformat(row.created_at)},
        ),
    )  # fmt: skip
    return await _full_view(session, actor, report)


async def like(session: Session, actor: Actor, report_id: str, liked: bool) -> dict[str, Any]:
    report = await access_report(session, actor, report_id)
    existing = await session.get(ReportLike, (report.id, actor.user_id))
    if liked and existing is None:
        session.add(ReportLike(report_id=report.id, user_id=actor.user_id, created_at=clock.now()))
    elif not liked and existing is not None:
        await session.delete(existing)
    else:
        return await _full_view(session, actor, report)
    await session.flush()
    count = len(await repository.likes(session, report.id))
    await record(
        session,
        events.ReportLiked(
            org_id=actor.org_id, audience=(topics.user(report.author_id),), report_id=report.id,
            user_id=actor.user_id, liked=liked, like_count=count,
        ),
    )  # fmt: skip
    return await _full_view(session, actor, report)


async def list_reports(
    session: Session,
    actor: Actor,
    *,
    box: str,
    template_id: str | None = None,
    author_id: str | None = None,
    department_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    q: str = "",
    limit: int = 50,
    before: datetime | None = None,
) -> list[dict[str, Any]]:
    """inbox (unread first), sent, drafts, or all (everything the actor may read); filters
    by template, person, department (and below), time; ``q``: every word must appear."""
    authors: list[str] | None = None
    if author_id:
        authors = [author_id]
    if department_id:
        members = await accounts_service.department_member_ids(session, actor.org_id, [department_id])
        authors = [a for a in (authors if authors is not None else members) if a in set(members)]
    words = [w for w in q.lower().split() if w][:10]
    # Reports posted to one's chats count as readable ("all"); the inbox stays what was sent to one.
    chats: list[str] = []
    if box == "all":
        chats = await messaging_conversations.conversation_ids_of(session, actor.org_id, actor.user_id)
    rows = await repository.listing(
        session, actor.org_id, actor.user_id, box=box, template_id=template_id, author_ids=authors, since=since,
        until=until, words=words, visible_chats=chats, admin=actor.is_admin and box == "all", limit=limit,
        before=before,
    )  # fmt: skip
    return [await report_view(session, actor, report, read_at) for report, read_at in rows]
