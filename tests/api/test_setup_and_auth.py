from __future__ import annotations

from datetime import timedelta

import httpx

from hobnail.core import clock
from tests.support.api import OWNER_EMAIL, OWNER_PASSWORD, add_member, check, login, setup_org, use_session


async def test_setup_is_needed_once_and_signs_the_owner_in(client: httpx.AsyncClient) -> None:
    assert check(await client.get("/api/v1/setup")) == {"needed": True}
    body = await setup_org(client)
    assert body["org"]["name"] == "Acme 公司"
    assert body["org"]["role"] == "owner"
    assert body["user"]["email"] == OWNER_EMAIL
    assert check(await client.get("/api/v1/setup")) == {"needed": False}
    again = await client.post(
        "/api/v1/setup",
        json={"org_name": "B", "owner_name": "x", "email": "b@example.com", "password": "long enough"},
    )
    assert check(again, 409)["error"]["code"] == "setup_done"


async def test_setup_rejects_bad_input_without_writing(client: httpx.AsyncClient) -> None:
    base = {"org_name": "Acme", "owner_name": "O", "email": "o@example.com", "password": "long enough"}
    cases = [
        ({"email": "not-an-email"}, "invalid_email"),
        ({"password": "short"}, "weak_password"),
        ({"timezone": "Mars/Olympus"}, "invalid_timezone"),
        ({"language": "fr"}, "invalid_language"),
        ({"phone": "12ab"}, "invalid_phone"),
        ({"org_name": "   "}, "name_required"),
    ]
    for change, code in cases:
        response = await client.post("/api/v1/setup", json={**base, **change})
        assert response.status_code == 422, response.text
        assert response.json()["error"]["code"] == code
    assert check(await client.get("/api/v1/setup")) == {"needed": True}


async def test_unknown_fields_and_wrong_types_are_422_with_the_error_shape(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/setup", json={"org_name": 5, "surprise": True})
    body = check(response, 422)
    assert body["error"]["code"] == "validation_failed"
    assert body["error"]["message"]
    assert body["error"]["details"]["errors"]
    response = await client.post(
        "/api/v1/auth/login", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert check(response, 422)["error"]["code"] == "validation_failed"


async def test_sign_in_by_email_or_phone_and_sign_out(client: httpx.AsyncClient, make_client) -> None:  # type: ignore[no-untyped-def]
    await setup_org(client)
    await add_member(client, name="李四", phone="138 0013 8000", email="li@example.com", password="member password")
    other = await make_client()
    body = await login(other, "13800138000", "member password")
    assert body["user"]["name"] == "李四"
    assert body["user"]["phone"] == "+8613800138000"
    other2 = await make_client()
    await login(other2, "LI@example.com", "member password")
    assert check(await other.get("/api/v1/auth/session"))["user"]["name"] == "李四"
    check(await other.post("/api/v1/auth/logout"), 204)
    assert check(await other.get("/api/v1/auth/session"), 401)["error"]["code"] == "not_authenticated"
    # The other browser stays signed in.
    assert check(await other2.get("/api/v1/me"))["name"] == "李四"


async def test_cookie_is_httponly_and_writes_need_the_csrf_token(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/setup",
        json={"org_name": "Acme", "owner_name": "O", "email": "o@example.com", "password": "long enough"},
    )
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    csrf = response.json()["csrf_token"]
    without = await client.post("/api/v1/departments", json={"name": "研发部"})
    assert check(without, 403)["error"]["code"] == "csrf_failed"
    wrong = await client.post("/api/v1/departments", json={"name": "研发部"}, headers={"X-CSRF-Token": "nope"})
    assert check(wrong, 403)["error"]["code"] == "csrf_failed"
    right = await client.post("/api/v1/departments", json={"name": "研发部"}, headers={"X-CSRF-Token": csrf})
    check(right, 201)


async def test_wrong_passwords_are_slowed_then_locked(client: httpx.AsyncClient, make_client) -> None:  # type: ignore[no-untyped-def]
    await setup_org(client)
    anonymous = await make_client()

    async def attempt(password: str) -> httpx.Response:
        return await anonymous.post("/api/v1/auth/login", json={"identifier": OWNER_EMAIL, "password": password})

    for _ in range(3):
        assert check(await attempt("wrong"), 401)["error"]["code"] == "invalid_credentials"
    throttled = await attempt(OWNER_PASSWORD)  # even the right password waits its turn
    assert throttled.status_code == 429
    assert throttled.json()["error"]["code"] == "login_throttled"
    assert int(throttled.headers["Retry-After"]) >= 1
    clock.advance(timedelta(seconds=2))
    check(await attempt("wrong"), 401)
    assert check(await attempt("wrong"), 429)["error"]["code"] == "login_throttled"
    for _ in range(6):  # the tenth failure locks the account
        clock.advance(timedelta(seconds=61))
        check(await attempt("wrong"), 401)
    locked = await attempt(OWNER_PASSWORD)
    assert check(locked, 429)["error"]["code"] == "account_locked"
    clock.advance(timedelta(minutes=16))
    check(await attempt(OWNER_PASSWORD))
    # A success clears the count.
    check(await attempt("wrong"), 401)
    check(await attempt(OWNER_PASSWORD))


async def test_malformed_identifiers_are_422_not_401(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/auth/login", json={"identifier": "bad@", "password": "x"})
    assert check(response, 422)["error"]["code"] == "invalid_email"
    response = await client.post("/api/v1/auth/login", json={"identifier": "12", "password": "x"})
    assert check(response, 422)["error"]["code"] == "invalid_phone"


async def test_api_tokens_act_for_the_user_until_revoked(client: httpx.AsyncClient, make_client) -> None:  # type: ignore[no-untyped-def]
    await setup_org(client)
    created = check(await client.post("/api/v1/me/tokens", json={"name": "monitoring"}), 201)
    assert created["token"].startswith("hbt_")
    api = await make_client()
    api.headers["Authorization"] = f"Bearer {created['token']}"
    assert check(await api.get("/api/v1/me"))["email"] == OWNER_EMAIL
    # Bearer writes need no CSRF token.
    check(await api.post("/api/v1/departments", json={"name": "Ops"}), 201)
    listed = check(await client.get("/api/v1/me/tokens"))
    assert [t["name"] for t in listed] == ["monitoring"]
    assert "token" not in listed[0]
    check(await client.delete(f"/api/v1/me/tokens/{created['id']}"), 204)
    assert check(await api.get("/api/v1/me"), 401)["error"]["code"] == "invalid_token"
    check(await client.delete(f"/api/v1/me/tokens/{created['id']}"), 404)


async def test_profile_language_timezone_password(client: httpx.AsyncClient, make_client) -> None:  # type: ignore[no-untyped-def]
    await setup_org(client)
    me = check(await client.patch("/api/v1/me", json={"name": "新名字", "language": "en", "timezone": "Europe/London"}))
    assert (me["name"], me["language"], me["timezone"]) == ("新名字", "en", "Europe/London")
    assert check(await client.patch("/api/v1/me", json={"language": "xx"}), 422)["error"]["code"] == "invalid_language"
    wrong = await client.post("/api/v1/me/password", json={"current_password": "nope", "new_password": "another one"})
    assert check(wrong, 422)["error"]["code"] == "wrong_password"
    short = await client.post("/api/v1/me/password", json={"current_password": OWNER_PASSWORD, "new_password": "x"})
    assert check(short, 422)["error"]["code"] == "weak_password"
    check(
        await client.post(
            "/api/v1/me/password", json={"current_password": OWNER_PASSWORD, "new_password": "another one"}
        ),
        204,
    )
    fresh = await make_client()
    await login(fresh, OWNER_EMAIL, "another one")


async def test_avatar_upload_checks_type_and_size(client: httpx.AsyncClient) -> None:
    await setup_org(client)
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
    body = check(await client.put("/api/v1/me/avatar", files={"file": ("a.png", png, "image/png")}))
    assert body["avatar_url"].startswith("/api/v1/avatars/")
    image = await client.get(body["avatar_url"])
    assert image.status_code == 200 and image.content == png
    bad = await client.put("/api/v1/me/avatar", files={"file": ("a.txt", b"hello", "text/plain")})
    assert check(bad, 422)["error"]["code"] == "unsupported_image"
    big = await client.put("/api/v1/me/avatar", files={"file": ("b.png", png + b"\0" * 3_000_000, "image/png")})
    assert check(big, 413)["error"]["code"] == "avatar_too_large"
    check(await client.get("/api/v1/avatars/..%2Fhobnail.db"), 404)


async def test_several_organisations_and_switching(client: httpx.AsyncClient, make_client) -> None:  # type: ignore[no-untyped-def]
    first = await setup_org(client)
    second = check(
        await client.post("/api/v1/orgs", json={"name": "Side project", "timezone": "UTC", "language": "en"}), 201
    )
    session = check(await client.get("/api/v1/auth/session"))
    assert session["org"]["id"] == second["id"]
    assert {o["name"] for o in session["orgs"]} == {"Acme 公司", "Side project"}
    await client.post("/api/v1/departments", json={"name": "Only in side project"})
    assert [d["name"] for d in check(await client.get("/api/v1/departments"))] == ["Only in side project"]
    switched = check(await client.put("/api/v1/auth/session/org", json={"org_id": first["org"]["id"]}))
    assert switched["org"]["name"] == "Acme 公司"
    assert check(await client.get("/api/v1/departments")) == []
    stranger = await make_client()
    use_session(stranger, {"csrf_token": "x"})
    missing = await client.put("/api/v1/auth/session/org", json={"org_id": "01nonexistent0000000000000"})
    assert check(missing, 404)["error"]["code"] == "org_not_found"
