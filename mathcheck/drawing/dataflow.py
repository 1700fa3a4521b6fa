"""A claim -> its computation graph: one node per variable the chain uses, per `let` name and
for f, and an edge from every name to each definition that uses it (the seed article's
dataflow pictures, read off the very trees that were checked)."""
from __future__ import annotations

from dataclasses import dataclass

from ..language import expressions as E
from ..language.claims import Claim
from .labels import Run, expression_runs, name_runs

F = "f"  # the id of f's own node, when f is more than one let name


@dataclass(frozen=True)
class Node:
    """A node: its id, role (`input`, `let` or `output`), its name as text runs and its
    definition (empty for an input: there, its kind)."""

    id: str
    role: str
    name: list[Run]
    definition: list[Run]


@dataclass(frozen=True)
class Graph:
    nodes: tuple[Node, ...]
    edges: tuple[tuple[str, str], ...]      # (from id, to id), each once


def computation_graph(claim: Claim) -> Graph:
    """The graph of a claim's `let` chain and f. A let that is f itself (`f: y`) is the
    output; otherwise f is a node of its own, fed by what it uses."""
    lets = dict(claim.lets)
    definitions = list(claim.lets)
    output = claim.f.name if isinstance(claim.f, E.Name) and claim.f.name in lets else None
    if output is None:
        definitions.append((F, claim.f))
    edges: dict[tuple[str, str], None] = {}
    used: dict[str, None] = {}
    for name, tree in definitions:
        for source in _names_used(tree):
            if source in lets or source in claim.vars:
                edges.setdefault((source, name))
                if source in claim.vars:
                    used.setdefault(source)
    inputs = [Node(v, "input", name_runs(v, claim.vars[v].is_scalar), _space(claim, v))
              for v in claim.vars if v in used]
    inner = [Node(name, "output" if name in (output, F) else "let",
                  [Run("f", "italic" if claim.f.shape.is_scalar else "bold")] if name == F
                  else name_runs(name, tree.shape.is_scalar), expression_runs(tree))
             for name, tree in definitions]
    return Graph(tuple(inputs + inner), tuple(edges))


def _names_used(tree: E.Expr) -> list[str]:
    """The variable and let names a definition reads, in reading order, each once."""
    return list(dict.fromkeys(n.name for n in E.walk(tree) if isinstance(n, E.Name)))


def _space(claim: Claim, name: str) -> list[Run]:
    """An input's kind as the site writes it: ∈ ℝ, ℝ^n, ℝ^(m×n)."""
    rows, cols = claim.vars[name].rows, claim.vars[name].cols
    if rows == 1 and cols == 1:
        return [Run("∈ ℝ")]
    dims = [str(d).replace("*", "") for d in (rows, cols) if d != 1]
    return [Run("∈ ℝ"), Run("×".join(dims), "raised")]
