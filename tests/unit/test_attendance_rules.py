"""Checking an attendance group's rules: every refusal names its field, the cleaned form
parses, and the checker is total (only RuleError) and idempotent on arbitrary JSON."""

from __future__ import annotations

import math
from datetime import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hobnail.domains.attendance.rules import (
    DEFAULTS,
    MAX_PLACES,
    RuleError,
    Rules,
    Shift,
    check_coordinates,
    check_rules,
)

PROPERTY = settings(max_examples=100, deadline=None)
PLACE = {"name": "HQ", "latitude": 31.23, "longitude": 121.47}
NIGHT = {"id": "night", "name": "Night", "start": "22:00", "end": "06:00"}


def refused(raw: Any) -> str:
    with pytest.raises(RuleError) as caught:
        check_rules(raw)
    assert str(caught.value)  # a message for the admin
    return caught.value.field


def test_empty_rules_take_the_defaults() -> None:
    clean = check_rules({})
    assert clean == {**DEFAULTS, "flex_hours": 8.0}
    assert set(clean) == set(DEFAULTS)
    rules = Rules.of(clean)
    assert (rules.kind, rules.workdays, rules.flex_minutes) == ("fixed", frozenset(range(5)), 480)
    assert rules.shift == Shift("day", "Day", time(9), time(18))
    assert (rules.late_grace, rules.early_grace, rules.serious_late, rules.absent_late) == (5, 0, 30, 120)
    assert (rules.open_before, rules.close_after, rules.holidays, rules.shifts) == (120, 360, True, {})


def test_check_rules_does_not_share_the_defaults() -> None:
    clean = check_rules({})
    clean["workdays"].append(6)
    clean["shift"]["name"] = "Changed"
    clean["places"].append(PLACE)
    assert check_rules({}) == {**DEFAULTS, "flex_hours": 8.0}
    assert DEFAULTS["workdays"] == [0, 1, 2, 3, 4] and DEFAULTS["places"] == []


def test_cleaning() -> None:
    clean = check_rules(
        {
            "kind": "shift", "workdays": [4, 0, 4],
            "shifts": [NIGHT, {**NIGHT, "id": "day", "name": "  Day ", "start": "09:00", "end": "17:30"}],
            "flex_hours": 9, "places": [{**PLACE, "name": " HQ ", "radius": 150.9, "latitude": 31}],
            "networks": [
                {"cidr": " 203.0.113.7/24 ", "name": "Office"}, {"cidr": "2001:db8::1/32"}, {"cidr": "10.1.2.3"},
            ],
            "wifi": [{"ssid": " Office ", "bssid": "AA-BB-CC-DD-EE-FF"}, {"bssid": "00:11:22:33:44:55"}],
        }
    )  # fmt: skip
    assert clean["workdays"] == [0, 4]
    assert clean["shifts"][1] == {"id": "day", "name": "Day", "start": "09:00", "end": "17:30"}
    assert clean["flex_hours"] == 9.0 and isinstance(clean["flex_hours"], float)
    assert clean["places"] == [{"name": "HQ", "latitude": 31.0, "longitude": 121.47, "radius": 150}]
    assert clean["networks"] == [
        {"name": "Office", "cidr": "203.0.113.0/24"}, {"name": "", "cidr": "2001:db8::/32"},
        {"name": "", "cidr": "10.1.2.3/32"},
    ]  # fmt: skip
    assert clean["wifi"] == [
        {"ssid": "Office", "bssid": "aa:bb:cc:dd:ee:ff"},
        {"ssid": "", "bssid": "00:11:22:33:44:55"},
    ]
    assert check_rules(clean) == clean
    rules = Rules.of(clean)
    assert rules.shifts["night"].overnight and not rules.shifts["day"].overnight
    assert rules.flex_minutes == 540


def test_default_place_radius() -> None:
    assert check_rules({"places": [PLACE]})["places"][0]["radius"] == 300


@pytest.mark.parametrize("radius", [100, 3000, 100.0, 2999.9])
def test_radius_limits_accepted(radius: float) -> None:
    assert check_rules({"places": [{**PLACE, "radius": radius}]})["places"][0]["radius"] == int(radius)


@pytest.mark.parametrize("radius", [99, 99.9, 3001, 3000.1, 0, -300, True, "300", None, math.nan, math.inf])
def test_radius_limits_refused(radius: Any) -> None:
    assert refused({"places": [{**PLACE, "radius": radius}]}) == "places.0.radius"


def test_the_failing_place_is_named() -> None:
    assert refused({"places": [PLACE, PLACE, {**PLACE, "radius": 5000}]}) == "places.2.radius"


@pytest.mark.parametrize(
    ("latitude", "longitude", "field"),
    [(90.1, 0, "latitude"), (-91, 0, "latitude"), (0, 180.5, "longitude"), (0, -181, "longitude"),
     (math.nan, 0, "latitude"), (0, math.nan, "longitude"), (math.inf, 0, "latitude"), ("31.2", 121, "latitude"),
     (31, "121", "longitude"), (None, 121, "latitude"), (31, None, "longitude"), (True, 121, "latitude"),
     (31, False, "longitude"), ([31], 121, "latitude")],
)  # fmt: skip
def test_bad_coordinates(latitude: Any, longitude: Any, field: str) -> None:
    assert refused({"places": [{"name": "HQ", "latitude": latitude, "longitude": longitude}]}) == f"places.0.{field}"
    with pytest.raises(RuleError) as caught:
        check_coordinates(latitude, longitude)
    assert caught.value.field == field


@pytest.mark.parametrize(("latitude", "longitude"), [(90, 180), (-90, -180), (0, 0), (39.9042, 116.4074)])
def test_good_coordinates(latitude: float, longitude: float) -> None:
    check_coordinates(latitude, longitude)
    assert check_rules({"places": [{"name": "x", "latitude": latitude, "longitude": longitude}]})["places"]


@pytest.mark.parametrize(
    ("raw", "field"),
    [({"places": "HQ"}, "places"), ({"places": [PLACE] * (MAX_PLACES + 1)}, "places"), ({"places": ["HQ"]}, "places.0"),
     ({"places": [{**PLACE, "name": " "}]}, "places.0.name"),
     ({"places": [{**PLACE, "name": "x" * 51}]}, "places.0.name"),
     ({"places": [{"latitude": 1, "longitude": 1}]}, "places.0.name")],
)  # fmt: skip
def test_bad_places(raw: dict[str, Any], field: str) -> None:
    assert refused(raw) == field


@pytest.mark.parametrize(
    "cidr", ["not-an-ip", "10.0.0.0/33", "256.1.1.1", "10.0.0.0/24/1", "", " ", "2001:db8::/129", "10.0.0.0/-1"]
)
def test_bad_cidr(cidr: str) -> None:
    assert refused({"networks": [{"cidr": cidr}]}) == "networks.0.cidr"


@pytest.mark.parametrize("network", [{"cidr": 167772160}, {"cidr": None}, {}, "10.0.0.0/8", ["10.0.0.0/8"]])
def test_network_without_a_cidr_string(network: Any) -> None:
    assert refused({"networks": [network]}) == "networks.0"


def test_too_many_networks() -> None:
    assert refused({"networks": [{"cidr": "10.0.0.0/8"}] * 51}) == "networks"
    assert refused({"networks": {"cidr": "10.0.0.0/8"}}) == "networks"


@pytest.mark.parametrize(
    "bssid",
    [
        "00:11:22:33:44",
        "00:11:22:33:44:55:66",
        "00:11:22:33:44:gg",
        "001122334455",
        "0:11:22:33:44:55",
        "00_11_22_33_44_55",
        5,
    ],
)
def test_bad_bssid(bssid: Any) -> None:
    assert refused({"wifi": [{"ssid": "Office", "bssid": bssid}]}) == "wifi.0.bssid"


@pytest.mark.parametrize(("raw", "field"), [({"wifi": [{}]}, "wifi.0"), ({"wifi": [{"ssid": "  "}]}, "wifi.0"),
                                            ({"wifi": ["Office"]}, "wifi.0"), ({"wifi": "Office"}, "wifi"),
                                            ({"wifi": [{"ssid": "x"}] * 51}, "wifi")])  # fmt: skip
def test_bad_wifi(raw: dict[str, Any], field: str) -> None:
    assert refused(raw) == field


def test_long_ssid_is_cut_and_stays_cut() -> None:
    clean = check_rules({"wifi": [{"ssid": "a" * 63 + " b"}]})
    assert len(clean["wifi"][0]["ssid"]) <= 64
    assert check_rules(clean) == clean


@pytest.mark.parametrize(
    ("raw", "field"),
    [({"shifts": [NIGHT, {**NIGHT, "name": "Night 2"}]}, "shifts"),
     ({"kind": "shift"}, "shifts"), ({"kind": "shift", "shifts": []}, "shifts"),
     ({"shifts": [{**NIGHT, "end": "22:00"}]}, "shifts.0.end"),
     ({"shifts": [NIGHT, {**NIGHT, "id": "Late"}]}, "shifts.1.id"), ({"shifts": [{**NIGHT, "id": ""}]}, "shifts.0.id"),
     ({"shifts": [{**NIGHT, "id": "x" * 21}]}, "shifts.0.id"), ({"shifts": [{**NIGHT, "id": 1}]}, "shifts.0.id"),
     ({"shifts": [{**NIGHT, "name": ""}]}, "shifts.0.name"),
     ({"shifts": [{**NIGHT, "name": "n" * 31}]}, "shifts.0.name"),
     ({"shifts": [{**NIGHT, "start": "24:00"}]}, "shifts.0.start"),
     ({"shifts": [{**NIGHT, "start": "9:00"}]}, "shifts.0.start"),
     ({"shifts": [{**NIGHT, "start": "09:60"}]}, "shifts.0.start"),
     ({"shifts": [{**NIGHT, "end": 600}]}, "shifts.0.end"),
     ({"shifts": [{**NIGHT, "start": "09:00 "}]}, "shifts.0.start"), ({"shifts": ["night"]}, "shifts.0"),
     ({"shifts": {"night": NIGHT}}, "shifts"), ({"shifts": [{**NIGHT, "id": f"s{i}"} for i in range(21)]}, "shifts"),
     ({"shift": {**NIGHT, "start": "06:00"}}, "shift.end"), ({"shift": None}, "shift")],
)  # fmt: skip
def test_bad_shifts(raw: dict[str, Any], field: str) -> None:
    assert refused(raw) == field


@pytest.mark.parametrize("hhmm", ["0٩:00", "09:٣0", "１9:00", "09:0０"])
def test_times_are_ascii_digits(hhmm: str) -> None:
    """Other scripts' digits would store a time that is not canonical, and let a shift
    "0٩:00–09:00" (the same time twice) through as a 24-hour night shift."""
    assert refused({"shifts": [{**NIGHT, "start": hhmm}]}) == "shifts.0.start"
    assert refused({"shift": {**NIGHT, "start": hhmm, "end": "09:00"}}) == "shift.start"


def test_shift_overnight() -> None:
    assert Shift.of(NIGHT).overnight
    assert Shift.of({**NIGHT, "start": "23:59", "end": "00:00"}).overnight
    assert not Shift.of({**NIGHT, "start": "00:00", "end": "23:59"}).overnight
    assert not Shift.of({**NIGHT, "start": "09:00", "end": "18:00"}).overnight


@pytest.mark.parametrize(
    ("raw", "field"),
    [([], "rules"), (None, "rules"), ("fixed", "rules"), ({"colour": "red"}, "colour"), ({"kind": "rota"}, "kind"),
     ({"kind": None}, "kind"), ({"workdays": [7]}, "workdays"), ({"workdays": [-1]}, "workdays"),
     ({"workdays": "01234"}, "workdays"), ({"workdays": [1.0]}, "workdays"), ({"workdays": [True]}, "workdays"),
     ({"flex_hours": 0.4}, "flex_hours"), ({"flex_hours": 16.5}, "flex_hours"), ({"flex_hours": True}, "flex_hours"),
     ({"flex_hours": math.nan}, "flex_hours"), ({"flex_hours": "8"}, "flex_hours"),
     ({"late_grace_minutes": -1}, "late_grace_minutes"), ({"late_grace_minutes": 121}, "late_grace_minutes"),
     ({"late_grace_minutes": 5.0}, "late_grace_minutes"), ({"early_grace_minutes": True}, "early_grace_minutes"),
     ({"serious_late_minutes": 0}, "serious_late_minutes"), ({"close_after_minutes": 721}, "close_after_minutes"),
     ({"remind_before_minutes": 241}, "remind_before_minutes"), ({"open_before_minutes": None}, "open_before_minutes"),
     ({"absent_late_minutes": 30}, "absent_late_minutes"), ({"absent_late_minutes": 10}, "absent_late_minutes"),
     ({"serious_late_minutes": 200}, "absent_late_minutes"), ({"holidays": "yes"}, "holidays"),
     ({"holidays": 1}, "holidays"), ({"field_allowed": None}, "field_allowed"),
     ({"field_photo_required": 0}, "field_photo_required"), ({"makeup_per_month": 32}, "makeup_per_month"),
     ({"makeup_per_month": -1}, "makeup_per_month"), ({"makeup_per_month": False}, "makeup_per_month")],
)  # fmt: skip
def test_bad_settings(raw: Any, field: str) -> None:
    assert refused(raw) == field


@pytest.mark.parametrize(
    "raw",
    [{"absent_late_minutes": 0}, {"absent_late_minutes": 31}, {"serious_late_minutes": 1, "absent_late_minutes": 0},
     {"workdays": []}, {"workdays": [6, 5]}, {"flex_hours": 0.5}, {"flex_hours": 16}, {"makeup_per_month": 0},
     {"remind_before_minutes": 0}, {"kind": "flexible"}, {"kind": "shift", "shifts": [NIGHT]}],
)  # fmt: skip
def test_good_settings(raw: dict[str, Any]) -> None:
    clean = check_rules(raw)
    for key, value in raw.items():
        assert clean[key] == (sorted(value) if key == "workdays" else value)
    Rules.of(clean)


# ---------------------------------------------------------------- properties

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=8,
)
GOOD_TIMES = st.builds("{:02d}:{:02d}".format, st.integers(0, 23), st.integers(0, 59))
SHIFT_IDS = st.text(alphabet="abz09_-", min_size=1, max_size=20)
TIMES = GOOD_TIMES | st.sampled_from(["24:00", "9:00", "0٩:00", " 09:00"])
SHIFTS = st.fixed_dictionaries(
    {},
    optional={
        "id": SHIFT_IDS | JSON,
        "name": st.text(max_size=32) | JSON,
        "start": TIMES,
        "end": TIMES,
    },
)
NUMBER = st.integers(-200, 4000) | st.floats(allow_nan=True) | st.booleans()
PLACES = st.fixed_dictionaries(
    {}, optional={"name": st.text(max_size=52) | JSON, "latitude": NUMBER, "longitude": NUMBER, "radius": NUMBER | JSON}
)
CIDRS = (
    st.ip_addresses().map(str)
    | st.builds(lambda a, n: f"{a}/{n}", st.ip_addresses(), st.integers(-1, 130))
    | st.text(max_size=20)
)
NETWORKS = st.fixed_dictionaries({}, optional={"cidr": CIDRS | JSON, "name": st.text(max_size=60) | JSON})
BSSIDS = st.builds(
    lambda octets, separator, upper: separator.join(f"{o:02X}" if upper else f"{o:02x}" for o in octets),
    st.lists(st.integers(0, 255), min_size=5, max_size=7), st.sampled_from([":", "-", ""]), st.booleans(),
) | st.text(max_size=20)  # fmt: skip
WIFI = st.fixed_dictionaries({}, optional={"ssid": st.text(max_size=70) | JSON, "bssid": BSSIDS | JSON})
MINUTES = st.integers(-5, 1500) | JSON
NEAR_VALID = st.fixed_dictionaries(
    {},
    optional={
        "kind": st.sampled_from(["fixed", "shift", "flexible"]) | JSON,
        "workdays": st.lists(st.integers(-1, 7) | st.booleans(), max_size=8) | JSON,
        "shift": SHIFTS | JSON,
        "shifts": st.lists(SHIFTS, max_size=3) | JSON,
        "flex_hours": st.floats(0, 20) | st.integers(0, 20) | JSON,
        **{key: MINUTES for key in DEFAULTS if key.endswith("_minutes")},
        "holidays": st.booleans() | JSON,
        "field_allowed": st.booleans() | JSON,
        "field_photo_required": st.booleans() | JSON,
        "makeup_per_month": st.integers(-1, 33) | JSON,
        "places": st.lists(PLACES, max_size=3) | JSON,
        "networks": st.lists(NETWORKS, max_size=3) | JSON,
        "wifi": st.lists(WIFI, max_size=3) | JSON,
    },
)  # fmt: skip

# The lists, with the rest left to the defaults: most of these get through, so the
# cleaning of places, networks, Wi-Fi and shifts is exercised for idempotence.
VALID_SHIFT = st.fixed_dictionaries(
    {
        "id": SHIFT_IDS,
        "name": st.text(min_size=1, max_size=30),
        "start": GOOD_TIMES,
        "end": GOOD_TIMES,
    }
)
VALID_PLACE = st.fixed_dictionaries(
    {"name": st.text(min_size=1, max_size=52), "latitude": st.floats(-91, 91) | st.integers(-90, 90),
     "longitude": st.floats(-181, 181), "radius": st.floats(90, 3010) | st.integers(90, 3010)}
)  # fmt: skip
VALID_NETWORK = st.fixed_dictionaries({"cidr": CIDRS}, optional={"name": st.text(max_size=60)})
VALID_WIFI = st.fixed_dictionaries({}, optional={"ssid": st.text(max_size=70), "bssid": BSSIDS})
LISTS = st.fixed_dictionaries(
    {},
    optional={
        "kind": st.sampled_from(["fixed", "shift", "flexible"]), "shift": VALID_SHIFT,
        "shifts": st.lists(VALID_SHIFT, max_size=3, unique_by=lambda s: s["id"]),
        "places": st.lists(VALID_PLACE, max_size=3), "networks": st.lists(VALID_NETWORK, max_size=3),
        "wifi": st.lists(VALID_WIFI, max_size=3),
    },
)  # fmt: skip


def check_property(raw: Any) -> None:
    try:
        clean = check_rules(raw)
    except RuleError as error:
        assert isinstance(error.field, str)  # "" when the unknown key is ""
        return
    assert set(clean) == set(DEFAULTS)
    assert check_rules(clean) == clean
    rules = Rules.of(clean)
    assert rules.workdays <= set(range(7))
    assert all(shift.start != shift.end for shift in [rules.shift, *rules.shifts.values()])


@PROPERTY
@given(JSON)
def test_check_rules_on_any_json_raises_only_rule_errors(raw: Any) -> None:
    check_property(raw)


@PROPERTY
@given(st.dictionaries(st.sampled_from(sorted(DEFAULTS)), JSON, max_size=6))
def test_check_rules_on_known_keys_with_any_values(raw: dict[str, Any]) -> None:
    check_property(raw)


@PROPERTY
@given(NEAR_VALID)
def test_check_rules_is_total_and_idempotent_near_valid_input(raw: dict[str, Any]) -> None:
    check_property(raw)


@PROPERTY
@given(LISTS)
def test_check_rules_is_idempotent_on_places_networks_wifi_and_shifts(raw: dict[str, Any]) -> None:
    check_property(raw)
