"""An attendance group's rules: checking what an admin sends, and the parsed form the
engine reads. Pure; the stored form is the cleaned dict ``check_rules`` returns.

Decisions where the issue is silent (following DingTalk's defaults):
- clock-in opens 2 h before a shift starts and clock-out closes 6 h after it ends
  (``open_before_minutes`` / ``close_after_minutes``);
- 5 minutes' grace for lateness, none for leaving early; 30 minutes late is serious,
  from 120 minutes late the day counts as absent (旷工迟到);
- a flexible day runs from 04:00 to 04:00 the next day.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from typing import Any

KINDS = ("fixed", "shift", "flexible")
SHIFT_ID = re.compile(r"[a-z0-9_-]{1,20}")
HHMM = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
BSSID = re.compile(r"([0-9a-f]{2}:){5}[0-9a-f]{2}")
MIN_RADIUS, MAX_RADIUS, DEFAULT_RADIUS = 100, 3000, 300
MAX_PLACES = 100
DEFAULTS: dict[str, Any] = {
    "kind": "fixed",
    "workdays": [0, 1, 2, 3, 4],
    "shift": {"id": "day", "name": "Day", "start": "09:00", "end": "18:00"},
    "shifts": [],
    "flex_hours": 8.0,
    "late_grace_minutes": 5,
    "early_grace_minutes": 0,
    "serious_late_minutes": 30,
    "absent_late_minutes": 120,
    "open_before_minutes": 120,
    "close_after_minutes": 360,
    "holidays": True,
    "places": [],
    "networks": [],
    "wifi": [],
    "field_allowed": False,
    "field_photo_required": False,
    "makeup_per_month": 3,
    "remind_before_minutes": 10,
    "remind_after_minutes": 30,
}
MINUTE_LIMITS = {
    "late_grace_minutes": (0, 120),
    "early_grace_minutes": (0, 120),
    "serious_late_minutes": (1, 720),
    "absent_late_minutes": (0, 1440),  # 0: never
    "open_before_minutes": (0, 720),
    "close_after_minutes": (0, 720),
    "remind_before_minutes": (0, 240),  # 0: no reminder
    "remind_after_minutes": (0, 240),
}


class RuleError(ValueError):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def check_rules(raw: Any) -> dict[str, Any]:
    """Validate rules sent by an admin (missing keys take the defaults); returns them cleaned."""
    if not isinstance(raw, Mapping):
        raise RuleError("rules is an object.", "rules")
    unknown = [k for k in raw if k not in DEFAULTS]
    if unknown:
        raise RuleError(f"Unknown rule {unknown[0]}.", unknown[0])
    rules = {**DEFAULTS, **raw}
    if rules["kind"] not in KINDS:
        raise RuleError(f"kind is one of {', '.join(KINDS)}.", "kind")
    workdays = rules["workdays"]
    if not isinstance(workdays, list) or not all(type(d) is int and 0 <= d <= 6 for d in workdays):
        raise RuleError("workdays are weekday numbers, 0 (Monday) to 6 (Sunday).", "workdays")
    clean: dict[str, Any] = {"kind": rules["kind"], "workdays": sorted(set(workdays))}
    clean["shift"] = _check_shift(rules["shift"], "shift")
    shifts = rules["shifts"]
    if not isinstance(shifts, list) or len(shifts) > 20:
        raise RuleError("shifts is a list of at most 20 shifts.", "shifts")
    clean["shifts"] = [_check_shift(s, f"shifts.{i}") for i, s in enumerate(shifts)]
    if len({s["id"] for s in clean["shifts"]}) != len(clean["shifts"]):
        raise RuleError("Each shift needs its own id.", "shifts")
    if clean["kind"] == "shift" and not clean["shifts"]:
        raise RuleError("A shift schedule needs at least one shift.", "shifts")
    flex = rules["flex_hours"]
    if isinstance(flex, bool) or not isinstance(flex, int | float) or not 0.5 <= flex <= 16:
        raise RuleError("flex_hours is 0.5 to 16.", "flex_hours")
    clean["flex_hours"] = float(flex)
    for key, (low, high) in MINUTE_LIMITS.items():
        value = rules[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise RuleError(f"{key} is a whole number from {low} to {high}.", key)
        clean[key] = value
    if clean["absent_late_minutes"] and clean["absent_late_minutes"] <= clean["serious_late_minutes"]:
        raise RuleError("Absent-when-late must be later than seriously late.", "absent_late_minutes")
    for key in ("holidays", "field_allowed", "field_photo_required"):
        if not isinstance(rules[key], bool):
            raise RuleError(f"{key} is true or false.", key)
        clean[key] = rules[key]
    makeups = rules["makeup_per_month"]
    if isinstance(makeups, bool) or not isinstance(makeups, int) or not 0 <= makeups <= 31:
        raise RuleError("makeup_per_month is 0 to 31.", "makeup_per_month")
    clean["makeup_per_month"] = makeups
    clean["places"] = _check_places(rules["places"])
    clean["networks"] = _check_networks(rules["networks"])
    clean["wifi"] = _check_wifi(rules["wifi"])
    return clean


def _check_shift(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise RuleError("A shift is an object with id, name, start and end.", where)
    shift_id, name = raw.get("id"), str(raw.get("name") or "").strip()
    if not isinstance(shift_id, str) or not SHIFT_ID.fullmatch(shift_id):
        raise RuleError("A shift id is 1–20 of a-z, 0-9, _ and -.", f"{where}.id")
    if not name or len(name) > 30:
        raise RuleError("A shift name is 1–30 characters.", f"{where}.name")
    start, end = raw.get("start"), raw.get("end")
    for key, value in (("start", start), ("end", end)):
        if not isinstance(value, str) or not HHMM.fullmatch(value):
            raise RuleError(f"{key} is a time like 09:00.", f"{where}.{key}")
    if start == end:
        raise RuleError("A shift cannot start and end at the same time.", f"{where}.end")
    return {"id": shift_id, "name": name, "start": start, "end": end}


def _check_places(raw: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or len(raw) > MAX_PLACES:
        raise RuleError(f"places is a list of at most {MAX_PLACES}.", "places")
    places = []
    for index, place in enumerate(raw):
        where = f"places.{index}"
        if not isinstance(place, Mapping):
            raise RuleError("A place is an object.", where)
        name = str(place.get("name") or "").strip()
        if not name or len(name) > 50:
            raise RuleError("A place needs a name of 1–50 characters.", f"{where}.name")
        lat, lng = place.get("latitude"), place.get("longitude")
        check_coordinates(lat, lng, where)
        radius = place.get("radius", DEFAULT_RADIUS)
        if isinstance(radius, bool) or not isinstance(radius, int | float) or not MIN_RADIUS <= radius <= MAX_RADIUS:
            raise RuleError(f"radius is {MIN_RADIUS} to {MAX_RADIUS} metres.", f"{where}.radius")
        places.append({"name": name, "latitude": float(lat), "longitude": float(lng), "radius": int(radius)})  # type: ignore[arg-type]
    return places


def check_coordinates(lat: Any, lng: Any, where: str = "") -> None:
    """Raises RuleError unless lat is −90…90 and lng −180…180 (numbers, not NaN)."""
    for key, value, limit in (("latitude", lat, 90), ("longitude", lng, 180)):
        if isinstance(value, bool) or not isinstance(value, int | float) or not -limit <= value <= limit:
            raise RuleError(f"{key} is a number from −{limit} to {limit}.", f"{where}.{key}".lstrip("."))


def _check_networks(raw: Any) -> list[dict[str, str]]:
    if not isinstance(raw, list) or len(raw) > 50:
        raise RuleError("networks is a list of at most 50.", "networks")
    networks = []
    for index, network in enumerate(raw):
        where = f"networks.{index}"
        if not isinstance(network, Mapping) or not isinstance(network.get("cidr"), str):
            raise RuleError("A network is an object with a cidr such as 203.0.113.0/24.", where)
        try:
            cidr = str(ipaddress.ip_network(network["cidr"].strip(), strict=False))
        except ValueError:
            raise RuleError("Not an IP range; write it like 203.0.113.0/24.", f"{where}.cidr") from None
        networks.append({"name": str(network.get("name") or "")[:50], "cidr": cidr})
    return networks


def _check_wifi(raw: Any) -> list[dict[str, str]]:
    if not isinstance(raw, list) or len(raw) > 50:
        raise RuleError("wifi is a list of at most 50.", "wifi")
    wifi = []
    for index, item in enumerate(raw):
        where = f"wifi.{index}"
        if not isinstance(item, Mapping):
            raise RuleError("A Wi-Fi network is an object with ssid and/or bssid.", where)
        ssid = str(item.get("ssid") or "").strip()[:64].rstrip()
        bssid = str(item.get("bssid") or "").strip().lower().replace("-", ":")
        if bssid and not BSSID.fullmatch(bssid):
            raise RuleError("bssid looks like 00:11:22:33:44:55.", f"{where}.bssid")
        if not ssid and not bssid:
            raise RuleError("Give an ssid, a bssid or both.", where)
        wifi.append({"ssid": ssid, "bssid": bssid})
    return wifi


def _hhmm(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


@dataclass(frozen=True)
class Shift:
    id: str
    name: str
    start: time
    end: time

    @property
    def overnight(self) -> bool:
        """Ends on the next day (22:00–06:00)."""
        return self.end <= self.start

    @classmethod
    def of(cls, raw: Mapping[str, Any]) -> Shift:
        return cls(raw["id"], raw["name"], _hhmm(raw["start"]), _hhmm(raw["end"]))


@dataclass(frozen=True)
class Rules:
    """Cleaned rules, parsed once for the engine."""

    kind: str
    workdays: frozenset[int]
    shift: Shift
    shifts: dict[str, Shift]
    flex_minutes: int
    late_grace: int
    early_grace: int
    serious_late: int
    absent_late: int
    open_before: int
    close_after: int
    holidays: bool
    raw: dict[str, Any]

    @classmethod
    def of(cls, raw: Mapping[str, Any]) -> Rules:
        merged = {**DEFAULTS, **raw}
        return cls(
            kind=merged["kind"], workdays=frozenset(merged["workdays"]), shift=Shift.of(merged["shift"]),
            shifts={s["id"]: Shift.of(s) for s in merged["shifts"]}, flex_minutes=round(merged["flex_hours"] * 60),
            late_grace=merged["late_grace_minutes"], early_grace=merged["early_grace_minutes"],
            serious_late=merged["serious_late_minutes"], absent_late=merged["absent_late_minutes"],
            open_before=merged["open_before_minutes"], close_after=merged["close_after_minutes"],
            holidays=merged["holidays"], raw=dict(merged),
        )  # fmt: skip
