"""Request bodies of the open platform."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class RobotIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=50)
    keywords: list[str] = Field(default_factory=list, max_length=10, description="A message must contain one")
    sign: bool = Field(default=False, description="Require DingTalk's timestamp + sign (the secret is returned)")
    ip_allow: list[str] = Field(default_factory=list, max_length=10, description="Addresses or CIDR ranges")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AppIn(Strict):
    name: str = Field(min_length=1, max_length=50)
    scopes: list[str] = Field(default_factory=list, max_length=20)


class AppPatchIn(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=50)
    scopes: list[str] | None = Field(default=None, max_length=20)
    enabled: bool | None = None


class SubscriptionIn(Strict):
    mode: str = Field(default="http", description="http (signed POSTs to url) or stream (EVENT frames)")
    url: str | None = Field(default=None, max_length=500, description="The callback URL (mode http)")
    event_types: list[str] = Field(max_length=50, description='e.g. "message.sent", "attendance.*", "*"')
    enabled: bool = True
    rotate_secret: bool = Field(default=False, description="Issue a new signing secret")


class AcknowledgeIn(Strict):
    delivery_ids: list[str] = Field(max_length=500)


class GroupAppIn(Strict):
    app_id: str = Field(max_length=26)


class AccessTokenIn(BaseModel):
    """DingTalk's names."""

    appKey: str = Field(max_length=100)  # noqa: N815
    appSecret: str = Field(max_length=200)  # noqa: N815


class Subscription(BaseModel):
    type: str = Field(max_length=20)
    topic: str = Field(max_length=200)


class OpenConnectionIn(BaseModel):
    """DingTalk's names; unknown fields (``ua``, ``localIp``) are ignored."""

    clientId: str = Field(max_length=100)  # noqa: N815
    clientSecret: str = Field(max_length=200)  # noqa: N815
    subscriptions: list[Subscription] = Field(default_factory=list, max_length=50)
