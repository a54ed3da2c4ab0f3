"""Where a punch was and what looks odd about it (pure functions)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hobnail.domains.attendance import location

HQ = {"name": "HQ", "latitude": 31.2304, "longitude": 121.4737, "radius": 300}
RULES = {"places": [HQ], "networks": [{"name": "Office", "cidr": "203.0.113.0/24"}],
         "wifi": [{"ssid": "Office-5G", "bssid": "00:11:22:33:44:55"}]}  # fmt: skip
NOON = datetime(2026, 12, 7, 4, tzinfo=UTC)


def test_distance_is_the_great_circle_distance() -> None:
    # Shanghai People's Square to Beijing Tiananmen: about 1,067 km.
    assert location.distance_m(31.2304, 121.4737, 39.9042, 116.4074) == pytest.approx(1_067_000, rel=0.01)
    assert location.distance_m(10, 20, 10, 20) == 0


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ({"latitude": 31.2310, "longitude": 121.4740}, ("place", "HQ")),  # ~70 m away
        ({"latitude": 31.2600, "longitude": 121.5000}, ("outside", "HQ")),  # ~4 km away
        ({"latitude": 31.2600, "longitude": 121.5000, "ip": "203.0.113.9"}, ("network", "Office")),
        (
            {"latitude": None, "longitude": None, "ssid": "Office-5G", "bssid": "00-11-22-33-44-55"},
            ("network", "Office-5G"),
        ),
        ({"latitude": None, "longitude": None, "ssid": "Office-5G", "bssid": "66:77:88:99:aa:bb"}, ("unknown", "")),
        ({"latitude": None, "longitude": None, "ip": "198.51.100.1"}, ("unknown", "")),
    ],
)
def test_a_place_or_an_office_network_is_enough(where: dict[str, object], expected: tuple[str, str]) -> None:
    found = location.locate(RULES, **where)  # type: ignore[arg-type]
    assert (found.result, found.name) == expected


def test_outside_says_how_far_the_nearest_place_is() -> None:
    found = location.locate(RULES, latitude=31.2600, longitude=121.5000)
    assert found.distance_m is not None and 3_500 < found.distance_m < 4_500


def seen(minutes_ago: int, lat: float = 31.2304, lng: float = 121.4737) -> location.Seen:
    return location.Seen(NOON - timedelta(minutes=minutes_ago), lat, lng)


@pytest.mark.parametrize(
    ("accuracy", "previous", "device", "known", "flags"),
    [
        (20.0, seen(60), "p1", ["p1"], []),
        (0.0, None, "p1", ["p1"], ["implausible_accuracy"]),
        (5000.0, None, "", [], ["implausible_accuracy"]),
        (20.0, seen(60, 39.9042, 116.4074), "p1", ["p1"], ["impossible_travel"]),  # 1,067 km in an hour
        (20.0, seen(6 * 60, 39.9042, 116.4074), "p1", ["p1"], []),  # six hours later is plausible
        (20.0, seen(1, 31.2330, 121.4737), "p1", ["p1"], []),  # 300 m in a minute: too short to judge
        (20.0, None, "p2", ["p1"], ["new_device"]),
        (20.0, None, "p1", [], []),  # the first device is not new
    ],
)
def test_honesty_flags(
    accuracy: float, previous: location.Seen | None, device: str, known: list[str], flags: list[str]
) -> None:
    assert (
        location.honesty_flags(
            accuracy=accuracy, latitude=31.2304, longitude=121.4737, at=NOON, previous=previous,
            device_id=device, known_devices=known,
        )
        == flags
    )  # fmt: skip
