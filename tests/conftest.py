"""One wheel, built and installed into a fresh environment once, for every test that needs it."""

from __future__ import annotations

import pytest
from installed_package import Installed, install


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    return install(tmp_path_factory.mktemp("package"))
