"""tracker: read agent task reports, store them, keep deferred checks from being forgotten."""

__version__ = "0.1.0"
