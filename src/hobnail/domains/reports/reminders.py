"""Reminding people who have not written a report that is due soon (the template's
``remind_before_minutes`` before its deadline), once per person and period."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from hobnail.core import clock
from hobnail.db.session import Session
from hobnail.domains.accounts import service as accounts_service
from hobnail.domains.attendance import workdays as attendance_workdays
from hobnail.domains.reports import events, periods, repository
from hobnail.domains.reports.templates import DEFAULT_RULES
from hobnail.events.base import topics
from hobnail.events.outbox import record
from hobnail.jobs import registry
from hobnail.models import Organization, ReportReminder, ReportTemplate

EVERY = timedelta(minutes=5)


async def remind(session: Session, _payload: dict[str, Any]) -> None:
    now = clock.now()
    rows = await session.execute(
        sa.select(ReportTemplate, Organization)
        .join(Organization, Organization.id == ReportTemplate.org_id)
        .where(ReportTemplate.enabled.is_(True))
    )
    for template, org in rows.all():
        rules = {**DEFAULT_RULES, **template.rules}
        if rules["period"] == "none" or not rules["remind_before_minutes"]:
            continue
        if not rules["user_ids"] and not rules["department_ids"]:
            continue
        zone = ZoneInfo(org.timezone)
        today = now.astimezone(zone).date()
        workdays = await attendance_workdays.org_workdays(session, org.id, today, today)
        keys = periods.due_keys(rules["period"], today, today, workdays)
        if not keys:
            continue
        key = keys[0]
        due = periods.deadline(rules["period"], key, rules["deadline"], zone)
        if due is None or not due - timedelta(minutes=rules["remind_before_minutes"]) <= now < due:
            continue
        writers = set(rules["user_ids"])
        if rules["department_ids"]:
            writers |= set(await accounts_service.department_member_ids(session, org.id, rules["department_ids"]))
        writers = set(await accounts_service.active_member_ids(session, org.id, sorted(writers)))
        written = {r.author_id for r in await repository.submitted_in(session, template.id, [key])}
        sent = set(
            await session.scalars(
                sa.select(ReportReminder.user_id).where(
                    ReportReminder.template_id == template.id, ReportReminder.period_key == key
                )
            )
        )
        for user_id in sorted(writers - written - sent):
            session.add(ReportReminder(template_id=template.id, user_id=user_id, period_key=key))
            await record(
                session,
                events.ReportReminder(
                    org_id=org.id, audience=(topics.user(user_id),), template_id=template.id, name=template.name,
                    period_key=key, deadline=clock.isoformat(due),
                ),
            )  # fmt: skip
    await session.flush()


def register_jobs() -> None:
    registry.register("reports.remind", remind, every=EVERY)
