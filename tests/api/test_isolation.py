"""A member (even an admin) of organisation A gets 404 for every organisation-B id it tries."""

from __future__ import annotations

import httpx

from tests.support.api import add_department, add_member, check, login, setup_org


async def test_org_a_admin_cannot_reach_any_org_b_resource(client: httpx.AsyncClient, make_client) -> None:  # type: ignore[no-untyped-def]
    # The server's first owner runs org A; a second person runs org B only.
    await setup_org(client)
    check(await client.post("/api/v1/orgs", json={"name": "Org B"}), 201)
    b_admin = await add_member(client, name="B Admin", email="b@example.com", role="admin", password="b password")
    b = await make_client()
    await login(b, "b@example.com", "b password")
    b_dept = await add_department(b, "B 部门")
    b_member = await add_member(b, name="B Person", email="bp@example.com")
    b_invite = check(await b.post("/api/v1/invitations", json={}), 201)
    applicant = await make_client()
    b_request = check(
        await applicant.post(
            f"/api/v1/join/{b_invite['code']}", json={"name": "J", "phone": "13600000000", "password": "p" * 8}
        ),
        201,
    )
    b_token = check(await b.post("/api/v1/me/tokens", json={"name": "t"}), 201)

    # Org A's admin: an admin of A only.
    a = await make_client()
    check(await client.put("/api/v1/auth/session/org", json={"org_id": (await _org_id(client, "Acme 公司"))}))
    await add_member(client, name="A Admin", email="a@example.com", role="admin", password="a password")
    await login(a, "a@example.com", "a password")

    attempts = [
        ("PATCH", f"/api/v1/departments/{b_dept['id']}", {"name": "hijack"}),
        ("DELETE", f"/api/v1/departments/{b_dept['id']}", None),
        ("POST", "/api/v1/departments", {"name": "child", "parent_id": b_dept["id"]}),
        ("GET", f"/api/v1/members/{b_member['id']}", None),
        ("GET", f"/api/v1/members/{b_admin['id']}", None),
        ("PATCH", f"/api/v1/members/{b_member['id']}", {"title": "x"}),
        ("POST", f"/api/v1/members/{b_member['id']}/deactivate", None),
        ("POST", f"/api/v1/members/{b_member['id']}/reactivate", None),
        ("GET", "/api/v1/members?department_id=" + b_dept["id"], None),
        ("POST", "/api/v1/members", {"name": "x", "email": "x@example.com", "department_ids": [b_dept["id"]]}),
        ("DELETE", f"/api/v1/invitations/{b_invite['id']}", None),
        ("POST", "/api/v1/invitations", {"department_id": b_dept["id"]}),
        ("POST", f"/api/v1/join-requests/{b_request['id']}/approve", None),
        ("POST", f"/api/v1/join-requests/{b_request['id']}/reject", None),
        ("DELETE", f"/api/v1/me/tokens/{b_token['id']}", None),
        ("PUT", "/api/v1/auth/session/org", {"org_id": (await _org_id(b, "Org B"))}),
    ]
    for method, url, body in attempts:
        response = await a.request(method, url, json=body)
        assert response.status_code in (404, 422), f"{method} {url}: {response.status_code} {response.text}"
        if response.status_code == 422:  # ids inside a body are validated as a 422 with a not-found code
            assert response.json()["error"]["code"].endswith("not_found"), response.text
    # Lists show nothing of B.
    assert "B 部门" not in {d["name"] for d in check(await a.get("/api/v1/departments"))}
    names = {m["name"] for m in check(await a.get("/api/v1/members", params={"q": "B"}))["items"]}
    assert not names & {"B Person", "B Admin"}
    assert check(await a.get("/api/v1/join-requests")) == []
    # And B's data is untouched.
    assert check(await b.get(f"/api/v1/members/{b_member['id']}"))["status"] == "active"


async def _org_id(client: httpx.AsyncClient, name: str) -> str:
    return next(o["id"] for o in check(await client.get("/api/v1/me/orgs")) if o["name"] == name)
