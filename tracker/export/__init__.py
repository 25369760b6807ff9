"""`tracker weekly`: the as-of weekly summary and its renderers (Markdown, HTML, JSON, CSV)."""
