"""Request bodies of attendance (responses are documented as JSON objects; their fields
are listed in docs/api.md)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GroupIn(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=50)
    user_ids: list[str] | None = Field(default=None, max_length=10_000)
    department_ids: list[str] | None = Field(default=None, max_length=1_000)
    rules: dict[str, Any] | None = Field(
        default=None,
        description="kind fixed|shift|flexible; workdays [0-6]; shift {id,name,start,end}; shifts [...]; flex_hours; "
        "late_grace_minutes, early_grace_minutes, serious_late_minutes, absent_late_minutes, open_before_minutes, "
        "close_after_minutes; holidays (follow the calendar); places [{name, latitude, longitude, radius 100-3000}]; "
        "networks [{name, cidr}]; wifi [{ssid, bssid}]; field_allowed; field_photo_required; makeup_per_month; "
        "remind_before_minutes; remind_after_minutes",
    )
    effective_from: date | None = Field(default=None, description="Rules apply from this day (today or later)")
    move: bool = Field(default=False, description="Move people and departments out of their current group")


class GroupCreateIn(GroupIn):
    name: str = Field(min_length=1, max_length=50)


class RosterEntryIn(Strict):
    user_id: str = Field(max_length=26)
    day: date
    shift_id: str | None = Field(default=None, max_length=20, description="null: a rest day")


class RosterIn(Strict):
    entries: list[RosterEntryIn] = Field(min_length=1, max_length=5_000)


class CalendarDayIn(Strict):
    kind: Literal["holiday", "workday", "normal", "reset"]
    name: str = Field(default="", max_length=50)


class PunchIn(Strict):
    latitude: float | None = Field(default=None, allow_inf_nan=False)
    longitude: float | None = Field(default=None, allow_inf_nan=False)
    accuracy: float | None = Field(default=None, ge=0, le=1_000_000, allow_inf_nan=False, description="metres")
    ssid: str = Field(default="", max_length=64)
    bssid: str = Field(default="", max_length=17)
    device_id: str = Field(
        default="", max_length=64, description="A stable id of the device (the web client keeps one)"
    )
    note: str = Field(default="", max_length=500, description="Required for a field clock-in")
    photo_file_id: str | None = Field(default=None, max_length=26, description="An uploaded photo (field clock-in)")
    client_id: str | None = Field(default=None, max_length=64, description="A retry with the same id punches once")


class ReviewIn(Strict):
    decision: Literal["accept", "reject"]
