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


def _mentions_me(message: dict[str, Any], me: str) -> bool:
    if message["sender_id"] == me or message["kind"] != "text":
        return False
    return me in message["mentions"] or bool(message["mentions_all"])


def apply_chat_events(state: dict[str, Any], events: list[dict[str, Any]], me: str) -> dict[str, Any]:
    """What a chat client does with the stream. ``state`` = {"conversations": {id: view},
    "messages": {conversation_id: {message_id: message}}}. Returns the new state and
    the ids of conversations it must fetch (joined while away) under "fetch"."""
    conversations = {k: dict(v) for k, v in state["conversations"].items()}
    messages = {k: {i: dict(m) for i, m in v.items()} for k, v in state["messages"].items()}
    fetch: set[str] = set()

    def replace(new: dict[str, Any]) -> None:
        chat_id = new["conversation_id"]
        old = messages.get(chat_id, {}).get(new["id"])
        new = {**new, "receipt": old["receipt"] if old else None}
        conversation = conversations.get(chat_id)
        if old is not None and conversation is not None and new["seq"] > conversation["read_seq"]:
            conversation["mention_count"] += int(_mentions_me(new, me)) - int(_mentions_me(old, me))
        messages.setdefault(chat_id, {})[new["id"]] = new
        for other in messages[chat_id].values():
            if other["reply_to"] and other["reply_to"]["id"] == new["id"]:
                other["reply_to"] = {**other["reply_to"], "body": "" if new["recalled"] else new["body"][:200],
                                     "recalled": new["recalled"]}  # fmt: skip
        if (
            conversation is not None
            and conversation["last_message"]
            and conversation["last_message"]["id"] == new["id"]
        ):
            conversation["last_message"] = dict(new)

    for event in events:
        data = event["data"]
        kind = event["type"]
        if kind == "message.sent":
            message = dict(data["message"])
            chat_id = message["conversation_id"]
            if message["sender_id"] != me:
                message["receipt"] = None
            messages.setdefault(chat_id, {})[message["id"]] = message
            conversation = conversations.get(chat_id)
            if conversation is None:
                fetch.add(chat_id)
                continue
            conversation.update(
                last_seq=message["seq"], last_message=dict(message), last_message_at=message["created_at"]
            )
            if message["kind"] == "text" and message["sender_id"] != me:
                conversation["unread_count"] += 1
                conversation["mention_count"] += int(_mentions_me(message, me))
            if message["sender_id"] == me:  # sending reads the chat up to here
                conversation["read_seq"] = max(conversation["read_seq"], message["seq"])
        elif kind in ("message.edited", "message.recalled", "message.pinned", "message.unpinned"):
            replace(data["message"])
        elif kind == "conversation.read_state":
            if data["conversation_id"] in conversations:
                conversations[data["conversation_id"]].update(
                    read_seq=data["read_seq"], unread_count=data["unread_count"],
                    mention_count=data["mention_count"], muted=data["muted"],
                )  # fmt: skip
        elif kind == "message.read":
            for message in messages.get(data["conversation_id"], {}).values():
                if (
                    message["sender_id"] == me
                    and message["receipt"] is not None
                    and data["from_seq"] < message["seq"] <= data["to_seq"]
                    and message["seq"] > data["reader_joined_seq"]
                ):
                    message["receipt"] = {**message["receipt"], "read": message["receipt"]["read"] + 1}
                    conversation = conversations.get(data["conversation_id"])
                    if (
                        conversation
                        and conversation["last_message"]
                        and conversation["last_message"]["id"] == message["id"]
                    ):
                        conversation["last_message"] = dict(message)
        elif kind == "conversation.updated":
            if data["conversation_id"] in conversations:
                conversations[data["conversation_id"]].update(data["changes"])
        elif kind in ("conversation.members_added", "conversation.members_removed"):
            chat_id = data["conversation_id"]
            if kind.endswith("removed") and me in data["user_ids"]:
                conversations.pop(chat_id, None)
                messages.pop(chat_id, None)
                continue
            if chat_id in conversations:
                conversations[chat_id]["member_count"] = data["member_count"]
            elif me in data["user_ids"]:
                fetch.add(chat_id)
        elif kind == "conversation.member_role_changed" and data["conversation_id"] in conversations:
            if data["user_id"] == me:
                conversations[data["conversation_id"]]["my_role"] = data["role"]
        elif kind == "conversation.dissolved" and data["conversation_id"] in conversations:
            conversations[data["conversation_id"]]["dissolved"] = True
    return {"conversations": conversations, "messages": messages, "fetch": fetch}
