"""A failed verdict says where, at which sizes and point, the claimed and true values,
and which case or step broke."""
from __future__ import annotations

import re
from fractions import Fraction

import mathcheck

FILE = "docs/messages.md"
NUMBER = r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?:/\d+)?"


def verdict_for(page_of, spec: dict):
    [verdict] = mathcheck.check_blocks(mathcheck.find_blocks(page_of(spec), FILE), jobs=1, time_limit=20,
                                       cache_dir=None)
    return verdict


def numbers(text: str) -> list[float]:
    return [float(Fraction(m)) for m in re.findall(NUMBER, text)]


def test_failed_scalar_claim_names_point_claimed_and_true_values(page_of):
    verdict = verdict_for(page_of, {"id": "msg-scalar", "vars": {"x": "scalar"}, "f": "x**3", "wrt": "x",
                                    "claim": "7"})
    assert verdict.status == "failed"
    assert verdict.message.startswith(f"{FILE}:3")
    point = re.search(rf"\bx\s*=\s*({NUMBER})", verdict.message)
    assert point, verdict.message
    x0 = float(Fraction(point.group(1)))
    found = numbers(verdict.message)
    assert 7 in found, verdict.message
    assert any(abs(v - 3 * x0**2) <= 1e-3 * max(1.0, abs(3 * x0**2)) for v in found), verdict.message


def test_failed_vector_claim_names_the_sizes_and_the_variables(page_of):
    verdict = verdict_for(page_of, {"id": "msg-vector", "vars": {"w": "vector(n)", "x": "vector(n)"},
                                    "f": "dot(w, x)", "wrt": "w", "claim": "1.001 * x.T"})
    assert verdict.status == "failed"
    assert re.search(r"\bn\s*=\s*\d", verdict.message), verdict.message
    assert re.search(r"\bw\s*=", verdict.message) and re.search(r"\bx\s*=", verdict.message), verdict.message


def test_wrong_shape_names_both_shapes(page_of):
    verdict = verdict_for(page_of, {"id": "msg-shape", "vars": {"w": "vector(n)", "x": "vector(n)"},
                                    "f": "dot(w, x)", "wrt": "w", "claim": "x"})
    assert verdict.status == "failed"
    assert re.search(r"1\s*(?:x|×|,)\s*n", verdict.message), verdict.message
    assert re.search(r"n\s*(?:x|×|,)\s*1|vector\(n\)|column", verdict.message), verdict.message


def test_failed_step_is_named(page_of):
    step = "pd(u2, x) = 1 + 2*x"
    verdict = verdict_for(page_of, {"id": "msg-step", "vars": {"x": "scalar"},
                                    "let": {"u1": "x**2", "u2": "x + u1"}, "f": "x + x**2", "wrt": "x",
                                    "steps": ["pd(u1, x) = 2*x", step], "claim": "1 + 2*x"})
    assert verdict.status == "failed"
    assert step in verdict.message or re.search(r"step\s*#?\s*2\b", verdict.message), verdict.message
    assert "pd(u1, x) = 2*x" not in verdict.message, "the true step is not the one that broke"


def test_failed_case_is_named(page_of):
    verdict = verdict_for(page_of, {"id": "msg-case", "vars": {"z": "scalar"}, "f": "max(0, z)", "wrt": "z",
                                    "claim": [{"if": "z <= 0", "then": "0"}, {"if": "z > 0", "then": "2"}]})
    assert verdict.status == "failed"
    assert "z > 0" in verdict.message or re.search(r"case\s*#?\s*2\b", verdict.message), verdict.message
    assert "z <= 0" not in verdict.message, "the true case is not the one that broke"


def test_verdict_as_dict_is_the_json_contract(page_of):
    verdict = verdict_for(page_of, {"id": "msg-dict", "vars": {"x": "scalar"}, "f": "x**2", "wrt": "x",
                                    "claim": "2*x"})
    assert verdict.as_dict() == {"id": "msg-dict", "file": FILE, "line": 3, "status": "verified",
                                 "message": verdict.message}


def test_a_lookalike_letter_is_named_with_its_code_point_and_line():
    page = ("# Lookalikes\n\n```derivation\nid: msg-lookalike\ntitle: Dérivée\nvars:\n  x: scalar\n"
            "let:\n  u: x**2\nf: x**2\nwrt: x\nclaim: 2*x\nsteps:\n  - d(u, x) = 2*\uff58\n```\n")
    [verdict] = mathcheck.check_blocks(mathcheck.find_blocks(page, FILE), jobs=1, time_limit=20,
                                       cache_dir=None)
    assert verdict.status == "error", verdict.message
    assert "U+FF58" in verdict.message and "\uff58" in verdict.message, verdict.message
    assert verdict.message.endswith("(line 14)"), verdict.message


def test_non_ascii_in_a_title_or_a_yaml_comment_is_fine():
    page = ("# Prose\n\n```derivation\nid: msg-prose  # ｘ² in a comment\ntitle: x² — ｘ\n"
            "vars:\n  x: scalar   # 𝑥\nf: x**2\nwrt: x\nclaim: 2*x\n```\n")
    [verdict] = mathcheck.check_blocks(mathcheck.find_blocks(page, FILE), jobs=1, time_limit=20,
                                       cache_dir=None)
    assert verdict.status == "verified", verdict.message


def test_cases_that_do_not_partition_name_a_point_where_that_shows(page_of):
    verdict = verdict_for(page_of, {"id": "msg-gap", "vars": {"x": "scalar"}, "f": "abs(x - 7)", "wrt": "x",
                                    "claim": [{"if": "x > 9", "then": "1"}, {"if": "x < 7", "then": "-1"}]})
    assert verdict.status == "error", verdict.message
    assert "incomplete" in verdict.message, verdict.message
    point = re.search(rf"\bx = ({NUMBER})", verdict.message)
    assert point and 7 < float(Fraction(point.group(1))) < 9, verdict.message
