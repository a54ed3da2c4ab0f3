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
