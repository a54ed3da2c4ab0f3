"""S3 fixtures; thin wrappers over tests/support/s3.py so other suites can share them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.s3 import S3Server, s3_server_or_skip, unique_bucket


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """One S3 server per run: SeaweedFS started here, or HOBNAIL_TEST_S3_URL."""
    with s3_server_or_skip() as server:
        yield server


@pytest.fixture
def s3_storage_settings(s3_server: S3Server) -> dict[str, object]:
    """``Settings`` keyword arguments selecting S3 storage, in a bucket of this test's own."""
    return s3_server.settings(unique_bucket())
