"""Which parser read each stored revision (`tracker.parser_version.parser_version()`), so an
upgrade can tell the reports an earlier parser read and `tracker ingest --reparse` can read them
again. Rows stored before this revision have none: an earlier parser read them.

Revision ID: 0006_parser_version
Revises: 0005_read_cache
Create Date: 2026-11-26 02:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006_parser_version'
down_revision = '0005_read_cache'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('reports', sa.Column('parser_version', sa.String(length=16), nullable=True))


def downgrade() -> None:
    op.drop_column('reports', 'parser_version')  # SQLite 3.35+ drops it in place (no table copy)
