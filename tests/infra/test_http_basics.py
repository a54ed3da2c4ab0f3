from __future__ import annotations

import httpx
from fastapi import FastAPI

from tests.support.api import check, setup_org


async def test_health_ready_metrics(client: httpx.AsyncClient) -> None:
    assert check(await client.get("/healthz")) == {"status": "ok"}
    ready = check(await client.get("/readyz"))
    assert ready["status"] == "ok" and ready["revision"]
    await client.get("/api/v1/setup")
    metrics = await client.get("/metrics")
    assert metrics.status_code == 200
    assert 'hobnail_http_requests_total{method="GET",route="/api/v1/setup",status="200"}' in metrics.text


async def test_openapi_documents_every_api_route_with_the_error_shape(client: httpx.AsyncClient, app: FastAPI) -> None:
    spec = check(await client.get("/api/openapi.json"))
    assert "ErrorResponse" in spec["components"]["schemas"]
    for path, operations in spec["paths"].items():
        if not path.startswith("/api/v1"):
            continue
        for method, operation in operations.items():
            assert "422" in operation["responses"] or method == "get", f"{method} {path}"
            assert "404" in operation["responses"], f"{method} {path} has no 404 documented"
    docs = await client.get("/api/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


async def test_unknown_api_paths_are_json_404_and_web_paths_get_the_shell(client: httpx.AsyncClient) -> None:
    missing = await client.get("/api/v1/nothing-here")
    assert check(missing, 404)["error"]["code"] == "not_found"
    wrong_method = await client.delete("/api/v1/setup")
    assert check(wrong_method, 405)["error"]["code"] == "method_not_allowed"
    page = await client.get("/admin/members")
    assert page.status_code == 200 and '<div id="app"' in page.text
    assert (await client.get("/static/js/main.js")).status_code == 200


async def test_idempotency_key_replays_the_first_response(client: httpx.AsyncClient) -> None:
    await setup_org(client)
    headers = {"Idempotency-Key": "create-dept-1"}
    first = await client.post("/api/v1/departments", json={"name": "Once"}, headers=headers)
    second = await client.post("/api/v1/departments", json={"name": "Once"}, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert [d["name"] for d in check(await client.get("/api/v1/departments"))] == ["Once"]
    # Another key runs again (and here conflicts on the name); a failed request is not remembered.
    other = await client.post("/api/v1/departments", json={"name": "Once"}, headers={"Idempotency-Key": "k2"})
    assert check(other, 409)["error"]["code"] == "department_name_taken"
    retry = await client.post("/api/v1/departments", json={"name": "Twice"}, headers={"Idempotency-Key": "k2"})
    assert retry.status_code == 201
    too_long = await client.post("/api/v1/departments", json={"name": "x"}, headers={"Idempotency-Key": "k" * 300})
    assert check(too_long, 400)["error"]["code"] == "invalid_idempotency_key"
