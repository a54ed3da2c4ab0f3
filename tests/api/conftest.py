"""Fixtures shared by the API tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.support.fake_providers import FakeGateway
from tests.support.live import serve_asgi


@pytest.fixture
async def gateway() -> AsyncIterator[tuple[FakeGateway, str]]:
    """A local stand-in for the SMS/voice providers: (the fake, its base URL)."""
    fake = FakeGateway()
    async with serve_asgi(fake.app()) as url:
        yield fake, url
