"""Anonymous monthly tallies of check-up answers (kept only when CHECKUP_COUNTS is on).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 00:00:00

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "checkup_counts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("item", sa.String(32), nullable=False),
        sa.Column("outcome", sa.String(8), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_checkup_counts"),
        sa.UniqueConstraint("month", "kind", "item", "outcome", name="uq_checkup_counts_tally"),
    )


def downgrade() -> None:
    op.drop_table("checkup_counts")
