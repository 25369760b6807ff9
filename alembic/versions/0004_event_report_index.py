"""Events by report: `tracker weekly` finds a window's item events from the reports near the
window instead of reading every event and its report; deleting a report (ON DELETE CASCADE)
finds its events the same way. tests/store/test_query_plans.py checks the weekly query uses it.

Revision ID: 0004_event_report_index
Revises: 0003_read_indexes
Create Date: 2026-11-25 22:15:00
"""

from __future__ import annotations

from alembic import op

revision = '0004_event_report_index'
down_revision = '0003_read_indexes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # CREATE INDEX only: no table copy, existing rows are indexed as it is built.
    op.create_index(op.f('ix_events_report_id'), 'events', ['report_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_events_report_id'), table_name='events')
