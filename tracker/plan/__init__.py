"""Plans: what should happen (task lists, runner state, GSD roadmaps), read into one typed model
and held against the reports of what did happen. No database here; the store calls this."""
