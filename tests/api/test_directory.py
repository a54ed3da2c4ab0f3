from __future__ import annotations

import httpx

from tests.support.api import add_department, add_member, check, login, member_client, setup_org


async def test_department_tree_create_rename_move_order_delete(client: httpx.AsyncClient) -> None:
    await setup_org(client)
    eng = await add_department(client, "研发部")
    front = await add_department(client, "前端组", eng["id"])
    back = await add_department(client, "后端组", eng["id"])
    sales = await add_department(client, "销售部")
    tree = {d["id"]: d for d in check(await client.get("/api/v1/departments"))}
    assert (tree[eng["id"]]["position"], tree[sales["id"]]["position"]) == (0, 1)
    assert tree[front["id"]]["parent_id"] == eng["id"]
    assert (tree[front["id"]]["position"], tree[back["id"]]["position"]) == (0, 1)

    renamed = check(await client.patch(f"/api/v1/departments/{front['id']}", json={"name": "Web 前端"}))
    assert renamed["name"] == "Web 前端"
    reordered = check(await client.patch(f"/api/v1/departments/{back['id']}", json={"position": 0}))
    assert reordered["position"] == 0
    tree = {d["id"]: d for d in check(await client.get("/api/v1/departments"))}
    assert tree[front["id"]]["position"] == 1

    moved = check(await client.patch(f"/api/v1/departments/{front['id']}", json={"parent_id": sales["id"]}))
    assert moved["parent_id"] == sales["id"]
    top = check(await client.patch(f"/api/v1/departments/{front['id']}", json={"move_to_top": True}))
    assert top["parent_id"] is None

    cycle = await client.patch(f"/api/v1/departments/{eng['id']}", json={"parent_id": back["id"]})
    assert check(cycle, 422)["error"]["code"] == "department_cycle"
    self_parent = await client.patch(f"/api/v1/departments/{eng['id']}", json={"parent_id": eng["id"]})
    assert check(self_parent, 422)["error"]["code"] == "department_cycle"

    taken = await client.post("/api/v1/departments", json={"name": "后端组", "parent_id": eng["id"]})
    assert check(taken, 409)["error"]["code"] == "department_name_taken"

    not_empty = await client.delete(f"/api/v1/departments/{eng['id']}")
    assert check(not_empty, 409)["error"]["code"] == "department_not_empty"
    check(await client.delete(f"/api/v1/departments/{back['id']}"), 204)
    check(await client.delete(f"/api/v1/departments/{eng['id']}"), 204)
    check(await client.delete(f"/api/v1/departments/{eng['id']}"), 404)
    unknown_parent = await client.post("/api/v1/departments", json={"name": "X", "parent_id": "nope"})
    assert check(unknown_parent, 404)["error"]["code"] == "department_not_found"


async def test_members_add_edit_roles_deactivate(client: httpx.AsyncClient, make_client) -> None:  # type: ignore[no-untyped-def]
    await setup_org(client)
    dept = await add_department(client, "研发部")
    created = await add_member(
        client, name="张三", email="zhang@example.com", phone="13900000001", title="工程师", department_ids=[dept["id"]]
    )
    assert created["initial_password"]
    assert created["department_ids"] == [dept["id"]]
    duplicate = await client.post("/api/v1/members", json={"name": "Again", "email": "ZHANG@example.com"})
    assert check(duplicate, 409)["error"]["code"] == "duplicate_member"
    no_contact = await client.post("/api/v1/members", json={"name": "Nobody"})
    assert check(no_contact, 422)["error"]["code"] == "contact_required"
    bad_dept = await client.post(
        "/api/v1/members", json={"name": "X", "email": "x@example.com", "department_ids": ["nope"]}
    )
    assert check(bad_dept, 422)["error"]["code"] == "department_not_found"

    edited = check(
        await client.patch(
            f"/api/v1/members/{created['id']}", json={"title": "高级工程师", "role": "admin", "department_ids": []}
        )
    )
    assert (edited["title"], edited["role"], edited["department_ids"]) == ("高级工程师", "admin", [])

    # The new member signs in with the initial password; once deactivated they cannot.
    member = await make_client()
    await login(member, "13900000001", created["initial_password"])
    check(await client.post(f"/api/v1/members/{created['id']}/deactivate"))
    assert check(await member.get("/api/v1/departments"), 401)["error"]["code"] == "not_authenticated"
    again = await (await make_client()).post(
        "/api/v1/auth/login", json={"identifier": "zhang@example.com", "password": created["initial_password"]}
    )
    assert check(again, 403)["error"]["code"] == "account_deactivated"
    # History is kept: the admin still finds them when asking for deactivated members.
    listed = check(await client.get("/api/v1/members", params={"include_deactivated": "true"}))["items"]
    assert any(m["id"] == created["id"] and m["status"] == "deactivated" for m in listed)
    assert created["id"] not in {m["id"] for m in check(await client.get("/api/v1/members"))["items"]}
    check(await client.post(f"/api/v1/members/{created['id']}/reactivate"))
    await login(await make_client(), "zhang@example.com", created["initial_password"])


async def test_owner_rules(client: httpx.AsyncClient, make_client) -> None:  # type: ignore[no-untyped-def]
    owner = await setup_org(client)
    owner_id = owner["user"]["id"]
    self_off = await client.post(f"/api/v1/members/{owner_id}/deactivate")
    assert check(self_off, 409)["error"]["code"] == "cannot_deactivate_self"
    demote = await client.patch(f"/api/v1/members/{owner_id}", json={"role": "member"})
    assert check(demote, 409)["error"]["code"] == "last_owner"
    admin, _ = await member_client(client, await make_client(), name="Admin", email="admin@example.com", role="admin")
    make_owner = await admin.post("/api/v1/members", json={"name": "O2", "email": "o2@example.com", "role": "owner"})
    assert check(make_owner, 403)["error"]["code"] == "owner_required"
    touch_owner = await admin.post(f"/api/v1/members/{owner_id}/deactivate")
    assert check(touch_owner, 403)["error"]["code"] == "owner_required"
    member, _ = await member_client(client, await make_client(), name="M", email="m@example.com")
    forbidden = await member.post("/api/v1/departments", json={"name": "X"})
    assert check(forbidden, 403)["error"]["code"] == "admin_required"


async def test_directory_search_by_characters_pinyin_initials_phone_email(client: httpx.AsyncClient) -> None:
    await setup_org(client)
    dept = await add_department(client, "市场部")
    sub = await add_department(client, "品牌组", dept["id"])
    await add_member(client, name="张三丰", phone="13911112222", department_ids=[dept["id"]])
    await add_member(client, name="李四", email="li.si@corp.example", department_ids=[sub["id"]])
    await add_member(client, name="Alice Wang", email="alice@example.com", title="Designer")

    async def names(**params: str) -> list[str]:
        return [m["name"] for m in check(await client.get("/api/v1/members", params=params))["items"]]

    assert await names(q="三丰") == ["张三丰"]
    assert await names(q="zsf") == ["张三丰"]
    assert await names(q="zhangsan") == ["张三丰"]
    assert await names(q="zhang san") == ["张三丰"]
    assert await names(q="1111") == ["张三丰"]
    assert await names(q="corp.example") == ["李四"]
    assert await names(q="alice") == ["Alice Wang"]
    assert await names(q="designer") == ["Alice Wang"]
    assert await names(q="100%_") == []
    assert await names(department_id=dept["id"]) == ["张三丰"]
    assert sorted(await names(department_id=dept["id"], recursive="true")) == ["张三丰", "李四"]
    bad = await client.get("/api/v1/members", params={"cursor": "!!garbage"})
    assert check(bad, 400)["error"]["code"] == "invalid_cursor"


async def test_member_list_pages_with_a_cursor(client: httpx.AsyncClient) -> None:
    await setup_org(client)
    for i in range(7):
        await add_member(client, name=f"Person {i}", email=f"p{i}@example.com")
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": "3", **({"cursor": cursor} if cursor else {})}
        page = check(await client.get("/api/v1/members", params=params))
        seen += [m["id"] for m in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 8  # seven people and the owner


async def test_an_existing_account_can_join_a_second_organisation(client: httpx.AsyncClient, make_client) -> None:  # type: ignore[no-untyped-def]
    await setup_org(client)
    created = await add_member(client, name="Shared", email="shared@example.com", password="shared password")
    check(await client.post("/api/v1/orgs", json={"name": "Second"}), 201)
    again = await add_member(client, name="Shared", email="shared@example.com")
    assert again["id"] == created["id"]
    assert again["initial_password"] is None
    person = await make_client()
    body = await login(person, "shared@example.com", "shared password")
    assert len(body["orgs"]) == 2
