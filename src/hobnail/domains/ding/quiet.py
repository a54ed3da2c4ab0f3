"""Quiet hours: when SMS and voice steps for a person wait."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from hobnail.core.errors import ValidationFailed


def parse_hhmm(value: str, field: str) -> time:
    try:
        hours, minutes = value.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise ValidationFailed(
            "Use a 24-hour time such as 22:00.", code="invalid_time", details={"field": field}
        ) from None


def quiet_until(now: datetime, start: str | None, end: str | None, timezone: str) -> datetime | None:
    """The end of the quiet period ``now`` falls in (aware UTC), or None if not quiet.

    A window may cross midnight (22:00–07:30). Equal start and end means no quiet hours.
    """
    if not start or not end or start == end:
        return None
    zone = ZoneInfo(timezone)
    local = now.astimezone(zone)
    begins, ends = parse_hhmm(start, "quiet_hours_start"), parse_hhmm(end, "quiet_hours_end")
    today_begin = local.replace(hour=begins.hour, minute=begins.minute, second=0, microsecond=0)
    today_end = local.replace(hour=ends.hour, minute=ends.minute, second=0, microsecond=0)
    if begins < ends:
        if today_begin <= local < today_end:
            return today_end.astimezone(now.tzinfo)
        return None
    # Crosses midnight: quiet from `begins` today until `ends` tomorrow, or since yesterday.
    if local >= today_begin:
        return (today_end + timedelta(days=1)).astimezone(now.tzinfo)
    if local < today_end:
        return today_end.astimezone(now.tzinfo)
    return None
