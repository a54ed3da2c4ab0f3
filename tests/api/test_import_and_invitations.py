from __future__ import annotations

import httpx

from tests.support.api import add_department, add_member, check, login, setup_org

GOOD_CSV = (
    "姓名,邮箱,手机,部门,职位,工号,角色\n"
    "王五,wang5@example.com,13700000001,研发部/前端组,前端工程师,E001,成员\n"
    "Bob Li,bob@example.com,,市场部,Sales,E002,admin\n"
)


async def _import(client: httpx.AsyncClient, data: bytes, **params: str) -> httpx.Response:
    return await client.post("/api/v1/members/import", params=params, files={"file": ("members.csv", data, "text/csv")})


async def test_import_utf8_creates_members_and_missing_departments(client: httpx.AsyncClient, make_client) -> None:  # type: ignore[no-untyped-def]
    await setup_org(client)
    existing = await add_department(client, "研发部")
    body = check(await _import(client, GOOD_CSV.encode("utf-8-sig")))
    assert body["imported"] == 2
    by_name = {m["name"]: m for m in body["members"]}
    assert by_name["Bob Li"]["role"] == "admin"
    departments = {d["id"]: d for d in check(await client.get("/api/v1/departments"))}
    front = departments[by_name["王五"]["department_ids"][0]]
    assert front["name"] == "前端组" and front["parent_id"] == existing["id"]
    await login(await make_client(), "13700000001", by_name["王五"]["initial_password"])


async def test_import_gbk_file(client: httpx.AsyncClient) -> None:
    await setup_org(client)
    body = check(await _import(client, GOOD_CSV.encode("gbk")))
    assert {m["name"] for m in body["members"]} == {"王五", "Bob Li"}


async def test_one_bad_row_imports_nothing_and_every_bad_row_is_reported(client: httpx.AsyncClient) -> None:
    await setup_org(client)
    await add_member(client, name="Taken", email="taken@example.com")
    csv = (
        "name,email,phone,department\n"
        "Good One,good@example.com,,研发部\n"
        "Bad Mail,not-an-email,,\n"
        ",nameless@example.com,,\n"
        "Taken Again,taken@example.com,,\n"
        "Twin,good@example.com,,\n"
        "No Contact,,,\n"
        "Bad Phone,,12x,\n"
    )
    body = check(await _import(client, csv.encode()), 422)
    assert body["error"]["code"] == "import_failed"
    rows = {(r["row"], r["code"]) for r in body["error"]["details"]["rows"]}
    assert rows == {
        (3, "invalid_email"),
        (4, "name_required"),
        (5, "duplicate_member"),
        (6, "duplicate_in_file"),
        (7, "contact_required"),
        (8, "invalid_phone"),
    }
    names = [m["name"] for m in check(await client.get("/api/v1/members"))["items"]]
    assert "Good One" not in names
    assert check(await client.get("/api/v1/departments")) == []


async def test_import_dry_run_header_size_and_encoding_errors(client: httpx.AsyncClient, settings) -> None:  # type: ignore[no-untyped-def]
    await setup_org(client)
    dry = check(await _import(client, GOOD_CSV.encode(), dry_run="true"))
    assert dry == {"checked": 2, "imported": 0, "dry_run": True, "members": []}
    assert len(check(await client.get("/api/v1/members"))["items"]) == 1
    no_header = await _import(client, b"foo,bar\n1,2\n")
    assert check(no_header, 422)["error"]["code"] == "csv_header"
    empty = await _import(client, b"")
    assert check(empty, 422)["error"]["code"] == "csv_empty"
    binary = await _import(client, b"name,email\n\xff\xfe\xfa\x80\x81,\x00\n")
    assert binary.status_code in (422,)
    huge = await _import(client, b"name,email\n" + b"x,x@example.com\n" * (settings.csv_max_bytes // 15 + 10))
    assert check(huge, 413)["error"]["code"] == "csv_too_large"


async def test_invitation_flow_apply_approve_reject(client: httpx.AsyncClient, make_client) -> None:  # type: ignore[no-untyped-def]
    await setup_org(client)
    dept = await add_department(client, "新人部")
    invitation = check(
        await client.post("/api/v1/invitations", json={"days_valid": 3, "department_id": dept["id"]}), 201
    )
    assert invitation["url"].endswith(f"/join/{invitation['code']}")
    applicant = await make_client()
    assert check(await applicant.get(f"/api/v1/join/{invitation['code'].lower()}"))["org_name"] == "Acme 公司"
    request = check(
        await applicant.post(
            f"/api/v1/join/{invitation['code']}",
            json={"name": "新人", "phone": "13500000001", "password": "newbie password"},
        ),
        201,
    )
    again = await applicant.post(
        f"/api/v1/join/{invitation['code']}",
        json={"name": "新人", "phone": "13500000001", "password": "newbie password"},
    )
    assert check(again, 409)["error"]["code"] == "join_request_pending"
    no_password = await applicant.post(f"/api/v1/join/{invitation['code']}", json={"name": "X", "phone": "13500000009"})
    assert check(no_password, 422)["error"]["code"] == "password_required"
    pending = check(await client.get("/api/v1/join-requests", params={"status": "pending"}))
    assert [r["id"] for r in pending] == [request["id"]]
    approved = check(await client.post(f"/api/v1/join-requests/{request['id']}/approve"))
    assert approved["status"] == "approved"
    decided = await client.post(f"/api/v1/join-requests/{request['id']}/reject")
    assert check(decided, 409)["error"]["code"] == "join_request_decided"
    body = await login(await make_client(), "13500000001", "newbie password")
    members = check(await client.get("/api/v1/members", params={"department_id": dept["id"]}))["items"]
    assert [m["id"] for m in members] == [body["user"]["id"]]
    member_again = await applicant.post(
        f"/api/v1/join/{invitation['code']}",
        json={"name": "新人", "phone": "13500000001", "password": "newbie password"},
    )
    assert check(member_again, 409)["error"]["code"] == "already_member"

    other = check(
        await applicant.post(
            f"/api/v1/join/{invitation['code']}", json={"name": "Nope", "phone": "13500000002", "password": "x" * 8}
        ),
        201,
    )
    assert check(await client.post(f"/api/v1/join-requests/{other['id']}/reject"))["status"] == "rejected"
    rejected = await applicant.post("/api/v1/auth/login", json={"identifier": "13500000002", "password": "x" * 8})
    assert rejected.status_code == 401

    check(await client.delete(f"/api/v1/invitations/{invitation['id']}"), 204)
    closed = await applicant.get(f"/api/v1/join/{invitation['code']}")
    assert check(closed, 404)["error"]["code"] == "invitation_invalid"
    listed = check(await client.get("/api/v1/invitations"))
    assert listed[0]["active"] is False
