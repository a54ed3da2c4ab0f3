"""DingTalk's robot protocol: signatures, and parsing any body without surprises."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote_plus

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hobnail.domains.integrations import dingtalk

SECRET = "SEC" + "ab" * 32
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5),
    max_leaves=20,
)


def test_the_signature_is_dingtalks() -> None:
    # The same computation DingTalk's documentation gives (and DingtalkChatbot performs).
    import base64
    import hashlib
    import hmac

    stamp = "1700000000000"
    expected = base64.b64encode(hmac.new(SECRET.encode(), f"{stamp}\n{SECRET}".encode(), hashlib.sha256).digest())
    assert dingtalk.sign(SECRET, stamp) == expected.decode()
    dingtalk.check_signature(SECRET, stamp, quote_plus(expected.decode()), 1700000000000 + 3_599_000)
    with pytest.raises(dingtalk.DingTalkError):
        dingtalk.check_signature(SECRET, stamp, expected.decode(), 1700000000000 + 3_601_000)
    with pytest.raises(dingtalk.DingTalkError):
        dingtalk.check_signature("SEC" + "cd" * 32, stamp, expected.decode(), 1700000000000)


@given(body=json_values)
@settings(max_examples=300, deadline=None)
def test_any_json_is_posted_or_refused_with_a_dingtalk_code(body: Any) -> None:
    try:
        message = dingtalk.parse(json.dumps(body).encode())
    except dingtalk.DingTalkError as error:
        assert error.errcode in (dingtalk.BAD_REQUEST, dingtalk.UNSUPPORTED_TYPE, dingtalk.TOO_LONG)
        return
    assert message.card["type"] in ("text", "markdown", "link", "actionCard", "feedCard", "image")


@given(msgtype=st.sampled_from(["text", "markdown", "link", "actionCard", "feedCard", "image"]), content=json_values)
@settings(max_examples=300, deadline=None)
def test_each_type_with_any_content(msgtype: str, content: Any) -> None:
    try:
        message = dingtalk.parse(json.dumps({"msgtype": msgtype, msgtype: content}).encode())
    except dingtalk.DingTalkError as error:
        assert error.errcode == dingtalk.BAD_REQUEST
        return
    urls = [b["url"] for b in message.card.get("buttons", [])] + [link["url"] for link in message.card.get("links", [])]
    assert all(u.startswith(("http://", "https://")) for u in urls)


def test_links_never_run_script() -> None:
    card = {
        "msgtype": "actionCard",
        "actionCard": {"title": "t", "text": "x", "singleTitle": "go", "singleURL": "javascript:alert(1)"},
    }
    with pytest.raises(dingtalk.DingTalkError):
        dingtalk.parse(json.dumps(card).encode())
