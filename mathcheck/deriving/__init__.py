"""Deriving: the engine proposes a derivative of a block's f by wrt; the same checks as a
claim's dispose of it.

The method is Magnus and Neudecker's matrix differentials, not the index calculus of Laue,
Mitterreiter and Giesen: every quantity the block language can write is a scalar, a
column, a row or a matrix, and the differential rules (`d(XY) = dX Y + X dY`,
`d tr(X) = tr(dX)`, `d X^-1 = -X^-1 dX X^-1`, `d f(x) = f'(x) * dx`) map matrix
expressions to matrix expressions of the same kinds, read back in the language as they
are; the index calculus works on tensors with indices and must be turned back into matrix
form afterwards, which is where such tools give transposed or entry-by-entry results.
The rules run as reverse mode (a scalar f: its gradient, shaped like the variable) or
forward mode (a scalar variable, or a vector f of a vector), one small method per node
type (`rules`; an element-wise function is one line of its `SLOPES`, and `vec` and `kron`
are methods there like the rest), then a separate simplifier (`simplify`, with `elementwise` for the
Hadamard parts) and a printer back to the block language (`printing`); `verify` shows a
result only once the checker has verified it as the block's claim.

The other forms of `wrt` and `order` reuse the two directions (`propose`): a matrix-valued
f by a scalar is forward mode, transposed in denominator layout; by vec(X), a scalar f's
gradient G gives the row vec(G).T, and any other f's differential, forward mode with a
tangent dX in place of X, is read as J @ vec(dX) (`vectorize`: `vec(A dX B) =
kron(B.T, A) vec(dX)`; a term in dX.T needs the commutation matrix, so is underived);
`order: 2` differentiates the first derivative again: by a scalar, forward mode twice; by
a vector, forward mode on the gradient column; by vec(X), `vectorize` on the gradient.
Size relations in `assume` (`n >= m`) only restrict the sizes drawn for the check.

Pipeline: `propose` (rules -> simplify -> let names put back) -> `printing` -> `verify`.
Importing this package loads no sympy: `derive_block` loads the rules when first asked for.
"""
from __future__ import annotations

import importlib
from typing import Any

from .derivation import STATUSES, Derivation, derivation_from_json, derivation_to_json, readable

_LAZY = {"derive_block": "verify"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Derivation", "STATUSES", "derivation_from_json", "derivation_to_json",
           "derive_block", "readable"]
