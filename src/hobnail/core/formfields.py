"""Form fields: what an admin may design and checking values people submit. Shared by
approvals (request forms) and work reports (templates). Pure functions of their
arguments (dates come in as ISO strings), so hypothesis can check them. Values that name
people, departments or files are checked against the database by the caller afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

FIELD_TYPES = (
    "text", "textarea", "number", "amount", "date", "daterange", "select", "multiselect", "people",
    "department", "attachment", "time", "image",
)  # fmt: skip
# Approval forms: everything but images (attachments cover them there).
APPROVAL_TYPES = FIELD_TYPES[:-1]
HHMM = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
MAX_FIELDS = 50
KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")


class FormError(ValueError):
    """A form design or a submitted value is not acceptable (``field`` says which)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def check_fields(fields: Any, types: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Validate an admin's field list (of ``types``, default all but image); returns it cleaned."""
    types = types or APPROVAL_TYPES
    if not isinstance(fields, list) or not fields:
        raise FormError("A form needs at least one field.")
    if len(fields) > MAX_FIELDS:
        raise FormError(f"At most {MAX_FIELDS} fields.")
    clean, keys = [], set()
    for index, raw in enumerate(fields):
        if not isinstance(raw, Mapping):
            raise FormError(f"Field {index + 1} is not an object.")
        key, kind = raw.get("key"), raw.get("type")
        if not isinstance(key, str) or not KEY.fullmatch(key) or key in keys:
            raise FormError(f"Field {index + 1}: key is a unique snake_case name.", field=str(key))
        if kind not in types:
            raise FormError(f"Field {key}: type is one of {', '.join(types)}.", field=key)
        label = str(raw.get("label") or "").strip()
        if not label or len(label) > 50:
            raise FormError(f"Field {key}: a label of 1–50 characters.", field=key)
        item: dict[str, Any] = {
            "key": key, "type": kind, "label": label, "required": bool(raw.get("required", False)),
            "help": str(raw.get("help") or "")[:200],
        }  # fmt: skip
        if kind in ("select", "multiselect"):
            options = raw.get("options")
            if not isinstance(options, list) or not options or not all(isinstance(o, str) and o for o in options):
                raise FormError(f"Field {key}: choices need options.", field=key)
            item["options"] = list(dict.fromkeys(options))
        keys.add(key)
        clean.append(item)
    return clean


def check_values(fields: Sequence[Mapping[str, Any]], values: Any) -> dict[str, Any]:
    """Values for a form's fields, type-checked and normalised. Unknown keys are refused."""
    if not isinstance(values, Mapping):
        raise FormError("values is an object of field keys.")
    known = {f["key"] for f in fields}
    unknown = [k for k in values if k not in known]
    if unknown:
        raise FormError(f"Unknown field {unknown[0]}.", field=unknown[0])
    clean: dict[str, Any] = {}
    for field in fields:
        key = field["key"]
        value = values.get(key)
        if value is None or value == "" or value == []:
            if field.get("required"):
                raise FormError(f"{field['label']} is required.", field=key)
            continue
        clean[key] = _check_value(field, value)
    return clean


def _check_value(field: Mapping[str, Any], value: Any) -> Any:
    key, kind = field["key"], field["type"]
    wrong = FormError(f"{field['label']}: not a valid {kind}.", field=key)
    if kind in ("text", "textarea"):
        if not isinstance(value, str) or len(value) > (200 if kind == "text" else 5000):
            raise wrong
        return value.strip()
    if kind in ("number", "amount"):
        if isinstance(value, bool) or not isinstance(value, int | float) or abs(value) > 1e12:
            raise wrong
        return round(float(value), 2) if kind == "amount" else value
    if kind == "date":
        return _iso_date(value, wrong).isoformat()
    if kind == "time":
        if not isinstance(value, str) or not HHMM.fullmatch(value):
            raise FormError(f"{field['label']}: a time like 09:30.", field=key)
        return value
    if kind == "daterange":
        if not isinstance(value, Sequence) or isinstance(value, str) or len(value) != 2:
            raise wrong
        start, end = _iso_date(value[0], wrong), _iso_date(value[1], wrong)
        if end < start:
            raise FormError(f"{field['label']}: the end is before the start.", field=key)
        return [start.isoformat(), end.isoformat()]
    if kind == "select":
        if value not in field.get("options", []):
            raise wrong
        return value
    if kind == "multiselect":
        if not isinstance(value, list) or not all(v in field.get("options", []) for v in value):
            raise wrong
        return list(dict.fromkeys(value))
    # people, department, attachment: lists of ids, checked against the database later
    items = value if isinstance(value, list) else [value]
    if not items or len(items) > 50 or not all(isinstance(v, str) and 0 < len(v) <= 40 for v in items):
        raise wrong
    return list(dict.fromkeys(items))


def _iso_date(value: Any, error: FormError) -> date:
    if not isinstance(value, str):
        raise error
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise error from None
