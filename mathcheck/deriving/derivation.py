"""What `derive` says of one block, and its JSON form for the pipe from a worker (read as
untrusted: anything of another shape is rejected). Importing this loads no sympy."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ..pages.blocks import Block, _validate

STATUSES = ("derived", "underived", "error")


@dataclass(frozen=True)
class Derivation:
    """What `derive` says of one block: `derived` (with the expression and its LaTeX),
    `underived` (with why) or `error` (the block cannot be read)."""

    status: str
    expression: str | None
    latex: str | None
    detail: str
    line: int | None = None
    seconds: float = 0.0        # spent deriving, before the check


def derivation_to_json(d: Derivation) -> dict[str, Any]:
    return asdict(d)


def derivation_from_json(data: Any) -> Derivation:
    if not (type(data) is dict and set(data) == {"status", "expression", "latex", "detail",
                                                 "line", "seconds"}
            and data["status"] in STATUSES and type(data["detail"]) is str
            and (data["expression"] is None or type(data["expression"]) is str)
            and (data["latex"] is None or type(data["latex"]) is str)
            and (data["line"] is None or type(data["line"]) is int)
            and type(data["seconds"]) in (int, float)):
        raise ValueError("not a derivation")
    return Derivation(**data)




_PLACEHOLDER = "0"


def readable(block: Block) -> Block:
    """The block as `derive` reads it: its claim may be missing (a placeholder stands in
    while the claim is ignored)."""
    if block.spec is None or block.spec.get("claim") is not None \
            or block.problem != "missing required key `claim`":
        return block
    spec = {**block.spec, "claim": _PLACEHOLDER}
    problem = _validate(spec)
    return Block(block.file, block.line, block.end_line, block.source, spec,
                 problem[1] if problem else None, block.line if problem else None,
                 block.key_lines, block.shown)
