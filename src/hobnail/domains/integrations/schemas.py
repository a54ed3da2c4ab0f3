"""Request bodies of the open platform."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class RobotIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=50)
    keywords: list[str] = Field(default_factory=list, max_length=10, description="A message must contain one")
    sign: bool = Field(default=False, description="Require DingTalk's timestamp + sign (the secret is returned)")
    ip_allow: list[str] = Field(default_factory=list, max_length=10, description="Addresses or CIDR ranges")
