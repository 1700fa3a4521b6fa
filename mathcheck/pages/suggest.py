""""Did you mean" hints for misspelt names (functions, keys, columns, ids)."""
from __future__ import annotations

import difflib
import heapq
from collections.abc import Iterable

CUTOFF = 0.6  # difflib's ratio from which a name is near
MAX_NAME = 64  # longer names get no hint: comparing two names costs the product of their lengths
CLOSEST = 5     # known names compared in full, the most alike by a cheap bound


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """` (did you mean `x`?)` for the known name nearest to `name`, or "" when none is near.
    As difflib's get_close_matches, but only the CLOSEST names that its cheap upper bounds
    rank first are compared in full, so a hint costs a pass over the known names."""
    if len(name) > MAX_NAME:
        return ""
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(name)
    bounds = []
    for k, candidate in enumerate(dict.fromkeys(known)):
        if len(candidate) <= MAX_NAME:
            matcher.set_seq1(candidate)
            if matcher.real_quick_ratio() >= CUTOFF and (bound := matcher.quick_ratio()) >= CUTOFF:
                bounds.append((-bound, k, candidate))
    best = (CUTOFF, "")
    for _, _, candidate in heapq.nsmallest(CLOSEST, bounds):
        matcher.set_seq1(candidate)
        best = max(best, (matcher.ratio(), candidate))
    return f" (did you mean `{best[1]}`?)" if best[1] else ""


def edit_distance(first: str, second: str) -> int:
    """How many letters must be inserted, deleted or replaced to turn `first` into `second`."""
    row = list(range(len(second) + 1))
    for i, a in enumerate(first, start=1):
        diagonal, row[0] = row[0], i
        for j, b in enumerate(second, start=1):
            diagonal, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, diagonal + (a != b))
    return row[-1]
