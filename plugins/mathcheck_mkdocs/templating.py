"""Block and table HTML from Jinja2 templates (`templates/mathcheck/*.html`), which a site
overrides with a file of the same name under `mathcheck/` in its own template folder: the
theme's `custom_dir` under MkDocs, ProperDocs and Zensical, a `templates_path` folder under
Sphinx. Every value a template is given is HTML already (text in it escaped, math in its
`.arithmatex` wrappers); a line break in a template, with the indentation after it, is not
part of the output, so a template may be laid out for reading.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader
from jinja2.ext import Extension
from markupsafe import Markup

SHIPPED = Path(__file__).parent / "templates"
_overrides: tuple[str, ...] = ()


class _Joined(Extension):
    """Drops each line break of a template's source and the indentation after it."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return re.sub(r"\n[ \t]*", "", source)


def use_overrides(folders: list[Path]) -> None:
    """The site's template folders, searched before the shipped templates (missing ones are skipped)."""
    global _overrides
    _overrides = tuple(str(folder) for folder in folders if folder.is_dir())


@lru_cache(maxsize=8)
def _environment(overrides: tuple[str, ...]) -> Environment:
    return Environment(loader=FileSystemLoader([*overrides, str(SHIPPED)]), autoescape=True,
                       extensions=[_Joined], keep_trailing_newline=False)


def render(name: str, **html: Any) -> str:
    """The template `mathcheck/NAME` filled with `html` (strings of HTML, or lists of them)."""
    return _environment(_overrides).get_template(f"mathcheck/{name}").render(**_markup(html))


def _markup(value: Any) -> Any:
    if isinstance(value, str):
        return Markup(value)
    if isinstance(value, dict):
        return {k: _markup(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_markup(v) for v in value]
    return value
