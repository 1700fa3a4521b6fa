"""A block's YAML is read to the very values PyYAML's constructor gives (a faster path for
plain trees), errors included."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mathcheck.pages.blocks import _load, _Loader
from mathcheck.pages.fences import INFO, fences_by_info

DOCS = Path(__file__).resolve().parents[2] / "docs"
ODD = ["a: !!int 3", "a: &x [1]\nb: *x", "? [1, 2]\n: x", "a: !!binary aGk=",
       "a: true\nb: False\nc: ~\nd: null\ne: yes\nf: 1e-400\ng: 'true'", "- a\n- {b: c}", "",
       "a: |\n  x\n  y\n", "<<: {a: 1}\nb: 2", "a: !custom x", "a: b\na: c", "[1, 2]: x", "a: [b"]


def constructed(body: str):
    loader = _Loader(body)
    try:
        node = loader.get_single_node()
        return loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def outcome(read, body: str):
    try:
        return "value", read(body)
    except yaml.YAMLError as exc:
        return "error", str(exc)


@pytest.mark.parametrize("body", ODD + [body for path in sorted(DOCS.rglob("*.md"))
                                       for _, _, body in fences_by_info(path.read_text(), (INFO,))[INFO]])
def test_values_are_those_of_the_yaml_constructor(body: str) -> None:
    assert outcome(lambda text: _load(text)[1], body) == outcome(constructed, body)
