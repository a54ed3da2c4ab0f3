"""A DING carries at most one file; its sender and recipients may read it."""

from __future__ import annotations

import httpx

from tests.support import files
from tests.support.api import check, group_with, member_client, setup_org


async def test_a_ding_with_a_file_and_ding_a_file_message(client: httpx.AsyncClient, make_client) -> None:  # type: ignore[no-untyped-def]
    await setup_org(client)
    alice, a = await member_client(client, await make_client(), name="Alice", email="alice@example.com")
    bob, b = await member_client(client, await make_client(), name="Bob", email="bob@example.com")
    plan = await files.upload(client, b"evacuation plan", "疏散预案.pdf")
    ding = check(
        await client.post(
            "/api/v1/dings", json={"body": "请阅读预案", "user_ids": [a["id"]], "policy": [], "file_id": plan["id"]}
        ),
        201,
    )
    assert ding["file"]["name"] == "疏散预案.pdf"
    received = check(await alice.get("/api/v1/dings/received"))[0]
    assert received["file"]["id"] == plan["id"]
    assert (await files.fetch(alice, f"/api/v1/files/{plan['id']}/download")).content == b"evacuation plan"
    assert (await bob.get(f"/api/v1/files/{plan['id']}")).status_code == 404  # not a recipient
    check(await client.post(f"/api/v1/dings/{ding['id']}/recall"), 204)
    assert (await alice.get(f"/api/v1/files/{plan['id']}")).status_code == 404
    unknown = await client.post(
        "/api/v1/dings", json={"body": "x", "user_ids": [a["id"]], "policy": [], "file_id": "0" * 26}
    )
    assert unknown.status_code == 404

    # DING a file message: the file goes along.
    group = await group_with(client, "Ops", [a["id"], b["id"]])
    sheet = await files.upload(client, b"rota", "值班表.xlsx")
    message = check(
        await client.post(f"/api/v1/conversations/{group['id']}/messages", json={"file_id": sheet["id"]}), 201
    )
    dinged = check(
        await client.post(
            "/api/v1/dings", json={"user_ids": [b["id"]], "policy": [], "source_message_id": message["id"]}
        ),
        201,
    )
    assert dinged["file"]["name"] == "值班表.xlsx" and dinged["body"] == "值班表.xlsx"
    assert (await files.fetch(bob, f"/api/v1/files/{sheet['id']}/download")).content == b"rota"
