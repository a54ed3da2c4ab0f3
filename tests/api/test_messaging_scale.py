"""A 10,000-member group works: created, written to, read, with receipts worked out on demand."""

from __future__ import annotations

import httpx
import sqlalchemy as sa
from fastapi import FastAPI

from hobnail.core import clock
from hobnail.core.ids import new_id
from hobnail.models import Membership, User
from tests.support.api import check, send, setup_org


async def test_a_ten_thousand_member_group(client: httpx.AsyncClient, app: FastAPI) -> None:
    owner = await setup_org(client)
    org_id = owner["org"]["id"]
    # Ten thousand people straight into the tables (the directory API is tested elsewhere).
    users = [
        {"id": new_id(), "name": f"User {i}", "name_pinyin": f"user {i}", "name_initials": "u",
         "email": f"u{i}@example.com", "kind": "person", "created_at": clock.now()}
        for i in range(9_999)
    ]  # fmt: skip
    async with app.state.sessionmaker() as session:
        await session.execute(sa.insert(User), users)
        await session.execute(
            sa.insert(Membership),
            [
                {
                    "id": new_id(),
                    "org_id": org_id,
                    "user_id": u["id"],
                    "role": "member",
                    "title": "",
                    "employee_no": "",
                    "status": "active",
                    "created_at": clock.now(),
                }
                for u in users
            ],
        )
        await session.commit()
    check(await client.patch("/api/v1/messaging/settings", json={"max_group_members": 10_000}))
    ids = [u["id"] for u in users]
    group = check(await client.post("/api/v1/conversations/groups", json={"name": "万人群", "member_ids": ids}), 201)
    assert group["member_count"] == 10_000
    message = await send(client, group["id"], "全员通知")
    assert message["receipt"] == {"expected": 9_999, "read": 0}
    over = await client.post(f"/api/v1/conversations/{group['id']}/members", json={"user_ids": [owner["user"]["id"]]})
    assert over.status_code == 200  # already a member: nothing to add, still within the limit
    async with app.state.sessionmaker() as session:  # a thousand readers move their pointers
        await session.execute(
            sa.text(
                "UPDATE conversation_members SET read_seq = :seq WHERE conversation_id = :cid AND user_id IN "
                "(SELECT user_id FROM conversation_members WHERE conversation_id = :cid AND role = 'member' "
                "ORDER BY user_id LIMIT 1000)"
            ),
            {"seq": message["seq"], "cid": group["id"]},
        )
        await session.commit()
    history = check(await client.get(f"/api/v1/conversations/{group['id']}/messages"))["items"]
    assert history[-1]["receipt"] == {"expected": 9_999, "read": 1_000}
    lists = check(await client.get(f"/api/v1/messages/{message['id']}/receipts"))
    assert (len(lists["read"]), len(lists["unread"])) == (1_000, 8_999)
