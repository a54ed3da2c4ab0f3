"""Parsers for e-mail addresses, mobile numbers, time zones and languages.

They return the normalised value or raise ``ValidationFailed`` naming the field.
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hobnail.core.errors import ValidationFailed

LANGUAGES = ("zh-CN", "en")

_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
_PHONE_CHARS = re.compile(r"[\s\-()]")


def normalize_email(value: str, field: str = "email") -> str:
    email = value.strip()
    if len(email) > 254 or not _EMAIL.match(email) or ".." in email:
        raise ValidationFailed(
            f"'{value}' is not a valid e-mail address.", code="invalid_email", details={"field": field}
        )
    local, domain = email.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def normalize_phone(value: str, field: str = "phone") -> str:
    """Mobile numbers: an optional +country code and 6-15 digits; bare 11-digit numbers
    starting with 1 are taken as mainland China (+86)."""
    phone = _PHONE_CHARS.sub("", value.strip())
    digits = phone[1:] if phone.startswith("+") else phone
    if not digits.isdigit() or not 6 <= len(digits) <= 15:
        raise ValidationFailed(
            f"'{value}' is not a valid mobile number.", code="invalid_phone", details={"field": field}
        )
    if phone.startswith("+"):
        return phone
    if len(digits) == 11 and digits.startswith("1"):
        return f"+86{digits}"
    if digits.startswith("00"):
        return f"+{digits[2:]}"
    return f"+{digits}" if len(digits) > 11 else digits


def check_timezone(value: str, field: str = "timezone") -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationFailed(
            f"'{value}' is not a known time zone.", code="invalid_timezone", details={"field": field}
        ) from None
    return value


def check_language(value: str, field: str = "language") -> str:
    if value not in LANGUAGES:
        raise ValidationFailed(
            f"Language must be one of {', '.join(LANGUAGES)}.",
            code="invalid_language",
            details={"field": field},
        )
    return value


def check_name(value: str, field: str = "name", max_length: int = 100) -> str:
    name = " ".join(value.split())
    if not name:
        raise ValidationFailed("A name is required.", code="name_required", details={"field": field})
    if len(name) > max_length:
        raise ValidationFailed(
            f"Names are at most {max_length} characters.", code="name_too_long", details={"field": field}
        )
    return name


_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def check_hhmm(value: str, field: str) -> str:
    """A 24-hour clock time such as "07:30"."""
    if not _HHMM.match(value):
        raise ValidationFailed("Use a 24-hour time such as 22:00.", code="invalid_time", details={"field": field})
    return value
