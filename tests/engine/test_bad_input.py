"""Hostile or broken blocks: each is an `error` with a located message, runs no code,
and comes back within the time limit."""
from __future__ import annotations

import re
import resource
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

import mathcheck

TIME_LIMIT = 5.0  # seconds of CPU time a block's check may take
# process start-up and the sympy import may come on top of the limit itself
MARGIN = 5.0


@dataclass(frozen=True)
class Spent:
    """CPU seconds of this process and its workers, and wall seconds, since `start()`."""

    cpu: float
    wall: float

    @staticmethod
    def start() -> "Spent":
        return Spent(_cpu(), time.monotonic())

    def since(self) -> "Spent":
        return Spent(_cpu() - self.cpu, time.monotonic() - self.wall)

    def within_limit(self) -> bool:
        """The limit counts CPU time; the wall-clock backstop is far more generous."""
        return self.cpu < TIME_LIMIT + MARGIN and self.wall < mathcheck.running.runner.wall_limit(TIME_LIMIT) + MARGIN


def _cpu() -> float:
    """Ending the idle workers waits for them, so that their time is in RUSAGE_CHILDREN (and
    the workers of a later check are fresh ones, whose time is that check's alone)."""
    mathcheck.running.runner.stop_workers()
    return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                 resource.getrusage(resource.RUSAGE_CHILDREN)))
FILE = "docs/hostile.md"
FENCE_LINE = 3


def check_one(page_of, spec: dict | str, file: str = FILE):
    blocks = mathcheck.find_blocks(page_of(spec), file)
    assert len(blocks) == 1
    start = Spent.start()
    [verdict] = mathcheck.check_blocks(blocks, jobs=1, time_limit=TIME_LIMIT, cache_dir=None)
    return blocks[0], verdict, start.since()


def assert_located_error(block, verdict, spent: Spent, file: str = FILE) -> None:
    assert verdict.status == "error", verdict.message
    assert spent.within_limit(), f"took {spent}"
    assert verdict.file == file
    assert verdict.line == FENCE_LINE
    match = re.match(rf"{re.escape(file)}:(\d+)", verdict.message)
    assert match, f"message does not start with file:line: {verdict.message!r}"
    assert block.line <= int(match.group(1)) <= block.end_line, verdict.message
    assert len(verdict.message) > len(match.group(0)) + 10, f"message says too little: {verdict.message!r}"


def spec_with(expr: str, where: str = "f") -> dict:
    """A block that would be fine but for `expr` placed at `where`."""
    spec: dict = {
        "id": "hostile",
        "vars": {"x": "vector(n)", "y": "vector(n)"},
        "f": "sum(x)",
        "wrt": "x",
        "claim": "ones(n).T",
    }
    if where == "assume":
        spec["assume"] = [expr]
    elif where == "let":
        spec["let"] = {"u": expr}
        spec["steps"] = ["d(u, x) = ones(n).T"]
    elif where == "steps":
        spec["let"] = {"u": "2 * x"}
        spec["steps"] = [f"d(u, x) = {expr}"]
    elif where == "case":
        spec["claim"] = [{"if": expr, "then": "ones(n).T"}]
    else:
        spec[where] = expr
    return spec


def injections(marker: Path) -> list[str]:
    touch = f"__import__('os').system('touch {marker}')"
    return [
        touch,
        f"sum(x) + {touch}",
        f"__import__('subprocess').call(['touch', '{marker}'])",
        f"open('{marker}', 'w').write('pwned')",
        "open('/etc/passwd').read()",
        "().__class__.__bases__[0].__subclasses__()",
        "().__class__.__bases__",
        "x.__class__",
        "x.T.__class__.__mro__",
        "x.__dict__",
        "sum.__globals__",
        "x.real",
        "x.shape",
        "(lambda x: x)(x)",
        "lambda x: x",
        "sum([x for x in y])",
        "sum({x for x in y})",
        "sum(x for x in y)",
        "sum({k: x for k in y})",
        f"f\"{{{touch}}}\"",
        "f'{x}'",
        "(y := x)",
        "sum((y := x))",
        f"eval(\"{touch}\")",
        f"exec(\"{touch}\")",
        "getattr(x, 'T')",
        "globals()",
        "'a string'",
        "x[0]",
        "x if y else x",
        "*x",
        "x; y",
        "import os",
        "x * 1j",
        "x * True",
        "x * None",
        "x ×  y",
        "√x",
        "x\u00b2",
        "x\x00",
    ]


PLACES = ["f", "claim", "assume", "let", "steps", "case"]


@pytest.mark.parametrize("where", PLACES)
def test_code_injection_is_an_error_and_runs_nothing(where, page_of, tmp_path):
    marker = tmp_path / "pwned"
    for expr in injections(marker):
        block, verdict, elapsed = check_one(page_of, spec_with(expr, where))
        assert not marker.exists(), f"code ran: {expr!r} in {where}"
        assert_located_error(block, verdict, elapsed)


def test_injection_through_a_kind_or_wrt_is_an_error(page_of, tmp_path):
    marker = tmp_path / "pwned"
    touch = f"__import__('os').system('touch {marker}')"
    specs = [
        {"id": "k", "vars": {"x": f"vector({touch})"}, "f": "sum(x)", "wrt": "x", "claim": "ones(n).T"},
        {"id": "w", "vars": {"x": "vector(n)"}, "f": "sum(x)", "wrt": touch, "claim": "ones(n).T"},
        {"id": "l", "vars": {"x": "vector(n)"}, "f": "sum(x)", "wrt": "x", "claim": "ones(n).T", "layout": touch},
        {"id": "v", "vars": {touch: "scalar"}, "f": "1", "wrt": touch, "claim": "0"},
    ]
    for spec in specs:
        block, verdict, elapsed = check_one(page_of, spec)
        assert not marker.exists(), f"code ran from {spec}"
        assert_located_error(block, verdict, elapsed)


def test_yaml_python_tags_are_not_constructed(page_of, tmp_path):
    marker = tmp_path / "pwned"
    raw = (
        "id: yaml-tag\n"
        "vars: {x: scalar}\n"
        f"f: !!python/object/apply:os.system [\"touch {marker}\"]\n"
        "wrt: x\n"
        "claim: 0\n"
    )
    block, verdict, elapsed = check_one(page_of, raw)
    assert not marker.exists()
    assert_located_error(block, verdict, elapsed)


@pytest.mark.parametrize(
    "name, spec",
    [
        ("undefined name in f", {"vars": {"x": "scalar"}, "f": "x * zeta", "wrt": "x", "claim": "zeta"}),
        ("undefined name in claim", {"vars": {"x": "scalar"}, "f": "x**2", "wrt": "x", "claim": "2*zeta"}),
        ("undefined name in assume", {"vars": {"x": "scalar"}, "f": "x**2", "wrt": "x", "claim": "2*x",
                                      "assume": ["zeta > 0"]}),
    ],
)
def test_undefined_name_is_named(name, spec, page_of):
    block, verdict, elapsed = check_one(page_of, {"id": "undefined", **spec})
    assert_located_error(block, verdict, elapsed)
    assert "zeta" in verdict.message


@pytest.mark.parametrize("function", ["relu", "softmin", "arccos", "print", "exec"])
def test_unknown_function_is_named(function, page_of):
    spec = {"id": "unknown-fn", "vars": {"x": "scalar"}, "f": f"{function}(x)", "wrt": "x", "claim": "1"}
    block, verdict, elapsed = check_one(page_of, spec)
    assert_located_error(block, verdict, elapsed)
    assert function in verdict.message


def shape_text(rows: str, cols: str) -> str:
    """A regex for a shape written as `r x c`, `r×c`, `(r, c)`, or as its kind."""
    forms = [rf"\(?\b{rows}\s*(?:x|×|,|\*|by)\s*{cols}\b\)?"]
    if cols == "1":
        forms.append(rf"vector\(\s*{rows}\s*\)")
    else:
        forms.append(rf"matrix\(\s*{rows}\s*,\s*{cols}\s*\)")
    return "|".join(forms)


@pytest.mark.parametrize(
    "vars_, f, left, left_shape, right, right_shape",
    [
        ({"left": "vector(n)", "right": "vector(n)"}, "left @ right", "left", ("n", "1"), "right", ("n", "1")),
        ({"left": "matrix(m, n)", "right": "vector(m)"}, "left @ right", "left", ("m", "n"), "right", ("m", "1")),
        ({"left": "vector(n)", "right": "vector(k)"}, "left + right", "left", ("n", "1"), "right", ("k", "1")),
        ({"left": "vector(n)", "right": "vector(k)"}, "left * right", "left", ("n", "1"), "right", ("k", "1")),
    ],
)
def test_shape_error_names_both_operands_and_shapes(vars_, f, left, left_shape, right, right_shape, page_of):
    spec = {"id": "shape", "vars": vars_, "f": f"sum({f})", "wrt": "left", "claim": "ones(n).T"}
    block, verdict, elapsed = check_one(page_of, spec)
    assert_located_error(block, verdict, elapsed)
    message = verdict.message
    assert re.search(rf"\b{left}\b", message) and re.search(rf"\b{right}\b", message), message
    assert re.search(shape_text(*left_shape), message), message
    assert re.search(shape_text(*right_shape), message), message


def huge_expressions() -> list[tuple[str, str]]:
    return [
        ("tower exponent", "x ** 10 ** 10"),
        ("2000 nested parentheses", "(" * 2000 + "x" + ")" * 2000),
        ("2000 nested calls", "sin(" * 2000 + "x" + ")" * 2000),
        ("2000 unary minuses", "-" * 2000 + "x"),
        ("2000 chained powers", "x" + " ** x" * 2000),
        ("100 KB expression", "x" + " + x" * 25_000),
        ("100 KB of one name", "x" * 100_000),
    ]


@pytest.mark.parametrize("name, expr", huge_expressions(), ids=[n for n, _ in huge_expressions()])
def test_resource_limits_are_errors_within_the_time_limit(name, expr, page_of):
    spec = {"id": "huge", "vars": {"x": "scalar"}, "f": expr, "wrt": "x", "claim": "1"}
    block, verdict, elapsed = check_one(page_of, spec)
    assert_located_error(block, verdict, elapsed)


def test_huge_claim_is_an_error_within_the_time_limit(page_of):
    spec = {"id": "huge-claim", "vars": {"x": "scalar"}, "f": "x", "wrt": "x", "claim": "x ** 10 ** 10"}
    block, verdict, elapsed = check_one(page_of, spec)
    assert_located_error(block, verdict, elapsed)


MALFORMED_YAML = {
    "unclosed flow sequence": "id: m1\nvars: {x: scalar}\nf: [x\nwrt: x\nclaim: 1\n",
    "unclosed flow mapping": "id: m2\nvars: {x: scalar\nf: x\nwrt: x\nclaim: 1\n",
    "bad indentation": "id: m3\nvars:\n  x: scalar\n   y: scalar\nf: x\nwrt: x\nclaim: 1\n",
    "tab indentation": "id: m4\nvars:\n\tx: scalar\nf: x\nwrt: x\nclaim: 1\n",
    "unterminated quote": "id: m5\nvars: {x: scalar}\nf: 'x\nwrt: x\nclaim: 1\n",
    "a list, not a mapping": "- id: m6\n- f: x\n",
    "a bare scalar": "just some text\n",
    "empty block": "",
    "duplicate key": "id: m7\nvars: {x: scalar}\nf: x\nf: x**2\nwrt: x\nclaim: 1\n",
    "vars not a mapping": "id: m8\nvars: [x, scalar]\nf: x\nwrt: x\nclaim: 1\n",
    "alias bomb": "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                  "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                  "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
}


@pytest.mark.parametrize("name", list(MALFORMED_YAML))
def test_malformed_yaml_is_a_located_error(name, page_of):
    text = page_of(MALFORMED_YAML[name])
    blocks = mathcheck.find_blocks(text, FILE)  # never raises for bad block content
    assert len(blocks) == 1
    start = Spent.start()
    [verdict] = mathcheck.check_blocks(blocks, jobs=1, time_limit=TIME_LIMIT, cache_dir=None)
    assert_located_error(blocks[0], verdict, start.since())


def test_unclosed_fence_does_not_crash():
    text = "# Page\n\n```derivation\nid: open\nvars: {x: scalar}\nf: x\nwrt: [x\n"
    blocks = mathcheck.find_blocks(text, FILE)
    verdicts = mathcheck.check_blocks(blocks, jobs=1, time_limit=TIME_LIMIT, cache_dir=None)
    assert len(verdicts) == len(blocks)
    for v in verdicts:
        assert v.status == "error"
        assert v.message.startswith(f"{FILE}:"), v.message


def test_duplicate_id_in_one_file_is_an_error(page_of):
    first = {"id": "twice", "vars": {"x": "scalar"}, "f": "x**2", "wrt": "x", "claim": "2*x"}
    second = {"id": "twice", "vars": {"x": "scalar"}, "f": "x**3", "wrt": "x", "claim": "3*x**2"}
    blocks = mathcheck.find_blocks(page_of(first, second), FILE)
    assert [b.line for b in blocks] == [3, 12]
    start = Spent.start()
    verdicts = mathcheck.check_blocks(blocks, jobs=1, time_limit=TIME_LIMIT, cache_dir=None)
    spent = start.since()
    assert spent.cpu < 2 * TIME_LIMIT + MARGIN, spent
    assert verdicts[1].status == "error", verdicts[1].message
    assert verdicts[1].line == 12
    assert verdicts[1].message.startswith(f"{FILE}:12"), verdicts[1].message
    assert "twice" in verdicts[1].message
    assert "duplicate" in verdicts[1].message.lower()


def test_duplicate_id_across_files_is_an_error(page_of):
    spec = {"id": "shared-id", "vars": {"x": "scalar"}, "f": "x**2", "wrt": "x", "claim": "2*x"}
    blocks = mathcheck.find_blocks(page_of(spec), "docs/a.md") + mathcheck.find_blocks(page_of(spec), "docs/b.md")
    verdicts = mathcheck.check_blocks(blocks, jobs=1, time_limit=TIME_LIMIT, cache_dir=None)
    assert verdicts[1].status == "error"
    assert verdicts[1].message.startswith("docs/b.md:3"), verdicts[1].message
    assert "shared-id" in verdicts[1].message


def test_bad_block_does_not_hide_its_neighbours(page_of):
    good = {"id": "good", "vars": {"x": "scalar"}, "f": "x**2", "wrt": "x", "claim": "2*x"}
    bad = {"id": "bad", "vars": {"x": "scalar"}, "f": "__import__('os')", "wrt": "x", "claim": "0"}
    wrong = {"id": "wrong", "vars": {"x": "scalar"}, "f": "x**2", "wrt": "x", "claim": "2"}
    blocks = mathcheck.find_blocks(page_of(good, bad, wrong), FILE)
    verdicts = mathcheck.check_blocks(blocks, jobs=1, time_limit=TIME_LIMIT, cache_dir=None)
    assert [v.status for v in verdicts] == ["verified", "error", "failed"]
    assert [v.id for v in verdicts] == ["good", "bad", "wrong"]


EXPENSIVE = {
    "determinant of a fifth power": ({"X": "matrix(n, n)"}, "det(X @ X @ X @ X @ X)", "X",
                                     "5 * det(X)**5 * inv(X)"),
    "inverse of an inverse, four times": ({"X": "matrix(n, n)"}, "trace(inv(inv(inv(inv(X)))))", "X", "eye(n)"),
    "tower of exponentials": ({"x": "scalar"}, "exp(exp(exp(exp(exp(x)))))", "x",
                              "exp(exp(exp(exp(exp(x)))) + exp(exp(exp(x))) + exp(exp(x)) + exp(x) + x)"),
    "power of degree 128": ({"x": "scalar"}, "(x + 1)**64 * (x - 1)**64", "x",
                            "64*(x + 1)**63*(x - 1)**64 + 64*(x + 1)**64*(x - 1)**63"),
}


@pytest.mark.parametrize("name", list(EXPENSIVE))
def test_expensive_true_claim_is_verified_or_an_error_within_the_time_limit(name, page_of):
    """Costly algebra may run out of time (an error), but never hangs and is never failed."""
    vars_, f, wrt, claim = EXPENSIVE[name]
    block, verdict, elapsed = check_one(page_of, {"id": "expensive", "vars": vars_, "f": f, "wrt": wrt,
                                                  "claim": claim})
    assert elapsed.within_limit(), f"took {elapsed}"
    assert verdict.status in ("verified", "error"), verdict.message
    if verdict.status == "error":
        assert_located_error(block, verdict, elapsed)
