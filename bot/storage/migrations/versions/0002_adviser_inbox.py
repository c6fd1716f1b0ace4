"""The adviser inbox: accounts, sign-in sessions, case claims and the audit log.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02 00:00:00

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "advisers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint("role IN ('adviser', 'admin')", name="ck_advisers_role"),
        sa.PrimaryKeyConstraint("id", name="pk_advisers"),
        sa.UniqueConstraint("email", name="uq_advisers_email"),
    )
    op.create_table(
        "adviser_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("adviser_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("last_seen_at", TIMESTAMP, nullable=False),
        sa.Column("expires_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["adviser_id"], ["advisers.id"], name="fk_adviser_sessions_adviser_id_advisers", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_adviser_sessions"),
        sa.UniqueConstraint("token_hash", name="uq_adviser_sessions_token_hash"),
    )
    op.create_index("ix_adviser_sessions_expires_at", "adviser_sessions", ["expires_at"])
    op.create_table(
        "case_claims",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_reference", sa.String(32), nullable=False),
        sa.Column("adviser_email", sa.String(254), nullable=False),
        sa.Column("claimed_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["case_reference"], ["cases.reference"], name="fk_case_claims_case_reference_cases", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_case_claims"),
        sa.UniqueConstraint("case_reference", name="uq_case_claims_case_reference"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", TIMESTAMP, nullable=False),
        sa.Column("actor", sa.String(254), nullable=True),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("case_reference", sa.String(32), nullable=True),
        sa.Column("detail", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_case_reference", "audit_log", ["case_reference"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_case_reference", table_name="audit_log")
    op.drop_index("ix_audit_log_at", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_table("case_claims")
    op.drop_index("ix_adviser_sessions_expires_at", table_name="adviser_sessions")
    op.drop_table("adviser_sessions")
    op.drop_table("advisers")
