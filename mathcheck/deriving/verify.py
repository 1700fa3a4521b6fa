"""Verify, then show: a derivative is printed only after the checker has judged it exactly
as it judges an author's claim (the printed text parsed back, as the block's `claim`)."""
from __future__ import annotations

import time

from ..checking.decide import check_claim
from ..language.claims import BlockError, read_claim
from ..language.latex import statement
from ..pages.blocks import Block
from .derivation import Derivation, readable
from .printing import to_text
from .propose import propose
from .rules import Underivable

def derive_block(block: Block) -> Derivation:
    """Derive the block's f by wrt, then check the result as its claim."""
    block = readable(block)
    try:
        claim = read_claim(block)
    except BlockError as exc:
        return Derivation("error", None, None, str(exc), exc.line)
    started = time.process_time()
    try:
        text = to_text(propose(claim))
    except Underivable as exc:
        return Derivation("underived", None, None, str(exc), None, time.process_time() - started)
    seconds = time.process_time() - started
    spec = {key: value for key, value in (block.spec or {}).items() if key != "steps"}
    derived = Block(block.file, block.line, block.end_line, block.source, {**spec, "claim": text},
                    key_lines=block.key_lines)
    try:
        proposed = read_claim(derived)
    except BlockError as exc:
        return Derivation("underived", None, None, f"the derivation `{text}` does not read "
                          f"back as a claim ({exc}); this is a bug in the rules", None, seconds)
    outcome = check_claim(proposed)
    if outcome.status != "verified":
        return Derivation("underived", None, None, f"the derivation `{text}` failed its own "
                          f"check ({outcome.detail}); this is a bug in the rules", None, seconds)
    return Derivation("derived", text, statement(proposed, block.title).claim_latex,
                      outcome.detail, None, seconds)
