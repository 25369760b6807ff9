"""Read cache: `tracker status` on a 100k-report database spent most of its second in ten
aggregate queries; writers now keep the answer (one row, tagged with the newest event id) and
`status` reads it while no event has been written since.

Revision ID: 0005_read_cache
Revises: 0004_event_report_index
Create Date: 2026-11-25 23:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005_read_cache'
down_revision = '0004_event_report_index'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'read_cache',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('version', sa.String(length=40), nullable=False),
        sa.Column('mark', sa.Integer(), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_read_cache')),
    )


def downgrade() -> None:
    op.drop_table('read_cache')
