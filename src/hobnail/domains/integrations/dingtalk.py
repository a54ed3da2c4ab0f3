"""DingTalk's custom robot protocol (自定义机器人), as pure functions: the signature, and
turning a robot message (text, markdown, link, actionCard, feedCard, image) into the
message Hobnail shows — a body (searchable text) and a card for the client to render.

Errors carry DingTalk's ``errcode``/``errmsg`` (HTTP 200, as DingTalk answers), so
existing clients (alerting bridges, CI plugins, scripts) see what they expect.
docs/dingtalk-compatibility.md lists the codes and where they come from.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote_plus

MAX_BODY_BYTES = 20 * 1024  # DingTalk's limit for a robot request
MAX_TIMESTAMP_SKEW_MS = 60 * 60 * 1000  # a signed request's timestamp is good for an hour
MAX_BUTTONS = 10
MAX_FEED_LINKS = 10


class DingTalkError(Exception):
    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(errmsg)
        self.errcode = errcode
        self.errmsg = errmsg


TOKEN_NOT_EXIST = 300001
SECURITY_FAILED = 310000  # keywords, signature, timestamp or IP: errmsg says which
BAD_REQUEST = 40035  # missing or malformed JSON (DingTalk: 缺少参数 json)
UNSUPPORTED_TYPE = 40044  # an unknown msgtype
TOO_LONG = 460101  # more than 20 KB
TOO_FAST = 410100
GROUP_GONE = 400013


def sign(secret: str, timestamp: str) -> str:
    """base64(HMAC-SHA256(key=secret, msg=timestamp + "\\n" + secret)), as DingTalk computes it."""
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def check_signature(secret: str, timestamp: str | None, signature: str | None, now_ms: int) -> None:
    """Raises DingTalkError unless ``signature`` signs ``timestamp`` (ms) within an hour of now.
    The query string may carry the signature URL-encoded once more than needed; both match."""
    if not timestamp or not signature:
        raise DingTalkError(SECURITY_FAILED, "sign not match, timestamp and sign are required")
    try:
        stamp = int(timestamp)
    except ValueError:
        raise DingTalkError(SECURITY_FAILED, "invalid timestamp") from None
    if abs(now_ms - stamp) > MAX_TIMESTAMP_SKEW_MS:
        raise DingTalkError(SECURITY_FAILED, "invalid timestamp, more than one hour from now")
    expected = sign(secret, timestamp)
    candidates = {signature, unquote_plus(signature)}
    if not any(hmac.compare_digest(expected, c) for c in candidates):
        raise DingTalkError(SECURITY_FAILED, "sign not match")


@dataclass
class RobotMessage:
    body: str  # plain text for search, notifications and the chat list
    card: dict[str, Any]
    at_mobiles: list[str] = field(default_factory=list)
    at_user_ids: list[str] = field(default_factory=list)
    at_all: bool = False


def parse(raw: bytes) -> RobotMessage:
    """A robot request body → what to post. Raises DingTalkError for anything malformed."""
    if len(raw) > MAX_BODY_BYTES:
        raise DingTalkError(TOO_LONG, f"message too long, at most {MAX_BODY_BYTES} bytes")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise DingTalkError(BAD_REQUEST, "缺少参数 json: the body is not JSON") from None
    if not isinstance(data, Mapping):
        raise DingTalkError(BAD_REQUEST, "缺少参数 json: the body is not a JSON object")
    kind = data.get("msgtype")
    parsers = {
        "text": _text, "markdown": _markdown, "link": _link, "actionCard": _action_card, "feedCard": _feed_card,
        "image": _image,
    }  # fmt: skip
    if kind not in parsers:
        raise DingTalkError(UNSUPPORTED_TYPE, f"不支持的消息类型 unsupported msgtype: {str(kind)[:30]}")
    content = data.get(kind)
    if not isinstance(content, Mapping):
        raise DingTalkError(BAD_REQUEST, f"缺少参数 {kind}")
    message = parsers[kind](content)
    at = data.get("at")
    if isinstance(at, Mapping):
        message.at_mobiles = _strings(at.get("atMobiles"))[:50]
        message.at_user_ids = _strings(at.get("atUserIds"))[:50]
        message.at_all = at.get("isAtAll") in (True, "true", "True")
    return message


def _strings(value: Any) -> list[str]:
    return (
        [str(v) for v in value if isinstance(v, str | int) and not isinstance(v, bool)]
        if isinstance(value, list)
        else []
    )


def _required(content: Mapping[str, Any], key: str, kind: str) -> str:
    value = content.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DingTalkError(BAD_REQUEST, f"缺少参数 {kind}.{key}")
    return value


DINGTALK_LINK = "dingtalk://dingtalkclient/page/link?"


def _url(value: Any) -> str:
    """Links keep only web addresses (no javascript:); DingTalk's "open in the side panel"
    wrapper (``dingtalk://dingtalkclient/page/link?url=…&pc_slide=…``) is unwrapped."""
    text = value.strip() if isinstance(value, str) else ""
    if text.startswith(DINGTALK_LINK):
        text = parse_qs(text[len(DINGTALK_LINK) :]).get("url", [""])[0]
    return text if text.lower().startswith(("http://", "https://")) else ""


def _text(content: Mapping[str, Any]) -> RobotMessage:
    text = _required(content, "content", "text")
    return RobotMessage(text, {"type": "text", "text": text})


def _markdown(content: Mapping[str, Any]) -> RobotMessage:
    title, text = _required(content, "title", "markdown"), _required(content, "text", "markdown")
    return RobotMessage(f"{title}\n{text}", {"type": "markdown", "title": title, "text": text})


def _link(content: Mapping[str, Any]) -> RobotMessage:
    title, text = _required(content, "title", "link"), _required(content, "text", "link")
    url = _url(content.get("messageUrl"))
    if not url:
        raise DingTalkError(BAD_REQUEST, "缺少参数 link.messageUrl")
    card = {"type": "link", "title": title, "text": text, "link": {"url": url, "pic_url": _url(content.get("picUrl"))}}
    return RobotMessage(f"{title}\n{text}", card)


def _action_card(content: Mapping[str, Any]) -> RobotMessage:
    title, text = _required(content, "title", "actionCard"), _required(content, "text", "actionCard")
    buttons: list[dict[str, str]] = []
    if content.get("singleTitle") or content.get("singleURL"):
        single = _url(content.get("singleURL"))
        if not isinstance(content.get("singleTitle"), str) or not single:
            raise DingTalkError(BAD_REQUEST, "缺少参数 actionCard.singleTitle / singleURL")
        buttons.append({"title": content["singleTitle"], "url": single})
    else:
        raw = content.get("btns")
        if not isinstance(raw, list) or not raw:
            raise DingTalkError(BAD_REQUEST, "缺少参数 actionCard.btns (or singleTitle and singleURL)")
        for item in raw[:MAX_BUTTONS]:
            if (
                not isinstance(item, Mapping)
                or not isinstance(item.get("title"), str)
                or not _url(item.get("actionURL"))
            ):
                raise DingTalkError(BAD_REQUEST, "缺少参数 actionCard.btns[].title / actionURL")
            buttons.append({"title": item["title"], "url": _url(item["actionURL"])})
    orientation = "1" if str(content.get("btnOrientation", "0")) == "1" else "0"
    card = {"type": "actionCard", "title": title, "text": text, "buttons": buttons, "button_orientation": orientation}
    return RobotMessage(f"{title}\n{text}", card)


def _feed_card(content: Mapping[str, Any]) -> RobotMessage:
    raw = content.get("links")
    if not isinstance(raw, list) or not raw:
        raise DingTalkError(BAD_REQUEST, "缺少参数 feedCard.links")
    links = []
    for item in raw[:MAX_FEED_LINKS]:
        if not isinstance(item, Mapping) or not isinstance(item.get("title"), str) or not _url(item.get("messageURL")):
            raise DingTalkError(BAD_REQUEST, "缺少参数 feedCard.links[].title / messageURL")
        links.append({"title": item["title"], "url": _url(item["messageURL"]), "pic_url": _url(item.get("picURL"))})
    return RobotMessage("\n".join(link["title"] for link in links), {"type": "feedCard", "links": links})


def _image(content: Mapping[str, Any]) -> RobotMessage:
    url = _url(content.get("picURL"))
    if not url:
        raise DingTalkError(BAD_REQUEST, "缺少参数 image.picURL")
    return RobotMessage("[image]", {"type": "image", "link": {"url": url, "pic_url": url}})
