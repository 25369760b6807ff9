"""`first_boundary_after` is `before` tested at each week boundary in turn, decided once per row."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, case, create_engine, insert, select

from tracker.export.weekly import before, first_boundary_after
from tracker.export.window import resolve_window

ROWS = MetaData()
REPORTS = Table("reports", ROWS, Column("id", Integer), Column("completed", String(40)),
                Column("reported_at", DateTime), Column("at", DateTime))

START = datetime(2026, 10, 1)
near_week_ends = st.builds(  # within 14 h of a Monday midnight, where zones disagree about the day
    lambda week, minutes: datetime(2026, 10, 5) + timedelta(weeks=week, minutes=minutes),
    st.integers(0, 8), st.integers(-14 * 60, 14 * 60))
moments = st.one_of(st.integers(0, 60 * 24 * 60).map(lambda minutes: START + timedelta(minutes=minutes)),
                    near_week_ends)
completed_texts = st.one_of(
    st.none(),
    moments.map(lambda m: m.date().isoformat()),                      # a date alone
    moments.map(lambda m: m.strftime("%Y-%m-%dT%H:%M:%S")),           # wall-clock time, no zone
    moments.map(lambda m: m.strftime("%Y-%m-%dT%H:%M:%SZ")),          # UTC
    moments.map(lambda m: m.strftime("%Y-%m-%d %H:%M+02:00")),        # an offset
    moments.map(lambda m: m.strftime("%Y-%m-%dT%H:%M-05:30")),
    moments.map(lambda m: m.strftime("%Y-%m-%d")[:9] + "Z"),          # 10 characters and zoned
    st.sampled_from(["", "soon", "2026-1-5"]),                        # what a report may also say
)
rows = st.lists(st.tuples(st.booleans(), completed_texts, moments, moments), min_size=1, max_size=40)


@settings(max_examples=200, deadline=None)
@given(rows=rows, zone=st.sampled_from(["UTC", "Asia/Tokyo", "America/Los_Angeles", "Europe/Helsinki"]))
def test_bucket_is_the_first_boundary_before_says(rows, zone: str) -> None:
    window = resolve_window(week="2026-W47", zone=zone)
    boundaries = [window.boundary(day) for day in window.trend_ends(8)]
    engine = create_engine("sqlite://")
    ROWS.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(REPORTS), [
            {"id": n if has_report else None, "completed": text, "reported_at": reported, "at": at}
            for n, (has_report, text, reported, at) in enumerate(rows, start=1)])
        reference = case(*[(before(b, REPORTS.c, REPORTS.c.at), i) for i, b in enumerate(boundaries)],
                         else_=len(boundaries))
        fast = first_boundary_after(boundaries, REPORTS.c, REPORTS.c.at)
        got = conn.execute(select(reference, fast)).all()
    assert [f for _, f in got] == [r for r, _ in got]
