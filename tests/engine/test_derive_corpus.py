"""Every block in derivations/*.yaml derives as it expects, and the default tests exercise
every rule of the rule table.

Each entry is one derivation block (its `claim`, when given, the hand-written answer) plus
`expect` (derived or underived), a one-line `why` and, for underived, a `reason` the
message must contain. A derived expression has passed the checker as the block's claim
(that is what `derived` means); here it is also parsed back and typeset. The whole site,
and the engine's own corpus of verified claims, are measured by benchmarks/bench_derive.py.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mathcheck.pages.blocks import find_blocks
from mathcheck.language.claims import read_claim
from mathcheck.deriving import derive_block, readable
from mathcheck.deriving import propose as proposing
from mathcheck.deriving import rules, vectorize
from mathcheck.deriving.propose import propose
from mathcheck.deriving.rules import Underivable

CORPUS = Path(__file__).parent / "derivations"
ENTRIES = [entry for path in sorted(CORPUS.glob("*.yaml")) for entry in yaml.safe_load(path.read_text())]


def block_of(entry: dict, page_of):
    spec = {k: v for k, v in entry.items() if k not in ("expect", "why", "reason")}
    return find_blocks(page_of(spec), "corpus.md")[0]


def test_the_corpus_is_large_and_well_formed():
    ids = [e["id"] for e in ENTRIES]
    assert len(ids) == len(set(ids))
    assert len(ENTRIES) >= 150
    assert sum(e["expect"] == "derived" for e in ENTRIES) >= 0.95 * len(ENTRIES)
    for entry in ENTRIES:
        assert entry["expect"] in ("derived", "underived") and entry["why"], entry["id"]
        assert (entry["expect"] == "underived") == ("reason" in entry), entry["id"]


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_derivation(entry, page_of):
    derivation = derive_block(block_of(entry, page_of))
    assert derivation.status == entry["expect"], derivation.detail
    if derivation.status == "derived":
        assert derivation.expression and derivation.latex
        assert derivation.detail.startswith("verified at")
    else:
        assert entry["reason"] in derivation.detail
        assert derivation.expression is None and derivation.latex is None
        assert "bug" not in derivation.detail


def _kind(shape) -> str:
    return "scalar" if shape.is_scalar else "vector" if shape.is_vector else "matrix"


def test_every_rule_is_exercised(monkeypatch, page_of):
    """Each rule method (`_Name`, `_call_det`, ...) of both directions, each entry of
    SLOPES, each term the Jacobian by vec(X) reads (by operator and function) and each kind
    of second derivative is used by some corpus block."""
    used: set[str] = set()
    for direction in (rules.Gradient, rules.Forward):
        for name in [n for n in vars(direction) if n.startswith("_") and n[1].isupper() or n.startswith("_call_")]:
            original = getattr(direction, name)

            def record(self, *args, _name=f"{direction.__name__}.{name}", _original=original):
                used.add(_name)
                return _original(self, *args)
            monkeypatch.setattr(direction, name, record)
    slopes = {}
    for func, slope in rules.SLOPES.items():
        def recorded(a, y, step, _func=func, _slope=slope):
            used.add(f"SLOPES.{_func}")
            return _slope(a, y, step)
        slopes[func] = recorded
    monkeypatch.setattr(rules, "SLOPES", slopes)
    for module, name, key in [(vectorize, "_binary", lambda d: d.op),
                              (vectorize, "_call", lambda d: d.func),
                              (vectorize, "_transposed", lambda e: type(e).__name__),
                              (proposing, "_second", lambda g: _kind(g.shapes[g.wrt])),
                              (proposing, "_stacked_hessian", lambda c: "scalars")]:
        def term(first, *rest, _name=name, _key=key, _original=getattr(module, name)):
            used.add(f"{_name}.{_key(first)}")
            return _original(first, *rest)
        monkeypatch.setattr(module, name, term)
    for entry in ENTRIES:
        try:
            propose(read_claim(readable(block_of(entry, page_of))))
        except Underivable:
            pass
    every = {f"{d.__name__}.{n}" for d in (rules.Gradient, rules.Forward) for n in vars(d)
             if n.startswith("_") and n[1].isupper() or n.startswith("_call_")}
    every |= {f"SLOPES.{func}" for func in slopes}
    every |= {f"_binary.{op}" for op in ("+", "-", "*", "@")}
    every |= {f"_call.{func}" for func in ("vec", "trace", "sum", "kron", "outer", "dot")}
    every |= {"_transposed.Binary", "_stacked_hessian.scalars"}
    every |= {f"_second.{kind}" for kind in ("scalar", "vector", "matrix")}
    assert every - used == set()
