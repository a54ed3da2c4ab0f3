"""Which providers this server has, from its settings."""

from __future__ import annotations

from hobnail.core.config import Settings
from hobnail.domains.ding.providers.aliyun import AliyunProvider
from hobnail.domains.ding.providers.base import EmailProvider, SmsProvider, VoiceProvider
from hobnail.domains.ding.providers.smtp import SmtpProvider
from hobnail.domains.ding.providers.twilio import TwilioProvider
from hobnail.domains.ding.providers.webhook import WebhookProvider


def _twilio(settings: Settings) -> TwilioProvider | None:
    if not (settings.twilio_account_sid and settings.twilio_auth_token and settings.twilio_from):
        return None
    return TwilioProvider(
        account_sid=settings.twilio_account_sid,
        auth_token=settings.twilio_auth_token,
        from_number=settings.twilio_from,
        base_url=settings.twilio_base_url,
    )


def _aliyun(settings: Settings) -> AliyunProvider | None:
    if not (settings.aliyun_access_key_id and settings.aliyun_access_key_secret):
        return None
    return AliyunProvider(
        access_key_id=settings.aliyun_access_key_id,
        access_key_secret=settings.aliyun_access_key_secret,
        sms_sign_name=settings.aliyun_sms_sign_name,
        sms_template_code=settings.aliyun_sms_template_code,
        voice_show_number=settings.aliyun_voice_show_number,
        voice_tts_code=settings.aliyun_voice_tts_code,
        sms_endpoint=settings.aliyun_sms_endpoint,
        voice_endpoint=settings.aliyun_voice_endpoint,
    )


def _webhook(settings: Settings) -> WebhookProvider | None:
    if not (settings.webhook_provider_url and settings.webhook_provider_secret):
        return None
    return WebhookProvider(settings.webhook_provider_url, settings.webhook_provider_secret)


def sms_provider(settings: Settings) -> SmsProvider | None:
    return {"twilio": _twilio, "aliyun": _aliyun, "webhook": _webhook}.get(settings.sms_provider, lambda _s: None)(
        settings
    )


def voice_provider(settings: Settings) -> VoiceProvider | None:
    return {"twilio": _twilio, "aliyun": _aliyun, "webhook": _webhook}.get(settings.voice_provider, lambda _s: None)(
        settings
    )


def email_provider(settings: Settings) -> EmailProvider | None:
    return SmtpProvider(settings) if settings.smtp_host and settings.smtp_from else None


def channel_availability(settings: Settings) -> dict[str, str | None]:
    """Each channel → None when available, else why not (shown in the composer)."""
    return {
        "in_app": None,
        "sms": None if sms_provider(settings) else "No SMS provider is configured on this server.",
        "voice": None if voice_provider(settings) else "No voice-call provider is configured on this server.",
        "email": None if email_provider(settings) else "No SMTP server is configured on this server.",
    }
