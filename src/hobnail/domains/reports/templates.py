"""Report templates: the built-in daily, weekly and monthly ones (created on first use)
and the ones admins design, with who gets a report by default and who should write it,
how often and by when."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa

from hobnail.core import clock
from hobnail.core.errors import NotFound, ValidationFailed
from hobnail.core.formfields import FIELD_TYPES, FormError, check_fields
from hobnail.db.session import Session
from hobnail.domains.accounts import service as accounts_service
from hobnail.domains.accounts.access import Actor, require_admin
from hobnail.domains.reports.periods import PERIODS
from hobnail.models import ReportTemplate

TEMPLATE_TYPES = ("text", "textarea", "number", "date", "select", "multiselect", "attachment", "image")
assert set(TEMPLATE_TYPES) <= set(FIELD_TYPES)
HHMM = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")


def _field(key: str, kind: str, label: str, required: bool = False) -> dict[str, Any]:
    return {"key": key, "type": kind, "label": label, "required": required, "help": ""}


BUILTIN: dict[str, dict[str, Any]] = {
    "daily": {
        "name": "Daily report 日报",
        "fields": [
            _field("done", "textarea", "Today's work 今日完成工作", required=True),
            _field("unfinished", "textarea", "Unfinished 未完成工作"),
            _field("help", "textarea", "Needs coordination 需协调工作"),
            _field("attachments", "attachment", "Attachments 附件"),
        ],
        "rules": {"period": "daily", "deadline": "20:00"},
    },
    "weekly": {
        "name": "Weekly report 周报",
        "fields": [
            _field("done", "textarea", "This week 本周完成工作", required=True),
            _field("summary", "textarea", "Summary 本周工作总结"),
            _field("next", "textarea", "Next week 下周工作计划"),
            _field("help", "textarea", "Needs coordination 需协调与帮助"),
            _field("attachments", "attachment", "Attachments 附件"),
        ],
        "rules": {"period": "weekly", "deadline": "20:00"},
    },
    "monthly": {
        "name": "Monthly report 月报",
        "fields": [
            _field("done", "textarea", "This month 本月工作内容", required=True),
            _field("summary", "textarea", "Summary 本月工作总结"),
            _field("next", "textarea", "Next month 下月工作计划"),
            _field("help", "textarea", "Needs coordination 需帮助与支持"),
            _field("attachments", "attachment", "Attachments 附件"),
        ],
        "rules": {"period": "monthly", "deadline": "20:00"},
    },
}
DEFAULT_RULES: dict[str, Any] = {
    "user_ids": [], "department_ids": [], "period": "none", "deadline": "20:00", "remind_before_minutes": 60,
}  # fmt: skip
DEFAULT_RECIPIENTS: dict[str, Any] = {"manager": True, "user_ids": [], "chat_ids": []}


class TemplateNotFound(NotFound):
    code = "report_template_not_found"
    message = "No such report template."


class InvalidTemplate(ValidationFailed):
    code = "invalid_template"


def template_view(template: ReportTemplate) -> dict[str, Any]:
    return {
        "id": template.id, "builtin": template.builtin, "name": template.name, "description": template.description,
        "fields": template.fields, "recipients": {**DEFAULT_RECIPIENTS, **template.recipients},
        "rules": {**DEFAULT_RULES, **template.rules}, "enabled": template.enabled,
    }  # fmt: skip


async def templates_missing(session: Session, org_id: str) -> bool:
    found = await session.scalar(
        sa.select(sa.func.count()).where(ReportTemplate.org_id == org_id, ReportTemplate.builtin.is_not(None))
    )
    return (found or 0) < len(BUILTIN)


async def ensure_builtin(session: Session, org_id: str) -> None:
    """Create the built-in templates the organisation lacks (a write: call it in a writer)."""
    have = set(
        await session.scalars(
            sa.select(ReportTemplate.builtin).where(
                ReportTemplate.org_id == org_id, ReportTemplate.builtin.is_not(None)
            )
        )
    )
    for builtin, spec in BUILTIN.items():
        if builtin not in have:
            session.add(
                ReportTemplate(
                    org_id=org_id, builtin=builtin, name=spec["name"], fields=spec["fields"],
                    recipients=dict(DEFAULT_RECIPIENTS), rules={**DEFAULT_RULES, **spec["rules"]},
                    created_at=clock.now(),
                )
            )  # fmt: skip
    await session.flush()


async def list_templates(session: Session, actor: Actor) -> list[dict[str, Any]]:
    rows = await session.scalars(
        sa.select(ReportTemplate)
        .where(ReportTemplate.org_id == actor.org_id)
        .order_by(ReportTemplate.builtin.is_(None), ReportTemplate.created_at)
    )
    return [template_view(t) for t in rows if t.enabled or actor.is_admin]


async def access_template(session: Session, actor: Actor, template_id: str) -> ReportTemplate:
    template = await session.scalar(
        sa.select(ReportTemplate).where(ReportTemplate.org_id == actor.org_id, ReportTemplate.id == template_id)
    )
    if template is None or (not template.enabled and not actor.is_admin):
        raise TemplateNotFound()
    return template


async def _check_rules(session: Session, actor: Actor, raw: dict[str, Any]) -> dict[str, Any]:
    rules = {**DEFAULT_RULES, **raw}
    unknown = [k for k in raw if k not in DEFAULT_RULES]
    if unknown:
        raise InvalidTemplate(f"Unknown rule {unknown[0]}.", details={"field": f"rules.{unknown[0]}"})
    if rules["period"] not in PERIODS:
        raise InvalidTemplate(f"period is one of {', '.join(PERIODS)}.", details={"field": "rules.period"})
    if not isinstance(rules["deadline"], str) or not HHMM.fullmatch(rules["deadline"]):
        raise InvalidTemplate("deadline is a time like 20:00.", details={"field": "rules.deadline"})
    remind = rules["remind_before_minutes"]
    if isinstance(remind, bool) or not isinstance(remind, int) or not 0 <= remind <= 720:
        raise InvalidTemplate("remind_before_minutes is 0 to 720.", details={"field": "rules.remind_before_minutes"})
    await _check_people(session, actor, rules["user_ids"], "rules.user_ids")
    departments = rules["department_ids"]
    if not isinstance(departments, list) or not all(isinstance(d, str) for d in departments):
        raise InvalidTemplate("department_ids is a list of ids.", details={"field": "rules.department_ids"})
    if departments:
        await accounts_service.department_member_ids(session, actor.org_id, departments)  # 422 for strangers
    return rules


async def _check_people(session: Session, actor: Actor, user_ids: Any, field: str) -> list[str]:
    if not isinstance(user_ids, list) or not all(isinstance(u, str) for u in user_ids) or len(user_ids) > 500:
        raise InvalidTemplate("A list of at most 500 people.", details={"field": field})
    known = await accounts_service.active_member_ids(session, actor.org_id, user_ids)
    strangers = [u for u in user_ids if u not in known]
    if strangers:
        raise ValidationFailed(
            "Choose people of this organisation.",
            code="member_not_found",
            details={"field": field, "user_ids": strangers},
        )
    return list(dict.fromkeys(user_ids))


async def _check_recipients(session: Session, actor: Actor, raw: dict[str, Any]) -> dict[str, Any]:
    recipients = {**DEFAULT_RECIPIENTS, **raw}
    unknown = [k for k in raw if k not in DEFAULT_RECIPIENTS]
    if unknown:
        raise InvalidTemplate(f"Unknown recipient setting {unknown[0]}.", details={"field": f"recipients.{unknown[0]}"})
    recipients["manager"] = bool(recipients["manager"])
    recipients["user_ids"] = await _check_people(session, actor, recipients["user_ids"], "recipients.user_ids")
    chats = recipients["chat_ids"]
    if not isinstance(chats, list) or not all(isinstance(c, str) for c in chats) or len(chats) > 20:
        raise InvalidTemplate("chat_ids is a list of at most 20 chats.", details={"field": "recipients.chat_ids"})
    return recipients


async def create_template(session: Session, actor: Actor, changes: dict[str, Any]) -> dict[str, Any]:
    require_admin(actor)
    template = ReportTemplate(org_id=actor.org_id, builtin=None, name=changes["name"], created_at=clock.now())
    await _apply(session, actor, template, {"fields": [], **changes})
    session.add(template)
    await session.flush()
    return template_view(template)


async def update_template(session: Session, actor: Actor, template_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Built-in templates keep their fields; everything else may change."""
    require_admin(actor)
    template = await access_template(session, actor, template_id)
    if template.builtin and "fields" in changes:
        raise InvalidTemplate("Built-in templates keep their fields; design a custom template instead.")
    await _apply(session, actor, template, changes)
    template.updated_at = clock.now()
    await session.flush()
    return template_view(template)


async def _apply(session: Session, actor: Actor, template: ReportTemplate, changes: dict[str, Any]) -> None:
    if "fields" in changes:
        try:
            template.fields = check_fields(changes["fields"], TEMPLATE_TYPES)
        except FormError as error:
            raise InvalidTemplate(str(error), details={"field": error.field}) from None
    for key in ("name", "description", "enabled"):
        if changes.get(key) is not None:
            setattr(template, key, changes[key])
    if changes.get("rules") is not None:
        template.rules = await _check_rules(session, actor, changes["rules"])
    elif not template.rules:
        template.rules = dict(DEFAULT_RULES)
    if changes.get("recipients") is not None:
        template.recipients = await _check_recipients(session, actor, changes["recipients"])
    elif not template.recipients:
        template.recipients = dict(DEFAULT_RECIPIENTS)
