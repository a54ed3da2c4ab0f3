"""The approval flow engine: routing by conditions, skipping, countersign and or-sign."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hobnail.domains.approvals import flow, forms

people = st.lists(st.sampled_from([f"u{i}" for i in range(8)]), max_size=5, unique=True)
answer = st.sampled_from(["approved", "rejected", None])


@given(st.lists(answer, min_size=1, max_size=6))
def test_or_sign_the_first_answer_decides(answers: list[str | None]) -> None:
    given_answers = [a for a in answers if a]
    expected = given_answers[0] if given_answers else "pending"
    assert flow.outcome("any", answers, len(answers)) == expected


@given(st.lists(answer, min_size=1, max_size=6))
def test_countersign_needs_everyone_and_one_no_ends_it(answers: list[str | None]) -> None:
    verdict = flow.outcome("all", answers, len(answers))
    if "rejected" in answers:
        assert verdict == "rejected"
    elif all(a == "approved" for a in answers):
        assert verdict == "approved"
    else:
        assert verdict == "pending"


@given(people, st.lists(people, max_size=3), people, people, st.sampled_from(["skip", "admins"]))
def test_resolving_never_asks_the_requester_and_fills_or_skips_empty_steps(
    named: list[str], managers: list[list[str]], admins: list[str], owners: list[str], when_empty: str
) -> None:
    design = flow.check_flow({
        "nodes": [
            {"type": "manager", "level": 1, "mode": "any"},
            {"type": "manager", "level": 2, "mode": "all"},
            *([{"type": "users", "user_ids": named, "mode": "all"}] if named else []),
            {"type": "role", "role": "admin", "mode": "any"},
        ],
        "when_empty": when_empty,
    })  # fmt: skip
    requester = flow.Requester("u0", managers=managers, role_members={"admin": admins, "owner": owners})
    steps = flow.resolve(design, {}, requester)
    assert len(steps) == len(design["nodes"])
    others = [p for p in dict.fromkeys(admins + owners) if p != "u0"]
    for step in steps:
        assert "u0" not in step.approvers
        assert step.skipped == (not step.approvers)
        if when_empty == "admins" and others:
            assert not step.skipped


@given(st.floats(0, 30, allow_nan=False), st.sampled_from(["gt", "gte", "lt", "lte"]))
def test_conditions_route_by_the_values(days: float, op: str) -> None:
    longer = {"field": "days", "op": op, "value": 3}
    design = flow.check_flow({
        "nodes": [
            {"type": "users", "user_ids": ["boss"], "mode": "any"},
            {"type": "users", "user_ids": ["director"], "mode": "any", "condition": longer},
        ]
    })  # fmt: skip
    steps = flow.resolve(design, {"days": days}, flow.Requester("u0"))
    expected = {"gt": days > 3, "gte": days >= 3, "lt": days < 3, "lte": days <= 3}[op]
    assert (len(steps) == 2) == expected
    assert len(flow.resolve(design, {}, flow.Requester("u0"))) == 1  # no value: the condition does not hold


@pytest.mark.parametrize(
    "bad",
    [
        {"nodes": []},
        {"nodes": [{"type": "users", "user_ids": [], "mode": "any"}]},
        {"nodes": [{"type": "manager", "level": 4}]},
        {"nodes": [{"type": "role", "role": "janitor"}]},
        {"nodes": [{"type": "users", "user_ids": ["a"], "mode": "some"}]},
        {"nodes": [{"type": "users", "user_ids": ["a"], "condition": {"field": "x", "op": "like"}}]},
    ],
)
def test_flows_that_cannot_work_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(flow.FlowError):
        flow.check_flow(bad)


@given(st.dates(date(2020, 1, 1), date(2030, 12, 31)), st.integers(0, 20), st.sampled_from(forms.HALVES),
       st.sampled_from(forms.HALVES))  # fmt: skip
def test_leave_days_count_working_half_days(start: date, length: int, start_half: str, end_half: str) -> None:
    end = date.fromordinal(start.toordinal() + length)
    try:
        first, last, days = forms.leave_days(start, start_half, end, end_half)
    except forms.FormError:
        return
    assert first <= last and days * 2 == int(days * 2) and 0 < days <= length + 1
    weekdays = sum(1 for d in range(start.toordinal(), end.toordinal() + 1) if date.fromordinal(d).weekday() < 5)
    assert days <= weekdays


def test_custom_field_values_are_type_checked() -> None:
    fields = forms.check_fields([
        {"key": "amount", "type": "amount", "label": "Amount", "required": True},
        {"key": "kind", "type": "select", "label": "Kind", "options": ["a", "b"]},
        {"key": "when", "type": "daterange", "label": "When"},
    ])  # fmt: skip
    assert forms.check_values(fields, {"amount": 12.345, "kind": "a"}) == {"amount": 12.35, "kind": "a"}
    for values in ({"amount": "12"}, {"amount": 1, "kind": "c"}, {"amount": 1, "when": ["2026-02-01", "2026-01-01"]},
                   {}, {"amount": 1, "other": 1}, {"amount": True}):  # fmt: skip
        with pytest.raises(forms.FormError):
            forms.check_values(fields, values)
