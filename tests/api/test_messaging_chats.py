from __future__ import annotations

import httpx
from fastapi import FastAPI

from tests.support.api import (
    add_department,
    add_member,
    check,
    group_with,
    member_client,
    send,
    settle,
    setup_org,
)


async def _team(client: httpx.AsyncClient, make_client, n: int = 2) -> list[tuple[httpx.AsyncClient, dict]]:  # type: ignore[no-untyped-def]
    people = []
    for i in range(n):
        people.append(await member_client(client, await make_client(), name=f"Member {i}", email=f"m{i}@example.com"))
    return people


async def test_direct_chat_is_one_per_pair_and_counts_unread(client: httpx.AsyncClient, make_client) -> None:  # type: ignore[no-untyped-def]
    owner = await setup_org(client)
    [(bob, bob_info)] = await _team(client, make_client, 1)
    chat = check(await client.post("/api/v1/conversations/direct", json={"user_id": bob_info["id"]}))
    again = check(await bob.post("/api/v1/conversations/direct", json={"user_id": owner["user"]["id"]}))
    assert chat["id"] == again["id"] and chat["kind"] == "direct"
    assert chat["peer"]["id"] == bob_info["id"] and again["peer"]["id"] == owner["user"]["id"]
    assert again["name"] == owner["user"]["name"]
    message = await send(client, chat["id"], "你好 Bob")
    assert message["receipt"] == {"expected": 1, "read": 0}
    listing = check(await bob.get("/api/v1/conversations"))
    assert listing["total_unread"] == 1
    assert listing["items"][0]["last_message"]["body"] == "你好 Bob"
    read = check(await bob.post(f"/api/v1/conversations/{chat['id']}/read", json={"seq": message["seq"]}))
    assert read == {"read_seq": message["seq"], "unread_count": 0, "mention_count": 0}
    history = check(await client.get(f"/api/v1/conversations/{chat['id']}/messages"))
    assert history["items"][-1]["receipt"] == {"expected": 1, "read": 1}
    stranger = await client.post("/api/v1/conversations/direct", json={"user_id": "nobody"})
    assert check(stranger, 422)["error"]["code"] == "member_not_found"


async def test_group_roles_settings_membership_and_dissolve(client: httpx.AsyncClient, make_client) -> None:  # type: ignore[no-untyped-def]
    await setup_org(client)
    (alice, a), (bob, b), (carol, c) = await _team(client, make_client, 3)
    group = await group_with(client, "项目组", [a["id"], b["id"]])
    assert (group["my_role"], group["member_count"], group["kind"]) == ("owner", 3, "group")
    system = check(await client.get(f"/api/v1/conversations/{group['id']}/messages"))["items"]
    assert system[0]["kind"] == "system" and '"group_created"' in system[0]["body"]

    forbidden = await alice.patch(f"/api/v1/conversations/{group['id']}", json={"name": "x"})
    assert check(forbidden, 403)["error"]["code"] == "group_admin_required"
    check(await client.put(f"/api/v1/conversations/{group['id']}/members/{a['id']}/role", json={"role": "admin"}), 204)
    updated = check(
        await alice.patch(
            f"/api/v1/conversations/{group['id']}",
            json={"announcement": "周五发布", "who_can_add": "admins", "only_admins_speak": True},
        )
    )
    assert (updated["announcement"], updated["who_can_add"], updated["only_admins_speak"]) == (
        "周五发布",
        "admins",
        True,
    )
    muted = await bob.post(f"/api/v1/conversations/{group['id']}/messages", json={"body": "hi"})
    assert check(muted, 403)["error"]["code"] == "only_admins_speak"
    cannot_add = await bob.post(f"/api/v1/conversations/{group['id']}/members", json={"user_ids": [c["id"]]})
    assert check(cannot_add, 403)["error"]["code"] == "group_admin_required"
    added = check(await alice.post(f"/api/v1/conversations/{group['id']}/members", json={"user_ids": [c["id"]]}))
    assert added["member_count"] == 4
    check(await carol.get(f"/api/v1/conversations/{group['id']}"))

    cannot_remove_admin = await alice.delete(f"/api/v1/conversations/{group['id']}/members/{a['id']}x")
    assert cannot_remove_admin.status_code == 204  # removing a non-member changes nothing
    check(await alice.delete(f"/api/v1/conversations/{group['id']}/members/{c['id']}"), 204)
    assert (
        check(await carol.get(f"/api/v1/conversations/{group['id']}"), 404)["error"]["code"] == "conversation_not_found"
    )
    check(await bob.delete(f"/api/v1/conversations/{group['id']}/members/{b['id']}"), 204)  # Bob leaves
    owner_leaves = await client.delete(f"/api/v1/conversations/{group['id']}/members/{group['owner_id']}")
    assert check(owner_leaves, 409)["error"]["code"] == "owner_must_transfer"

    transferred = check(await client.post(f"/api/v1/conversations/{group['id']}/transfer", json={"user_id": a["id"]}))
    assert transferred["owner_id"] == a["id"] and transferred["my_role"] == "admin"
    not_owner = await client.delete(f"/api/v1/conversations/{group['id']}")
    assert check(not_owner, 403)["error"]["code"] == "group_owner_required"
    check(await alice.delete(f"/api/v1/conversations/{group['id']}"), 204)
    dissolved = await alice.post(f"/api/v1/conversations/{group['id']}/messages", json={"body": "anyone?"})
    assert check(dissolved, 409)["error"]["code"] == "conversation_dissolved"
    assert check(await client.get(f"/api/v1/conversations/{group['id']}/messages"))["items"]  # still readable


async def test_group_member_limit(client: httpx.AsyncClient, make_client) -> None:  # type: ignore[no-untyped-def]
    await setup_org(client)
    people = [await add_member(client, name=f"P{i}", email=f"p{i}@example.com") for i in range(3)]
    check(await client.patch("/api/v1/messaging/settings", json={"max_group_members": 3}))
    too_many = await client.post(
        "/api/v1/conversations/groups", json={"name": "Big", "member_ids": [p["id"] for p in people]}
    )
    assert check(too_many, 422)["error"]["code"] == "group_full"
    group = await group_with(client, "Fits", [people[0]["id"], people[1]["id"]])
    over = await client.post(f"/api/v1/conversations/{group['id']}/members", json={"user_ids": [people[2]["id"]]})
    assert check(over, 422)["error"]["code"] == "group_full"


async def test_department_and_all_staff_groups_follow_the_directory(
    client: httpx.AsyncClient, app: FastAPI, make_client
) -> None:  # type: ignore[no-untyped-def]
    await setup_org(client)
    eng = await add_department(client, "研发部")
    sales = await add_department(client, "销售部")
    member, info = await member_client(
        client, await make_client(), name="Dev", email="dev@example.com", department_ids=[eng["id"]]
    )
    await settle(app)

    def kinds(listing: dict) -> dict[str, str]:  # type: ignore[type-arg]
        return {c["name"]: c["kind"] for c in listing["items"]}

    assert kinds(check(await member.get("/api/v1/conversations"))) == {"研发部": "department", "Acme 公司": "all_staff"}
    check(await client.patch(f"/api/v1/members/{info['id']}", json={"department_ids": [sales["id"]]}))
    check(await client.patch(f"/api/v1/departments/{sales['id']}", json={"name": "销售与市场"}))
    await settle(app)
    assert kinds(check(await member.get("/api/v1/conversations"))) == {
        "销售与市场": "department",
        "Acme 公司": "all_staff",
    }
    managed = next(c for c in check(await member.get("/api/v1/conversations"))["items"] if c["kind"] == "department")
    leave = await member.delete(f"/api/v1/conversations/{managed['id']}/members/{info['id']}")
    assert check(leave, 409)["error"]["code"] == "managed_by_directory"
    me = check(await client.get("/api/v1/me"))
    check(await client.patch(f"/api/v1/members/{me['id']}", json={"department_ids": [sales["id"]]}))
    await settle(app)
    assert {m["user_id"] for m in check(await client.get(f"/api/v1/conversations/{managed['id']}/members"))} == {
        me["id"],
        info["id"],
    }
    check(await client.post(f"/api/v1/members/{info['id']}/deactivate"))
    await settle(app)
    owner_view = check(await client.get(f"/api/v1/conversations/{managed['id']}/members"))
    assert {m["user_id"] for m in owner_view} == {me["id"]}
    check(await client.patch(f"/api/v1/members/{info['id']}", json={"department_ids": []}))
    check(await client.patch(f"/api/v1/members/{me['id']}", json={"department_ids": []}))
    check(await client.delete(f"/api/v1/departments/{sales['id']}"), 204)
    await settle(app)
    owner_chats = check(await client.get("/api/v1/conversations"))["items"]
    assert {c["kind"] for c in owner_chats} == {"all_staff"}


async def test_members_filter_for_the_mention_picker(client: httpx.AsyncClient, make_client) -> None:  # type: ignore[no-untyped-def]
    await setup_org(client)
    people = [
        await add_member(client, name=n, email=f"{i}@example.com") for i, n in enumerate(["张三丰", "李四", "Alice"])
    ]
    group = await group_with(client, "G", [p["id"] for p in people])
    url = f"/api/v1/conversations/{group['id']}/members"
    assert [m["name"] for m in check(await client.get(url, params={"q": "zsf"}))] == ["张三丰"]
    assert [m["name"] for m in check(await client.get(url, params={"q": "ali"}))] == ["Alice"]
    everyone = check(await client.get(url))
    assert everyone[0]["role"] == "owner" and len(everyone) == 4
    assert len(check(await client.get(url, params={"limit": 2}))) == 2
    assert group["created_at"]


async def test_group_avatar(client: httpx.AsyncClient, make_client) -> None:  # type: ignore[no-untyped-def]
    await setup_org(client)
    bob, b = await member_client(client, await make_client(), name="Bob", email="bob@example.com")
    group = await group_with(client, "有头像的群", [b["id"]])
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    url = f"/api/v1/conversations/{group['id']}/avatar"
    updated = check(await client.put(url, files={"file": ("g.png", png, "image/png")}))
    assert updated["avatar_url"].startswith("/api/v1/avatars/")
    assert (await client.get(updated["avatar_url"])).content == png
    assert check(await bob.get(f"/api/v1/conversations/{group['id']}"))["avatar_url"] == updated["avatar_url"]
    not_admin = await bob.put(url, files={"file": ("g.png", png, "image/png")})
    assert check(not_admin, 403)["error"]["code"] == "group_admin_required"
    not_image = await client.put(url, files={"file": ("g.txt", b"hello", "text/plain")})
    assert check(not_image, 422)["error"]["code"] == "unsupported_image"
    direct = check(await client.post("/api/v1/conversations/direct", json={"user_id": b["id"]}))
    one_to_one = await client.put(
        f"/api/v1/conversations/{direct['id']}/avatar", files={"file": ("g.png", png, "image/png")}
    )
    assert check(one_to_one, 409)["error"]["code"] == "not_a_group"
