"""Fixtures for the Sphinx extension's build tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx_sites import Build, copy_site, sphinx_build


@pytest.fixture(scope="module")
def good_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The fixture site, built once with an empty cache."""
    root = tmp_path_factory.mktemp("good")
    return sphinx_build(copy_site(root), cache_dir=root / "cache")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A fresh copy of the fixture site, to plant something in."""
    return copy_site(tmp_path)
