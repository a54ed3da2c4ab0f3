"""E-mail over SMTP (aiosmtplib)."""

from __future__ import annotations

from email.message import EmailMessage

import aiosmtplib

from hobnail.core.config import Settings
from hobnail.domains.ding.providers.base import SendResult


class SmtpProvider:
    name = "smtp"

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    async def send_email(self, *, to: str, subject: str, text: str, key: str) -> SendResult:
        s = self._settings
        message = EmailMessage()
        message["From"] = s.smtp_from
        message["To"] = to
        message["Subject"] = subject
        message["Message-ID"] = f"<ding-{key}@{s.smtp_from.split('@')[-1] or 'hobnail'}>"
        message.set_content(text)
        try:
            response = await aiosmtplib.send(
                message,
                hostname=s.smtp_host,
                port=s.smtp_port,
                username=s.smtp_username or None,
                password=s.smtp_password or None,
                use_tls=s.smtp_security == "tls",
                start_tls=s.smtp_security == "starttls",
                timeout=15,
            )
        except aiosmtplib.SMTPRecipientsRefused as error:
            return SendResult(ok=False, error=f"recipient refused: {error}"[:500])
        except (aiosmtplib.SMTPException, OSError) as error:
            return SendResult(ok=False, error=f"smtp: {error}"[:500], retryable=True)
        return SendResult(ok=True, provider_ref=str(response[1])[:100])
