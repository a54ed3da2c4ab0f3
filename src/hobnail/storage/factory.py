"""Pick the storage backend the settings name."""

from __future__ import annotations

from hobnail.core.config import Settings
from hobnail.storage.base import Storage
from hobnail.storage.local import LocalStorage


def make_storage(settings: Settings) -> Storage:
    if settings.storage_backend == "s3":
        from hobnail.storage.s3 import S3Storage

        return S3Storage(
            endpoint_url=settings.s3_endpoint_url or None,
            bucket=settings.s3_bucket,
            region=settings.s3_region,
            access_key_id=settings.s3_access_key_id or None,
            secret_access_key=settings.s3_secret_access_key or None,
            part_size=settings.s3_part_mb * 1024 * 1024,
            staging_dir=settings.data_dir / "staging",
        )
    if settings.storage_backend != "local":
        raise ValueError(f"HOBNAIL_STORAGE_BACKEND must be local or s3, not {settings.storage_backend!r}")
    return LocalStorage(settings.data_dir / "files")
