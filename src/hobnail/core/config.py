"""Settings: the one place that reads the environment.

Every setting comes from a ``HOBNAIL_*`` environment variable, optionally from a TOML
file named by ``HOBNAIL_CONFIG`` (environment wins). See docs/configuration.md.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path


def _as_bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default_factory=lambda: Path("hobnail-data"))
    database_url: str = ""
    redis_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    base_url: str = ""
    cookie_secure: bool = False
    session_days: int = 30
    event_retention_days: int = 7
    run_background: bool = True
    log_level: str = "INFO"
    log_json: bool | None = None
    login_delay_after: int = 3
    login_lock_after: int = 10
    login_lock_minutes: int = 15
    csv_max_bytes: int = 2 * 1024 * 1024
    csv_max_rows: int = 5000
    avatar_max_bytes: int = 2 * 1024 * 1024
    job_poll_seconds: float = 1.0
    # DING delivery channels (docs/configuration.md). E-mail over SMTP:
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_from: str = ""
    smtp_security: str = "starttls"  # starttls | tls | none
    # SMS and voice: "twilio", "aliyun" or "webhook" (empty: the channel is unavailable).
    sms_provider: str = ""
    voice_provider: str = ""
    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    twilio_from: str = ""
    twilio_base_url: str = "https://api.twilio.com"
    aliyun_access_key_id: str = ""
    aliyun_access_key_secret: str = ""
    aliyun_sms_sign_name: str = ""
    aliyun_sms_template_code: str = ""
    aliyun_voice_show_number: str = ""
    aliyun_voice_tts_code: str = ""
    aliyun_sms_endpoint: str = "https://dysmsapi.aliyuncs.com"
    aliyun_voice_endpoint: str = "https://dyvmsapi.aliyuncs.com"
    webhook_provider_url: str = ""
    webhook_provider_secret: str = ""
    # Signs short-lived download links. Empty: generated once and kept in the database,
    # so every node of a cluster shares it.
    secret_key: str = ""
    # Files (docs/configuration.md): where bytes live and how big an upload may be.
    storage_backend: str = "local"  # local | s3
    s3_endpoint_url: str = ""
    s3_bucket: str = "hobnail"
    s3_region: str = "us-east-1"
    s3_access_key_id: str = ""
    s3_secret_access_key: str = ""
    s3_part_mb: int = 16
    file_max_bytes: int = 4 * 1024**3  # the server's ceiling; each organisation may set less
    upload_expiry_hours: int = 24
    download_link_seconds: int = 600
    thumbnail_max_source_bytes: int = 40 * 1024 * 1024

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'hobnail.db').resolve()}"

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")


def _coerce(name: str, raw: object, default: object) -> object:
    if isinstance(default, bool) or name == "log_json":
        return raw if isinstance(raw, bool) else _as_bool(str(raw))
    if isinstance(default, int):
        return int(str(raw))
    if isinstance(default, float):
        return float(str(raw))
    if isinstance(default, Path):
        return Path(str(raw))
    return str(raw)


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Build settings from an optional TOML file and then ``HOBNAIL_*`` variables."""
    env = dict(os.environ if environ is None else environ)
    values: dict[str, object] = {}
    defaults = Settings()
    config_file = env.get("HOBNAIL_CONFIG")
    if config_file:
        with open(config_file, "rb") as handle:
            for key, raw in tomllib.load(handle).items():
                values[key] = raw
    for f in fields(Settings):
        raw_env = env.get(f"HOBNAIL_{f.name.upper()}")
        if raw_env is not None and raw_env != "":
            values[f.name] = raw_env
    coerced = {
        name: _coerce(name, raw, getattr(defaults, name))
        for name, raw in values.items()
        if name in {f.name for f in fields(Settings)}
    }
    return Settings(**coerced)  # type: ignore[arg-type]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
