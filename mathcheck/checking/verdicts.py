"""The values a check produces: a verdict per block, with its evidence and, when verified,
its statement as typeset."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from ..drawing.elements import Element, pictures_from_json, pictures_to_json
from ..language.statement import Statement, statement_from_json, statement_to_json

STATUSES = ("verified", "failed", "error")
# What a terminal or a log viewer would obey rather than show: control characters (but the
# line break and the tab), the Unicode line breaks and the bidirectional overrides.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with each character a terminal would obey written out (`\\x1b`, `\\u202e`)."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)


@dataclass(frozen=True)
class Example:
    """One worked check, to show a reader: at `sizes` and `point`, the claimed value and
    the derivative by central differences of f (entries as nested lists, rows first)."""

    sizes: dict[str, int]
    point: dict[str, list[list[float]]]
    claimed: list[list[float]]
    numeric: list[list[float]]
    case: int = 0                     # which of the claim's cases


@dataclass(frozen=True)
class Suggestion:
    """A failed block's derivative as `derive` found and verified it: the text to paste as
    its claim, and the same typeset."""

    expression: str
    latex: str


@dataclass(frozen=True)
class Evidence:
    """What was tried: the sizes, how many points, the largest relative difference seen,
    and one worked example (absent from verdicts cached before it existed)."""

    sizes: list[dict[str, int]] = field(default_factory=list)
    points: int = 0
    max_rel_error: float = 0.0
    methods: list[str] = field(default_factory=list)
    detail: str = ""
    example: Example | None = None
    warning: str | None = None        # what the check could not tell (the layout, say)


@dataclass(frozen=True)
class Verdict:
    """`verified`, `failed` or `error` for one block; `message` starts with file:line."""

    id: str | None
    file: str
    line: int
    status: str
    message: str
    evidence: Evidence | None = None
    cached: bool = False
    key_line: int | None = None    # the line inside the block the message concerns
    statement: Statement | None = None  # what the page shows, when verified
    suggestion: Suggestion | None = None  # a failed block's verified derivative, if found
    pictures: dict[str, Element] = field(default_factory=dict)  # a verified block's, by kind
    other: Statement | None = None  # the statement in the other layout, where it differs

    @property
    def warning(self) -> str | None:
        """What a verified block's check could not tell, placed at the block, or None."""
        if self.evidence is None or self.evidence.warning is None:
            return None
        name = f"block `{self.id}`" if self.id else "block"
        return f"{self.file}:{self.line}: {name} warning: {self.evidence.warning}"

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "file": self.file, "line": self.line,
                "status": self.status, "message": self.message}


@dataclass(frozen=True)
class Outcome:
    """A check's result before it is placed at a file and line."""

    status: str
    detail: str
    evidence: Evidence | None = None
    line: int | None = None        # the line the outcome concerns, if not the block's
    statement: Statement | None = None  # a verified block's, printed from the trees checked
    suggestion: Suggestion | None = None  # a failed block's: what `derive` found and verified
    pictures: dict[str, Element] = field(default_factory=dict)  # a verified block's (`drawing`)
    other: Statement | None = None  # a verified block's in the other layout, checked as well

    def at(self, block_id: str | None, file: str, line: int, cached: bool = False) -> Verdict:
        """Place the outcome at its block: the message names the file, the block's line and
        id, and the line inside the block that it concerns when that differs."""
        where = self.line or line
        name = f"block `{block_id}`" if block_id else "block"
        see = f" (line {where})" if where != line else ""
        suggested = f"; a verified derivative: {self.suggestion.expression}" if self.suggestion else ""
        return Verdict(block_id, file, line, self.status,
                       f"{file}:{line}: {name} {self.status}: {self.detail}{see}{suggested}",
                       self.evidence, cached, where, self.statement, self.suggestion, self.pictures,
                       self.other)


def outcome_to_json(outcome: Outcome, block_line: int) -> dict[str, Any]:
    data = asdict(outcome)
    data.pop("pictures")
    if outcome.pictures:
        data["pictures"] = pictures_to_json(outcome.pictures)
    data["statement"] = None if outcome.statement is None else statement_to_json(outcome.statement)
    data["other"] = None if outcome.other is None else statement_to_json(outcome.other)
    data["line"] = None if outcome.line is None else outcome.line - block_line
    return data


def outcome_from_json(data: Any, block_line: int) -> Outcome:
    """The outcome `outcome_to_json` wrote; ValueError for anything of another shape (a
    cache file is read as untrusted: wrong keys, an unknown status or a value of the wrong
    type is rejected here, not met later as a crash)."""
    if not isinstance(data, dict) or set(data) - {"suggestion", "pictures", "other"} != _OUTCOME_KEYS:
        raise ValueError("not an outcome")
    status, detail, evidence, offset = data["status"], data["detail"], data["evidence"], data["line"]
    suggestion = data.get("suggestion")
    if suggestion is not None:
        if not (type(suggestion) is dict and suggestion.keys() == {"expression", "latex"}
                and {type(t) for t in suggestion.values()} == {str} and status == "failed"):
            raise ValueError("not an outcome")
        suggestion = Suggestion(**suggestion)
    if status not in STATUSES or not isinstance(detail, str):
        raise ValueError("not an outcome")
    if offset is not None and not (_is_int(offset) and offset >= 0):
        raise ValueError("not an outcome")
    if (status == "verified") != (data["statement"] is not None):  # a verified block is shown
        raise ValueError("not an outcome")
    statement = None if data["statement"] is None else statement_from_json(data["statement"])
    pictures = pictures_from_json(data.get("pictures", {}))
    other = data.get("other")
    if (pictures or other is not None) and status != "verified":   # only a verified block is shown
        raise ValueError("not an outcome")
    return Outcome(status, detail, None if evidence is None else _evidence_from_json(evidence),
                   None if offset is None else block_line + offset, statement, suggestion, pictures,
                   None if other is None else statement_from_json(other))


_OUTCOME_KEYS = {"status", "detail", "evidence", "line", "statement"}
_EVIDENCE_KEYS = {"sizes", "points", "max_rel_error", "methods", "detail"}
_EXAMPLE_KEYS = {"sizes", "point", "claimed", "numeric", "case"}


def _evidence_from_json(data: Any) -> Evidence:
    # `example` and `warning` are absent from entries cached before they existed
    if type(data) is not dict or data.keys() - {"example", "warning"} != _EVIDENCE_KEYS:
        raise ValueError("not evidence")
    sizes, points, error, methods, detail = (data[k] for k in
                                             ("sizes", "points", "max_rel_error", "methods", "detail"))
    if not (type(sizes) is list and all(_is_sizes(s) for s in sizes)):
        raise ValueError("not evidence")
    if not (_is_int(points) and points >= 0 and type(error) in (int, float) and not error < 0
            and type(detail) is str and type(methods) is list and {type(m) for m in methods} <= {str}):
        raise ValueError("not evidence")
    example, warning = data.get("example"), data.get("warning")
    if not (warning is None or type(warning) is str):
        raise ValueError("not evidence")
    return Evidence(sizes, points, float(error), methods, detail,
                    None if example is None else _example_from_json(example), warning)


def _example_from_json(data: Any) -> Example:
    if type(data) is not dict or data.keys() != _EXAMPLE_KEYS:
        raise ValueError("not an example")
    sizes, point, case = data["sizes"], data["point"], data["case"]
    if not (_is_sizes(sizes) and type(point) is dict and {type(k) for k in point} <= {str}
            and all(_is_table(v) for v in point.values())
            and _is_table(data["claimed"]) and _is_table(data["numeric"]) and _is_int(case) and case >= 0):
        raise ValueError("not an example")
    return Example(sizes, point, data["claimed"], data["numeric"], case)


def _is_sizes(value: Any) -> bool:
    """Letters and their sizes."""
    return type(value) is dict and {type(k) for k in value} <= {str} and {type(v) for v in value.values()} <= {int}


def _is_table(value: Any) -> bool:
    """Rows of numbers, as an example's values are kept (JSON gives exactly int or float)."""
    return (type(value) is list and all(type(row) is list for row in value)
            and {type(v) for row in value for v in row} <= {int, float})


def _is_int(value: Any) -> bool:
    return type(value) is int  # not a bool
