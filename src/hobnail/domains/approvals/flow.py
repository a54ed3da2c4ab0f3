"""The approval flow engine, as pure functions (so hypothesis can check them).

A form's flow is data: ordered nodes, each naming who approves (specific people, everyone
with an organisation role, or the requester's manager N levels up), how (``all``: every
approver must approve — countersign 会签; ``any``: the first answer decides — or-sign
或签), and optionally a condition on the request's values that includes the node.
``resolve`` turns it into concrete approvers for one request; ``outcome`` says what a
node's answers add up to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Mode = Literal["all", "any"]
Outcome = Literal["approved", "rejected", "pending"]
OPERATORS = ("gt", "gte", "lt", "lte", "eq", "ne", "in")
MAX_NODES = 20
MAX_LEVEL = 3


class FlowError(ValueError):
    """The flow as designed cannot work (the message says why)."""


@dataclass(frozen=True)
class Requester:
    """What resolving needs to know about the person asking."""

    user_id: str
    # managers[0] are the managers one level up, managers[1] two levels up, …
    managers: Sequence[Sequence[str]] = ()
    role_members: Mapping[str, Sequence[str]] = field(default_factory=dict)  # "admin" -> user ids


@dataclass(frozen=True)
class Node:
    name: str
    mode: Mode
    approvers: tuple[str, ...]
    skipped: bool = False  # nobody to ask (and the rule said skip)


def check_flow(flow: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a flow as an admin designed it; returns it cleaned. Raises FlowError."""
    nodes = flow.get("nodes")
    if not isinstance(nodes, list) or not nodes:
        raise FlowError("A flow needs at least one approval step.")
    if len(nodes) > MAX_NODES:
        raise FlowError(f"At most {MAX_NODES} steps.")
    clean = []
    for index, node in enumerate(nodes):
        if not isinstance(node, Mapping):
            raise FlowError(f"Step {index + 1} is not an object.")
        kind = node.get("type")
        mode = node.get("mode", "any")
        if mode not in ("all", "any"):
            raise FlowError(f"Step {index + 1}: mode is all (countersign) or any (or-sign).")
        item: dict[str, Any] = {"name": str(node.get("name") or f"Step {index + 1}")[:50], "type": kind, "mode": mode}
        if kind == "users":
            users = node.get("user_ids")
            if not isinstance(users, list) or not users or not all(isinstance(u, str) for u in users):
                raise FlowError(f"Step {index + 1}: choose at least one approver.")
            item["user_ids"] = list(dict.fromkeys(users))
        elif kind == "role":
            if node.get("role") not in ("owner", "admin"):
                raise FlowError(f"Step {index + 1}: the role is owner or admin.")
            item["role"] = node["role"]
        elif kind == "manager":
            level = node.get("level", 1)
            if not isinstance(level, int) or not 1 <= level <= MAX_LEVEL:
                raise FlowError(f"Step {index + 1}: manager level is 1 to {MAX_LEVEL}.")
            item["level"] = level
        else:
            raise FlowError(f"Step {index + 1}: approvers are users, role or manager.")
        condition = node.get("condition")
        if condition is not None:
            item["condition"] = check_condition(condition, index)
        clean.append(item)
    empty = flow.get("when_empty", "skip")
    if empty not in ("skip", "admins"):
        raise FlowError("when_empty is skip or admins.")
    cc = flow.get("cc", [])
    if not isinstance(cc, list) or not all(isinstance(u, str) for u in cc):
        raise FlowError("cc is a list of user ids.")
    cc_when = flow.get("cc_when", "finish")
    if cc_when not in ("submit", "finish", "both"):
        raise FlowError("cc_when is submit, finish or both.")
    return {"nodes": clean, "when_empty": empty, "cc": list(dict.fromkeys(cc)), "cc_when": cc_when}


def check_condition(condition: Any, index: int) -> dict[str, Any]:
    if not isinstance(condition, Mapping) or condition.get("op") not in OPERATORS or not condition.get("field"):
        raise FlowError(f"Step {index + 1}: a condition is {{field, op ({', '.join(OPERATORS)}), value}}.")
    return {"field": str(condition["field"]), "op": condition["op"], "value": condition.get("value")}


def applies(condition: Mapping[str, Any] | None, values: Mapping[str, Any]) -> bool:
    """Does a node's condition hold for these values? Missing or incomparable values: no."""
    if condition is None:
        return True
    actual, op, expected = values.get(condition["field"]), condition["op"], condition.get("value")
    if actual is None:
        return False
    try:
        if op == "eq":
            return bool(actual == expected)
        if op == "ne":
            return bool(actual != expected)
        if op == "in":
            return isinstance(expected, list) and actual in expected
        a, e = float(actual), float(expected)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return {"gt": a > e, "gte": a >= e, "lt": a < e, "lte": a <= e}[op]


def resolve(flow: Mapping[str, Any], values: Mapping[str, Any], requester: Requester) -> list[Node]:
    """Concrete steps for one request. The requester never approves their own request;
    a step left with nobody is skipped or goes to the admins (``when_empty``). Consecutive
    duplicates are kept (each step is its own decision)."""
    nodes = []
    for node in flow["nodes"]:
        if not applies(node.get("condition"), values):
            continue
        if node["type"] == "users":
            people = list(node["user_ids"])
        elif node["type"] == "role":
            people = list(requester.role_members.get(node["role"], ()))
            if node["role"] == "admin":
                people += list(requester.role_members.get("owner", ()))
        else:
            level = node["level"]
            people = list(requester.managers[level - 1]) if len(requester.managers) >= level else []
        people = [p for p in dict.fromkeys(people) if p != requester.user_id]
        if not people and flow.get("when_empty", "skip") == "admins":
            admins = list(requester.role_members.get("admin", ())) + list(requester.role_members.get("owner", ()))
            people = [p for p in dict.fromkeys(admins) if p != requester.user_id]
        nodes.append(Node(node["name"], node["mode"], tuple(people), skipped=not people))
    return nodes


def outcome(mode: Mode, answers: Sequence[str | None], approvers: int) -> Outcome:
    """What a step's answers add up to. ``answers`` are "approved"/"rejected" in the order
    given (None: not yet). Countersign: everyone approves, or one rejection ends it.
    Or-sign: the first answer decides."""
    given = [a for a in answers if a is not None]
    if mode == "any":
        return given[0] if given else "pending"  # type: ignore[return-value]
    if "rejected" in given:
        return "rejected"
    return "approved" if given.count("approved") >= approvers else "pending"
