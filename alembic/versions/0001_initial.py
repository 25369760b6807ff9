"""Initial schema: projects, tasks, report revisions and their rows, deferred items, events.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-25 18:32:59.582170
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001_initial'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('root', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_projects')),
    sa.UniqueConstraint('name', name=op.f('uq_projects_name'))
    )
    op.create_table('tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('task_key', sa.String(length=200), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('category', sa.String(length=200), nullable=True),
    sa.Column('phase', sa.String(length=200), nullable=True),
    sa.Column('latest_report_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['latest_report_id'], ['reports.id'], name=op.f('fk_tasks_latest_report_id_reports'), ondelete='SET NULL', use_alter=True),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_tasks_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tasks')),
    sa.UniqueConstraint('project_id', 'task_key', name=op.f('uq_tasks_project_id_task_key'))
    )
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tasks_task_key'), ['task_key'], unique=False)

    op.create_table('reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('source_path', sa.Text(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('mtime', sa.Float(), nullable=True),
    sa.Column('ingested_at', sa.DateTime(), nullable=False),
    sa.Column('reported_at', sa.DateTime(), nullable=False),
    sa.Column('format', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_raw', sa.Text(), nullable=True),
    sa.Column('status_qualifier', sa.Text(), nullable=True),
    sa.Column('status_line', sa.Integer(), nullable=True),
    sa.Column('validation', sa.String(length=20), nullable=True),
    sa.Column('validation_raw', sa.Text(), nullable=True),
    sa.Column('validation_qualifier', sa.Text(), nullable=True),
    sa.Column('validation_line', sa.Integer(), nullable=True),
    sa.Column('completed', sa.String(length=40), nullable=True),
    sa.Column('started', sa.String(length=40), nullable=True),
    sa.Column('task_title', sa.Text(), nullable=True),
    sa.Column('task_category', sa.String(length=200), nullable=True),
    sa.Column('parsed', sa.JSON(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_reports_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_reports_task_id_tasks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reports')),
    sa.UniqueConstraint('project_id', 'source_path', 'revision', name=op.f('uq_reports_project_id_source_path_revision'))
    )
    if op.get_bind().dialect.supports_alter:
        # SQLite created this foreign key inline; other databases need it now that reports exists.
        op.create_foreign_key(op.f('fk_tasks_latest_report_id_reports'), 'tasks', 'reports',
                              ['latest_report_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reports_project_id_reported_at'), ['project_id', 'reported_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_reports_project_id_source_path_is_current'), ['project_id', 'source_path', 'is_current'], unique=False)
        batch_op.create_index(batch_op.f('ix_reports_task_id_is_current'), ['task_id', 'is_current'], unique=False)

    op.create_table('checklist_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('section', sa.Text(), nullable=True),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_checklist_items_report_id_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_items'))
    )
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_items_report_id'), ['report_id'], unique=False)

    op.create_table('deferred_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('short_id', sa.String(length=16), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('terms', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=True),
    sa.Column('target', sa.String(length=200), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('section', sa.Text(), nullable=True),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('end_line', sa.Integer(), nullable=False),
    sa.Column('lines', sa.JSON(), nullable=False),
    sa.Column('first_seen_report_id', sa.Integer(), nullable=False),
    sa.Column('last_seen_report_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('state_changed_at', sa.DateTime(), nullable=False),
    sa.Column('closed_by_report_id', sa.Integer(), nullable=True),
    sa.Column('closed_line', sa.Integer(), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('closure_rule', sa.String(length=20), nullable=True),
    sa.Column('closure_score', sa.Float(), nullable=True),
    sa.Column('closure_lines', sa.JSON(), nullable=True),
    sa.Column('close_note', sa.Text(), nullable=True),
    sa.Column('waived_reason', sa.Text(), nullable=True),
    sa.Column('withdrawn_from', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['closed_by_report_id'], ['reports.id'], name=op.f('fk_deferred_items_closed_by_report_id_reports'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['first_seen_report_id'], ['reports.id'], name=op.f('fk_deferred_items_first_seen_report_id_reports'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['last_seen_report_id'], ['reports.id'], name=op.f('fk_deferred_items_last_seen_report_id_reports'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_deferred_items_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_deferred_items_task_id_tasks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deferred_items')),
    sa.UniqueConstraint('short_id', name=op.f('uq_deferred_items_short_id')),
    sa.UniqueConstraint('task_id', 'fingerprint', name=op.f('uq_deferred_items_task_id_fingerprint'))
    )
    with op.batch_alter_table('deferred_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deferred_items_project_id_state'), ['project_id', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_deferred_items_project_id_target'), ['project_id', 'target'], unique=False)
        batch_op.create_index(batch_op.f('ix_deferred_items_state_opened_at'), ['state', 'opened_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_deferred_items_task_id_state'), ['task_id', 'state'], unique=False)

    op.create_table('file_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_file_changes_report_id_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_file_changes'))
    )
    with op.batch_alter_table('file_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_file_changes_path'), ['path'], unique=False)
        batch_op.create_index(batch_op.f('ix_file_changes_report_id'), ['report_id'], unique=False)

    op.create_table('closure_candidates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['deferred_items.id'], name=op.f('fk_closure_candidates_item_id_deferred_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_closure_candidates_report_id_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_closure_candidates')),
    sa.UniqueConstraint('item_id', 'report_id', 'line', name=op.f('uq_closure_candidates_item_id_report_id_line'))
    )
    with op.batch_alter_table('closure_candidates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_closure_candidates_item_id'), ['item_id'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('line', sa.Integer(), nullable=True),
    sa.Column('from_state', sa.String(length=20), nullable=True),
    sa.Column('to_state', sa.String(length=20), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['deferred_items.id'], name=op.f('fk_events_item_id_deferred_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_events_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_events_report_id_reports'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_events_task_id_tasks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_project_id_at'), ['project_id', 'at'], unique=False)

    op.create_table('item_mentions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('end_line', sa.Integer(), nullable=False),
    sa.Column('lines', sa.JSON(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['deferred_items.id'], name=op.f('fk_item_mentions_item_id_deferred_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_item_mentions_report_id_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_item_mentions')),
    sa.UniqueConstraint('item_id', 'report_id', name=op.f('uq_item_mentions_item_id_report_id'))
    )
    with op.batch_alter_table('item_mentions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_mentions_report_id'), ['report_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('item_mentions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_mentions_report_id'))

    op.drop_table('item_mentions')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_project_id_at'))
        batch_op.drop_index(batch_op.f('ix_events_item_id'))

    op.drop_table('events')
    with op.batch_alter_table('closure_candidates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_closure_candidates_item_id'))

    op.drop_table('closure_candidates')
    with op.batch_alter_table('file_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_file_changes_report_id'))
        batch_op.drop_index(batch_op.f('ix_file_changes_path'))

    op.drop_table('file_changes')
    with op.batch_alter_table('deferred_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deferred_items_task_id_state'))
        batch_op.drop_index(batch_op.f('ix_deferred_items_state_opened_at'))
        batch_op.drop_index(batch_op.f('ix_deferred_items_project_id_target'))
        batch_op.drop_index(batch_op.f('ix_deferred_items_project_id_state'))

    op.drop_table('deferred_items')
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_items_report_id'))

    op.drop_table('checklist_items')
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reports_task_id_is_current'))
        batch_op.drop_index(batch_op.f('ix_reports_project_id_source_path_is_current'))
        batch_op.drop_index(batch_op.f('ix_reports_project_id_reported_at'))

    if op.get_bind().dialect.supports_alter:
        op.drop_constraint(op.f('fk_tasks_latest_report_id_reports'), 'tasks', type_='foreignkey')
    op.drop_table('reports')
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tasks_task_key'))

    op.drop_table('tasks')
    op.drop_table('projects')
