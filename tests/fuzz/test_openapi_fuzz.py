"""Generated requests for every operation in our own OpenAPI: never a 5xx.

Runs against a real server with a signed-in owner (bearer token), so the generated
inputs reach the services, not only the authentication check.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.support.server import hobnail_server

pytestmark = pytest.mark.subprocess_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    with hobnail_server(tmp_path_factory.mktemp("fuzz")) as base:
        setup = httpx.post(
            f"{base}/api/v1/setup",
            json={"org_name": "Fuzz", "owner_name": "Owner", "email": "owner@example.com", "password": "fuzz password"},
        )
        assert setup.status_code == 201, setup.text
        token = httpx.post(
            f"{base}/api/v1/me/tokens",
            json={"name": "fuzz"},
            cookies=setup.cookies,
            headers={"X-CSRF-Token": setup.json()["csrf_token"]},
        ).json()["token"]
        httpx.post(f"{base}/api/v1/departments", json={"name": "研发部"}, headers={"Authorization": f"Bearer {token}"})
        yield base, token


SELF_REVOKING = {("DELETE", "/api/v1/me/tokens/{token_id}"), ("POST", "/api/v1/auth/logout")}


def test_no_input_makes_the_server_fail(server: tuple[str, str]) -> None:
    base, token = server
    schema = schemathesis.openapi.from_url(f"{base}/api/openapi.json")
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SELF_REVOKING:
            continue
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def probe(case: schemathesis.Case) -> None:
            response = case.call(base_url=base, headers={"Authorization": f"Bearer {token}"})
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:300]}")

        probe()
    assert operations > 30
    assert failures == []
    # The fuzzer really reached the app: hundreds of requests, many of them refused inputs.
    metrics = httpx.get(f"{base}/metrics").text
    counts = [
        float(line.rsplit(" ", 1)[1])
        for line in metrics.splitlines()
        if line.startswith("hobnail_http_requests_total{") and 'route="/api/v1' in line
    ]
    refused = [
        float(line.rsplit(" ", 1)[1])
        for line in metrics.splitlines()
        if line.startswith("hobnail_http_requests_total{") and 'status="422"' in line
    ]
    assert sum(counts) > 200 and sum(refused) > 20, (sum(counts), sum(refused))
