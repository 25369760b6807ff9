"""Read paths: reports carry their task id in plain columns (no JSON read for listings), with
covering indexes for `tracker status` and the deferred-item flags; existing rows are backfilled.
Every index here is used by a query that tests/store/test_query_plans.py checks.

Revision ID: 0003_read_indexes
Revises: 0002_plans
Create Date: 2026-11-25 21:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003_read_indexes'
down_revision = '0002_plans'
branch_labels = None
depends_on = None

BATCH = 2000


def upgrade() -> None:
    # Plain ALTER TABLE ... ADD COLUMN and CREATE INDEX: no copy of the (large) reports table.
    op.add_column('reports', sa.Column('task_ref', sa.Text(), nullable=True))
    op.add_column('reports', sa.Column('task_scheme', sa.Text(), nullable=True))
    op.add_column('reports', sa.Column('task_order', sa.Text(), nullable=True))
    _backfill()
    op.create_index('ix_reports_task_order', 'reports',
                    ['project_id', 'is_current', 'task_order', 'task_scheme', 'task_ref'], unique=False)
    op.create_index('ix_reports_flag_inputs', 'reports',
                    ['project_id', 'is_current', 'reported_at', 'id', 'task_ref', 'completed', 'source_path'],
                    unique=False)
    op.create_index('ix_deferred_items_owed_targets', 'deferred_items',
                    ['state', 'target', 'project_id', 'first_seen_report_id', 'task_id'], unique=False)
    op.create_index(op.f('ix_deferred_items_state_kind_task_id'), 'deferred_items',
                    ['state', 'kind', 'task_id'], unique=False)
    op.create_index(op.f('ix_reports_project_id_status'), 'reports', ['project_id', 'status'], unique=False)
    op.create_index(op.f('ix_tasks_latest_report_id'), 'tasks', ['latest_report_id'], unique=False)


def _backfill() -> None:
    """Every stored revision gets the columns a new ingest writes (`schema.task_columns`)."""
    from tracker.store.schema import task_columns

    reports = sa.table('reports', sa.column('id', sa.Integer()), sa.column('parsed', sa.JSON()),
                       sa.column('task_ref', sa.Text()), sa.column('task_scheme', sa.Text()),
                       sa.column('task_order', sa.Text()))
    conn = op.get_bind()
    rows = conn.execute(sa.select(reports.c.id, reports.c.parsed['task']['id'].as_string())).all()
    update = (sa.update(reports).where(reports.c.id == sa.bindparam('rid'))
              .values(task_ref=sa.bindparam('ref'), task_scheme=sa.bindparam('scheme'),
                      task_order=sa.bindparam('order')))
    for start in range(0, len(rows), BATCH):
        params = []
        for rid, task_id in rows[start:start + BATCH]:
            cols = task_columns(task_id)
            params.append({'rid': rid, 'ref': cols['task_ref'], 'scheme': cols['task_scheme'],
                           'order': cols['task_order']})
        conn.execute(update, params)


def downgrade() -> None:
    # Plain ALTER TABLE ... DROP COLUMN (SQLite >= 3.35): a batch copy of `reports` would drop the
    # old table, and its ON DELETE actions would empty the rows that point at reports.
    op.drop_index(op.f('ix_tasks_latest_report_id'), table_name='tasks')
    op.drop_index(op.f('ix_reports_project_id_status'), table_name='reports')
    op.drop_index(op.f('ix_deferred_items_state_kind_task_id'), table_name='deferred_items')
    op.drop_index('ix_deferred_items_owed_targets', table_name='deferred_items')
    op.drop_index('ix_reports_flag_inputs', table_name='reports')
    op.drop_index('ix_reports_task_order', table_name='reports')
    op.drop_column('reports', 'task_order')
    op.drop_column('reports', 'task_scheme')
    op.drop_column('reports', 'task_ref')
