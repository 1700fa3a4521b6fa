"""Fixtures for the plugin's build tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from plugin_sites import make_site


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One verdict cache for the builds whose test is not about caching."""
    return tmp_path_factory.mktemp("mathcheck-cache")


@pytest.fixture
def site_factory(tmp_path: Path) -> Callable[..., Path]:
    """Makes a fixture site in this test's temporary folder."""
    return lambda *pages, **options: make_site(tmp_path, pages, **options)
