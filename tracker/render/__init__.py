"""Turning read-side results into table, JSON or CSV output for the CLI."""
