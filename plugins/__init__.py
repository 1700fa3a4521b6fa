"""MkDocs plugins shipped with mathcheck."""
