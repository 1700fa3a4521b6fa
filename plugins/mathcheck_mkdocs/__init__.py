"""The `mathcheck` MkDocs plugin: checks derivation blocks and typesets them in the page."""
