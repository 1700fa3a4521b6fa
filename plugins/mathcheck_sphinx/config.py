"""The extension's options in conf.py, each checked, and the MyST set-up the fences need."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError

from mathcheck import DEFAULT_TIME_LIMIT
from mathcheck.pages.fences import OURS

# name: (default, its types, what it takes, whether a value is one it takes)
OPTIONS: dict[str, tuple[Any, tuple[type, ...], str, Callable[[Any], bool]]] = {
    "mathcheck_cache_dir": ("", (str,), "a folder, as text (relative to conf.py's folder)",
                            lambda v: isinstance(v, str)),
    "mathcheck_jobs": (0, (int,), "a whole number of processes, 0 for one per CPU core",
                       lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0),
    "mathcheck_time_limit": (DEFAULT_TIME_LIMIT, (int, float), "a positive number of seconds",
                             lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0),
    "mathcheck_layout": ("numerator", (str,), "'numerator' or 'denominator'",
                         lambda v: v in ("numerator", "denominator")),
    "mathcheck_verified_page": ("", (str,), "a page of the site, with an optional anchor, such as "
                                "'index.md#verified'", lambda v: isinstance(v, str)),
}


def add_options(app: Sphinx) -> None:
    """Declare the options; a change of any re-renders the blocks (no page is re-read for it)."""
    for name, (default, types, _, _) in OPTIONS.items():
        app.add_config_value(name, default, "", types=types)


def check_options(app: Sphinx, config: Config) -> None:
    """Each option checked: a wrong one stops the build, saying what to write."""
    for name, (_, _, takes, valid) in OPTIONS.items():
        if not valid(config[name]):
            raise ConfigError(f"mathcheck: conf.py sets {name} = {config[name]!r}; write {takes}")


def fences_as_directives(app: Sphinx, config: Config) -> None:
    """Have MyST read ```` ```derivation ```` and ```` ```derivation-table ```` fences as our
    directives, so a page written for MkDocs builds unchanged."""
    if "myst_fence_as_directive" not in config:
        raise ConfigError("mathcheck: MyST-Parser is too old to read ```derivation fences as directives; "
                          'install myst-parser>=2 (pip install "mathcheck[sphinx]")')
    config.myst_fence_as_directive = sorted({*config.myst_fence_as_directive, *OURS})
