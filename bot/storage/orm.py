"""Tables and the imperative mapping of `model.Case` / `model.Delivery` onto them.

The tables here are the ORM's view; the schema itself is owned by the Alembic
migrations in `migrations/versions`, and a test checks the two agree.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import registry
from sqlalchemy.types import TypeDecorator

from bot.case_records import CASE_STATUSES, DELIVERY_STATES, Case, CaseCount, Delivery
from bot.clock import UTC
from bot.directory.model import CHANNELS, KINDS
from bot.inbox.model import ROLES, Adviser, AdviserSession, AuditEntry, CaseClaim

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UtcDateTime(TypeDecorator):
    """Aware UTC datetimes in and out, on PostgreSQL (timestamptz) and SQLite (naive text).

    SQLite drops the offset, so values are normalised to UTC before storing and
    tagged as UTC when read; comparisons in SQL then stay correct on both.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("reference", String(32), nullable=False, unique=True),
    Column("conversation_id", String(128)),
    Column("case_type", String(16), nullable=False),
    Column("urgency", String(16), nullable=False),
    Column("route", String(32), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("status", String(16), nullable=False, default="new"),
    Column("payload", Text, nullable=False),
    Column("safety_concern", Boolean, nullable=False, default=False),
    # The directory entry that has the case now (NULL: a case from before the directory,
    # read as the AdviceLine). No foreign key: a destination can leave the directory
    # while its cases stay, and escalation moves them on.
    Column("destination_id", String(64)),
    CheckConstraint(_in("status", CASE_STATUSES), name="status"),
)


def _one_per_case() -> Column:
    """`case_reference`: at most one row per case, removed with the case."""
    return Column(
        "case_reference", String(32), ForeignKey("cases.reference", ondelete="CASCADE"), nullable=False, unique=True
    )


deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_reference", String(32), ForeignKey("cases.reference", ondelete="CASCADE"), nullable=False),
    # One job per case, destination and channel: a case passed on or escalated gets new jobs.
    Column("destination_id", String(64), nullable=False),
    Column("channel", String(8), nullable=False),
    Column("state", String(16), nullable=False),
    Column("urgency_rank", SmallInteger, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("locked_until", UtcDateTime),
    Column("last_status_code", Integer),
    Column("last_error", String(200)),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("delivered_at", UtcDateTime),
    Column("requeued_at", UtcDateTime),
    CheckConstraint(_in("state", DELIVERY_STATES), name="state"),
    CheckConstraint(_in("channel", CHANNELS), name="channel"),
    UniqueConstraint("case_reference", "destination_id", "channel", name="uq_deliveries_case_destination_channel"),
    Index("ix_deliveries_due", "state", "urgency_rank", "created_at"),
)

mapper_registry = registry(metadata=metadata)
mapper_registry.map_imperatively(Case, cases)
mapper_registry.map_imperatively(Delivery, deliveries)

# --- the adviser inbox (bot.inbox): accounts, sessions, claims, audit log ----------

advisers = Table(
    "advisers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    # Whose cases the account sees (bot.directory); NULL for admins.
    Column("destination_id", String(64)),
    CheckConstraint(_in("role", ROLES), name="role"),
)

adviser_sessions = Table(
    "adviser_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("adviser_id", Integer, ForeignKey("advisers.id", ondelete="CASCADE"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_seen_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Index("ix_adviser_sessions_expires_at", "expires_at"),
)

case_claims = Table(
    "case_claims",
    metadata,
    Column("id", Integer, primary_key=True),
    _one_per_case(),
    Column("adviser_email", String(254), nullable=False),
    Column("claimed_at", UtcDateTime, nullable=False),
)

# No foreign keys: the log outlives the accounts and cases it mentions.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UtcDateTime, nullable=False),
    Column("actor", String(254)),
    Column("action", String(32), nullable=False),
    Column("case_reference", String(32)),
    Column("detail", String(200)),
    Index("ix_audit_log_at", "at"),
    Index("ix_audit_log_case_reference", "case_reference"),
)

mapper_registry.map_imperatively(Adviser, advisers)
mapper_registry.map_imperatively(AdviserSession, adviser_sessions)
mapper_registry.map_imperatively(CaseClaim, case_claims)
mapper_registry.map_imperatively(AuditEntry, audit_log)

# --- data protection (retention and erasure): anonymous counts of deleted cases -------

case_counts = Table(
    "case_counts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("month", String(7), nullable=False),
    Column("case_type", String(16), nullable=False),
    Column("urgency", String(16), nullable=False),
    Column("route", String(32), nullable=False),
    Column("count", Integer, nullable=False, default=0),
    UniqueConstraint("month", "case_type", "urgency", "route", name="uq_case_counts_kind"),
)

mapper_registry.map_imperatively(CaseCount, case_counts)

# --- check-ups (issue 6, optional): anonymous monthly tallies of answers --------------

checkup_counts = Table(
    "checkup_counts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("month", String(7), nullable=False),
    Column("kind", String(24), nullable=False),
    Column("item", String(32), nullable=False),
    Column("outcome", String(8), nullable=False),
    Column("count", Integer, nullable=False, default=0),
    UniqueConstraint("month", "kind", "item", "outcome", name="uq_checkup_counts_tally"),
)

# --- the directory (bot.directory): where cases go ----------------------------------------

# Rows are read and written by bot.directory.repository as Destination values (frozen,
# so not mapped). Lists are JSON text; `position` keeps the file's order for export.
destinations = Table(
    "destinations",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("name", String(120), nullable=False),
    Column("areas", Text, nullable=False),
    Column("postcodes", Text, nullable=False),
    Column("workplace", String(120)),
    Column("branch_id", String(64)),
    Column("contact", String(200)),
    Column("webhook_url", String(500)),
    Column("webhook_secret_env", String(64)),
    Column("email", String(254)),
    CheckConstraint(_in("kind", KINDS), name="kind"),
)
