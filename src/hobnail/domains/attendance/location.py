"""Where a punch was (inside a place's fence, on an office network, or outside) and what
about it looks implausible. Pure.

A place or an office network is enough on its own (DingTalk: location **or** Wi-Fi).
A browser cannot read Wi-Fi, so for browsers the office network is the client's IP
address; phone apps and other API clients may send the SSID/BSSID they see.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

EARTH_RADIUS_M = 6_371_008.8
# Flags for review, not refusals: a browser may honestly report 2 km on a desktop.
MAX_PLAUSIBLE_ACCURACY_M = 1500.0
MIN_PLAUSIBLE_ACCURACY_M = 1.0  # exactly 0 (or sub-metre) is what location spoofers send
MAX_TRAVEL_KMH = 300.0  # faster than a high-speed train between two punches
MIN_TRAVEL_DISTANCE_M = 5000.0


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class Where:
    result: str  # place | network | outside | unknown (no position, no network)
    name: str = ""
    distance_m: float | None = None  # to the nearest place, when outside


def locate(
    rules: Mapping[str, Any],
    *,
    latitude: float | None,
    longitude: float | None,
    ip: str = "",
    ssid: str = "",
    bssid: str = "",
) -> Where:
    """Inside a place's radius → place; else on an office network (IP range or Wi-Fi) →
    network; else outside, with the nearest place's distance."""
    nearest: tuple[float, str] | None = None
    if latitude is not None and longitude is not None:
        for place in rules.get("places", []):
            meters = distance_m(latitude, longitude, place["latitude"], place["longitude"])
            if meters <= place["radius"]:
                return Where("place", place["name"], round(meters))
            if nearest is None or meters < nearest[0]:
                nearest = (meters, place["name"])
    network = _network(rules, ip, ssid, bssid)
    if network is not None:
        return Where("network", network)
    if nearest is not None:
        return Where("outside", nearest[1], round(nearest[0]))
    if latitude is None:
        return Where("unknown")
    return Where("outside")


def _network(rules: Mapping[str, Any], ip: str, ssid: str, bssid: str) -> str | None:
    bssid = bssid.strip().lower().replace("-", ":")
    for wifi in rules.get("wifi", []) if bssid or ssid else []:
        if (not wifi["bssid"] or wifi["bssid"] == bssid) and (not wifi["ssid"] or wifi["ssid"] == ssid):
            return str(wifi["ssid"] or wifi["bssid"])
    try:
        address = ipaddress.ip_address(ip) if ip else None
    except ValueError:
        address = None
    if address is not None:
        for network in rules.get("networks", []):
            if address in ipaddress.ip_network(network["cidr"]):
                return str(network["name"] or network["cidr"])
    return None


@dataclass(frozen=True)
class Seen:
    """An earlier located punch of the same person."""

    at: datetime
    latitude: float
    longitude: float


def honesty_flags(
    *,
    accuracy: float | None,
    latitude: float | None,
    longitude: float | None,
    at: datetime,
    previous: Seen | None,
    device_id: str,
    known_devices: Sequence[str],
) -> list[str]:
    """What an admin should look at: implausible accuracy, travel faster than possible
    since the last located punch, a device never used by this person before (their first
    device is not new)."""
    flags: list[str] = []
    if accuracy is not None and not MIN_PLAUSIBLE_ACCURACY_M <= accuracy <= MAX_PLAUSIBLE_ACCURACY_M:
        flags.append("implausible_accuracy")
    if previous is not None and latitude is not None and longitude is not None:
        meters = distance_m(previous.latitude, previous.longitude, latitude, longitude)
        hours = max((at - previous.at).total_seconds(), 1) / 3600
        if meters >= MIN_TRAVEL_DISTANCE_M and meters / 1000 / hours > MAX_TRAVEL_KMH:
            flags.append("impossible_travel")
    if device_id and known_devices and device_id not in known_devices:
        flags.append("new_device")
    return flags
