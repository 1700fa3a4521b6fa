"""The values a check produces: a verdict per block, with its evidence."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

STATUSES = ("verified", "failed", "error")


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
class Evidence:
    """What was tried: the sizes, how many points, the largest relative difference seen,
    and one worked example (absent from verdicts cached before it existed)."""

    sizes: list[dict[str, int]] = field(default_factory=list)
    points: int = 0
    max_rel_error: float = 0.0
    methods: list[str] = field(default_factory=list)
    detail: str = ""
    example: Example | None = None


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

    def at(self, block_id: str | None, file: str, line: int, cached: bool = False) -> Verdict:
        """Place the outcome at its block: the message names the file, the block's line and
        id, and the line inside the block that it concerns when that differs."""
        where = self.line or line
        name = f"block `{block_id}`" if block_id else "block"
        see = f" (line {where})" if where != line else ""
        return Verdict(block_id, file, line, self.status,
                       f"{file}:{line}: {name} {self.status}: {self.detail}{see}",
                       self.evidence, cached)


def outcome_to_json(outcome: Outcome, block_line: int) -> dict[str, Any]:
    data = asdict(outcome)
    data["line"] = None if outcome.line is None else outcome.line - block_line
    return data


def outcome_from_json(data: dict[str, Any], block_line: int) -> Outcome:
    evidence = None
    if data.get("evidence"):
        example = data["evidence"].get("example")
        evidence = Evidence(**{**data["evidence"], "example": Example(**example) if example else None})
    offset = data.get("line")
    return Outcome(data["status"], data["detail"], evidence,
                   None if offset is None else block_line + offset)

