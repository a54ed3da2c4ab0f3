"""Forms as admins manage them: the built-in ones (created on first use) and custom ones."""

from __future__ import annotations

import copy
from typing import Any

import sqlalchemy as sa

from hobnail.core import clock
from hobnail.core.errors import ValidationFailed
from hobnail.db.session import Session
from hobnail.domains.accounts.access import Actor, require_admin
from hobnail.domains.approvals import flow, forms, repository
from hobnail.domains.approvals.access import FormNotFound
from hobnail.domains.approvals.presenters import form_view
from hobnail.models import ApprovalForm


class InvalidForm(ValidationFailed):
    code = "invalid_form"


def _stale(form: ApprovalForm) -> bool:
    """A built-in form whose fields differ from the current built-in definition."""
    return form.builtin is not None and form.fields != forms.BUILTIN[form.builtin]["fields"]


async def builtin_forms_missing(session: Session, org_id: str) -> bool:
    """Some built-in form does not exist yet, or has older fields (built-in fields are
    fixed, so a newer version of Hobnail brings its own)."""
    rows = [f for f in await repository.forms(session, org_id) if f.builtin in forms.BUILTIN]
    have = {f.builtin for f in rows}
    return any(kind not in have for kind in forms.BUILTIN) or any(_stale(f) for f in rows)


async def ensure_builtin_forms(session: Session, org_id: str) -> None:
    """Create the organisation's built-in forms the first time anyone needs them.
    Precondition: ``session`` is in a write transaction (reads call it through
    ``builtin_forms_missing`` and a separate writer; see routes)."""
    rows = [f for f in await repository.forms(session, org_id) if f.builtin in forms.BUILTIN]
    for form in rows:
        if _stale(form):
            form.fields = copy.deepcopy(forms.BUILTIN[str(form.builtin)]["fields"])
    have = {f.builtin for f in rows}
    missing = [kind for kind in forms.BUILTIN if kind not in have]
    if not missing:
        await session.flush()
        return
    for kind in missing:
        spec = forms.BUILTIN[kind]
        try:
            async with session.begin_nested():
                session.add(
                    ApprovalForm(
                        org_id=org_id, builtin=kind, name=spec["name"], fields=copy.deepcopy(spec["fields"]),
                        flow=copy.deepcopy(forms.DEFAULT_FLOW), settings=dict(spec.get("settings", {})),
                        created_at=clock.now(),
                    )
                )  # fmt: skip
        except sa.exc.IntegrityError:
            pass  # another request created it first


async def list_forms(session: Session, actor: Actor) -> list[dict[str, Any]]:
    """The forms (the built-in ones must exist: see ``builtin_forms_missing``)."""
    rows = await repository.forms(session, actor.org_id)
    order = list(forms.BUILTIN)
    rows.sort(key=lambda f: (order.index(f.builtin) if f.builtin else len(order), f.created_at))
    return [form_view(f) for f in rows if f.enabled or actor.is_admin]


async def create_form(session: Session, actor: Actor, changes: dict[str, Any]) -> dict[str, Any]:
    require_admin(actor)
    form = ApprovalForm(org_id=actor.org_id, builtin=None, created_at=clock.now(), settings={})
    _apply(form, {"enabled": True, **changes}, builtin=False)
    session.add(form)
    await session.flush()
    return form_view(form)


async def update_form(session: Session, actor: Actor, form_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Change a form. Built-in forms keep their fields; their name, flow and settings may change."""
    require_admin(actor)
    await ensure_builtin_forms(session, actor.org_id)
    form = await repository.form(session, actor.org_id, form_id)
    if form is None:
        raise FormNotFound()
    _apply(form, changes, builtin=form.builtin is not None)
    form.updated_at = clock.now()
    await session.flush()
    return form_view(form)


def _apply(form: ApprovalForm, changes: dict[str, Any], *, builtin: bool) -> None:
    try:
        if changes.get("name") is not None:
            name = str(changes["name"]).strip()
            if not name or len(name) > 50:
                raise InvalidForm("A form name is 1–50 characters.", details={"field": "name"})
            form.name = name
        elif not form.name:
            raise InvalidForm("The form needs a name.", details={"field": "name"})
        if changes.get("description") is not None:
            form.description = str(changes["description"])[:500]
        if changes.get("fields") is not None:
            if builtin:
                raise InvalidForm("A built-in form's fields are fixed.", details={"field": "fields"})
            form.fields = forms.check_fields(changes["fields"])
        elif not form.fields:
            raise InvalidForm("A form needs at least one field.", details={"field": "fields"})
        if changes.get("flow") is not None:
            form.flow = flow.check_flow(changes["flow"])
        elif not form.flow:
            raise InvalidForm("A form needs an approval flow with at least one step.", details={"field": "flow"})
        if changes.get("settings") is not None:
            per_month = changes["settings"].get("per_month")
            if per_month is not None and (not isinstance(per_month, int) or not 0 <= per_month <= 31):
                raise InvalidForm("per_month is 0 to 31.", details={"field": "settings.per_month"})
            form.settings = {**(form.settings or {}), **changes["settings"]}
        if changes.get("enabled") is not None:
            form.enabled = bool(changes["enabled"])
    except (forms.FormError, flow.FlowError) as error:
        raise InvalidForm(str(error), details={"field": getattr(error, "field", None)}) from None
