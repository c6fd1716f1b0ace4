"""The directory of destinations; cases, accounts and delivery jobs say which destination.

Existing rows are kept: older cases and their delivery jobs belong to the AdviceLine
(`deliveries.destination_id` backfilled "adviceline", `channel` "webhook", as they
were sent), `cases.destination_id` and `advisers.destination_id` stay NULL (an older
case is the AdviceLine's; an account without a destination is an admin's or is given
one with `bot.entrypoints.cli advisers`). A delivery job is now unique per case, destination and
channel, so a case passed on or escalated gets jobs of its own.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 00:00:00

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "destinations",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("areas", sa.Text(), nullable=False),
        sa.Column("postcodes", sa.Text(), nullable=False),
        sa.Column("workplace", sa.String(120), nullable=True),
        sa.Column("branch_id", sa.String(64), nullable=True),
        sa.Column("contact", sa.String(200), nullable=True),
        sa.Column("webhook_url", sa.String(500), nullable=True),
        sa.Column("webhook_secret_env", sa.String(64), nullable=True),
        sa.Column("email", sa.String(254), nullable=True),
        sa.CheckConstraint("kind IN ('adviceline', 'branch', 'workplace_rep')", name="ck_destinations_kind"),
        sa.PrimaryKeyConstraint("id", name="pk_destinations"),
    )
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("destination_id", sa.String(64), nullable=True))
    with op.batch_alter_table("advisers") as batch:
        batch.add_column(sa.Column("destination_id", sa.String(64), nullable=True))
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("destination_id", sa.String(64), nullable=False, server_default="adviceline"))
        batch.add_column(sa.Column("channel", sa.String(8), nullable=False, server_default="webhook"))
    # The defaults only backfilled the old rows; new jobs always say where they go.
    with op.batch_alter_table("deliveries") as batch:
        batch.alter_column("destination_id", server_default=None, existing_type=sa.String(64), existing_nullable=False)
        batch.alter_column("channel", server_default=None, existing_type=sa.String(8), existing_nullable=False)
        batch.drop_constraint("uq_deliveries_case_reference", type_="unique")
        batch.create_unique_constraint(
            "uq_deliveries_case_destination_channel", ["case_reference", "destination_id", "channel"]
        )
        batch.create_check_constraint("ck_deliveries_channel", "channel IN ('webhook', 'email')")


def downgrade() -> None:
    # Going back keeps one job per case (its first); later ones (email, pass-on,
    # escalation) are removed, as the older schema has no room for them.
    op.execute(
        "DELETE FROM deliveries WHERE id NOT IN ("
        " SELECT MIN(id) FROM deliveries GROUP BY case_reference)"
    )
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_constraint("ck_deliveries_channel", type_="check")
        batch.drop_constraint("uq_deliveries_case_destination_channel", type_="unique")
        batch.create_unique_constraint("uq_deliveries_case_reference", ["case_reference"])
        batch.drop_column("channel")
        batch.drop_column("destination_id")
    with op.batch_alter_table("advisers") as batch:
        batch.drop_column("destination_id")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("destination_id")
    op.drop_table("destinations")
