"""Shared fixtures for the engine tests: turning block specs into markdown."""
from __future__ import annotations

from collections.abc import Callable

import pytest
import yaml


def derivation_fence(spec: dict | str) -> str:
    """A ```derivation fence holding `spec` (a dict dumped as YAML, or raw YAML text)."""
    body = spec if isinstance(spec, str) else yaml.safe_dump(spec, sort_keys=False, allow_unicode=True)
    if not body.endswith("\n"):
        body += "\n"
    return f"```derivation\n{body}```\n"


def markdown_page(*specs: dict | str, heading: str = "Claims") -> str:
    """A page with a heading, a blank line, then each block followed by a blank line.

    The first fence opens on line 3.
    """
    parts = [f"# {heading}\n\n"]
    for spec in specs:
        parts.append(derivation_fence(spec))
        parts.append("\n")
    return "".join(parts)


@pytest.fixture(scope="session")
def page_of() -> Callable[..., str]:
    """Build a markdown page from block specs: `page_of(spec, ...)`."""
    return markdown_page
