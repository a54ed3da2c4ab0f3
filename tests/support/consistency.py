"""Applying events to a client's earlier state must give what a fresh fetch gives."""

from __future__ import annotations

from typing import Any

State = dict[str, dict[str, dict[str, Any]]]


def apply_events(state: State, events: list[dict[str, Any]]) -> State:
    """The reducer a client runs: departments and members keyed by id."""
    departments = {k: dict(v) for k, v in state["departments"].items()}
    members = {k: dict(v) for k, v in state["members"].items()}
    for event in events:
        data = event["data"]
        match event["type"]:
            case "department.created" | "department.updated":
                departments[data["department"]["id"]] = data["department"]
            case "department.deleted":
                departments.pop(data["department_id"], None)
            case "member.added" | "member.updated":
                member = data["member"]
                if member["status"] == "active":
                    members[member["id"]] = member
                else:
                    members.pop(member["id"], None)
    return {"departments": departments, "members": members}
