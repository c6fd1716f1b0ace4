"""The one place that reads configuration from the environment (and `.env`).

Everything configurable is a field of `Settings`; `.env.example` documents each
variable. Defaults are embedded so that a laptop runs with no external service.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from dotenv import load_dotenv

if TYPE_CHECKING:
    from bot.delivery.email import SmtpSettings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SPEC_DIR = PROJECT_ROOT / "spec"

NATIONS = ("england-and-wales", "scotland", "northern-ireland")


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    return float(raw) if raw else default


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    return raw in ("1", "true", "yes", "on") if raw else default


def _str(name: str, default: str) -> str:
    raw = os.environ.get(name, "").strip()
    return raw or default


@dataclass(frozen=True)
class Settings:
    """Runtime configuration. Build with `Settings.from_env()` or `get_settings()`."""

    database_url: str
    handoff_webhook_url: str
    handoff_webhook_secret: str
    handoff_timeout_seconds: float
    delivery_max_attempts: int
    delivery_backoff_base_seconds: float
    delivery_backoff_max_seconds: float
    delivery_max_age_hours: float
    delivery_poll_seconds: float
    uk_nation: str
    timezone: str
    log_level: str
    delivery_lease_seconds: float = 120.0
    # --- web chat and adviser inbox (bot.entrypoints.web) ---
    web_interface: str = "127.0.0.1"
    web_port: int = 5058
    rasa_url: str = "http://127.0.0.1:5005"
    chat_timeout_seconds: float = 30.0
    # Chat messages accepted per minute from one conversation / one network address (0 = no limit).
    chat_messages_per_minute: int = 20
    chat_messages_per_minute_per_address: int = 600
    # A Redis shared by every web replica for those counts ("" = each process counts alone).
    chat_limits_redis_url: str = ""
    inbox_session_idle_minutes: float = 30.0
    inbox_session_max_hours: float = 8.0
    inbox_secure_cookies: bool = False
    inbox_max_failed_signins: int = 5
    # --- production topology and data protection (issue 5) ---
    # Rasa's SQL tracker store, so retention and erasure can reach conversations ("" = in memory).
    tracker_store_url: str = ""
    # A conversation idle this long starts a new session (its slots forgotten), so trackers stay small.
    conversation_idle_minutes: float = 60.0
    retention_days: int = 365
    # Anonymous monthly tallies of check-up answers for admins (issue 6: off unless the union opts in).
    checkup_counts: bool = False
    retention_anonymise: bool = True
    # Where the action server listens (rasa_addons.action_server): loopback unless a network
    # policy guards the port.
    action_interface: str = "127.0.0.1"
    # The secret the Rasa server sends to the action server (Authorization: Bearer ...).
    action_server_token: str = ""
    # --- email notices to destinations (issue 13, bot.delivery.email) ---
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = "NEU adviser inbox <no-reply@example.org>"
    smtp_timeout_seconds: float = 10.0
    # The inbox as advisers reach it, for the link in each notice.
    inbox_base_url: str = "http://127.0.0.1:5058"
    # An urgent case a branch or rep has not claimed within this many working hours (the
    # AdviceLine's opening hours) goes to the AdviceLine (bot.delivery.escalation; 0 = never).
    escalate_after_working_hours: float = 4.0

    @classmethod
    def from_env(cls) -> Settings:
        nation = _str("UK_NATION", "england-and-wales").lower()
        if nation not in NATIONS:
            raise ValueError(f"UK_NATION must be one of {', '.join(NATIONS)}, not {nation!r}")
        default_db = f"sqlite:///{PROJECT_ROOT / 'var' / 'cases.sqlite3'}"
        return cls(
            database_url=_str("DATABASE_URL", default_db),
            handoff_webhook_url=_str("HANDOFF_WEBHOOK_URL", "http://127.0.0.1:5056/handoffs"),
            handoff_webhook_secret=os.environ.get("HANDOFF_WEBHOOK_SECRET", ""),
            handoff_timeout_seconds=_float("HANDOFF_TIMEOUT_SECONDS", 10.0),
            delivery_max_attempts=_int("DELIVERY_MAX_ATTEMPTS", 8),
            delivery_backoff_base_seconds=_float("DELIVERY_BACKOFF_BASE_SECONDS", 2.0),
            delivery_backoff_max_seconds=_float("DELIVERY_BACKOFF_MAX_SECONDS", 300.0),
            delivery_max_age_hours=_float("DELIVERY_MAX_AGE_HOURS", 72.0),
            delivery_poll_seconds=_float("DELIVERY_POLL_SECONDS", 2.0),
            uk_nation=nation,
            timezone="Europe/London",
            log_level=_str("LOG_LEVEL", "INFO").upper(),
            delivery_lease_seconds=_float("DELIVERY_LEASE_SECONDS", 120.0),
            web_interface=_str("WEB_INTERFACE", "127.0.0.1"),
            web_port=_int("WEB_PORT", 5058),
            rasa_url=_str("RASA_URL", f"http://127.0.0.1:{_int('RASA_PORT', 5005)}").rstrip("/"),
            chat_timeout_seconds=_float("CHAT_TIMEOUT_SECONDS", 30.0),
            chat_messages_per_minute=_int("CHAT_MESSAGES_PER_MINUTE", 20),
            chat_messages_per_minute_per_address=_int("CHAT_MESSAGES_PER_MINUTE_PER_ADDRESS", 600),
            chat_limits_redis_url=_str("CHAT_LIMITS_REDIS_URL", ""),
            inbox_session_idle_minutes=_float("INBOX_SESSION_IDLE_MINUTES", 30.0),
            inbox_session_max_hours=_float("INBOX_SESSION_MAX_HOURS", 8.0),
            inbox_secure_cookies=_bool("INBOX_SECURE_COOKIES", False),
            inbox_max_failed_signins=_int("INBOX_MAX_FAILED_SIGNINS", 5),
            tracker_store_url=_str("TRACKER_STORE_URL", ""),
            conversation_idle_minutes=_float("CONVERSATION_IDLE_MINUTES", 60.0),
            retention_days=_int("RETENTION_DAYS", 365),
            checkup_counts=_bool("CHECKUP_COUNTS", False),
            retention_anonymise=_bool("RETENTION_ANONYMISE", True),
            action_interface=_str("ACTION_INTERFACE", "127.0.0.1"),
            action_server_token=os.environ.get("ACTION_SERVER_TOKEN", "").strip(),
            smtp_host=_str("SMTP_HOST", ""),
            smtp_port=_int("SMTP_PORT", 25),
            smtp_starttls=_bool("SMTP_STARTTLS", False),
            smtp_user=_str("SMTP_USER", ""),
            smtp_password=os.environ.get("SMTP_PASSWORD", ""),
            smtp_from=_str("SMTP_FROM", "NEU adviser inbox <no-reply@example.org>"),
            smtp_timeout_seconds=_float("SMTP_TIMEOUT_SECONDS", 10.0),
            escalate_after_working_hours=_float("ESCALATE_AFTER_WORKING_HOURS", 4.0),
            inbox_base_url=_str("INBOX_BASE_URL", f"http://127.0.0.1:{_int('WEB_PORT', 5058)}").rstrip("/"),
        )

    def smtp(self) -> SmtpSettings:
        """The email notices' settings (bot.delivery.email)."""
        from bot.delivery.email import SmtpSettings

        return SmtpSettings(
            host=self.smtp_host,
            port=self.smtp_port,
            starttls=self.smtp_starttls,
            user=self.smtp_user,
            password=self.smtp_password,
            from_address=self.smtp_from,
            inbox_base_url=self.inbox_base_url,
            timeout_seconds=self.smtp_timeout_seconds,
        )


def secret_from_env(name: str) -> str:
    """A secret the directory names by its environment variable (a branch's webhook secret);
    "" when unset. Read here, like every setting, so `.env` counts too."""
    load_dotenv(PROJECT_ROOT / ".env", override=False)
    return os.environ.get(name, "").strip()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings for this process: `.env` (if present) under the real environment."""
    load_dotenv(PROJECT_ROOT / ".env", override=False)
    return Settings.from_env()
