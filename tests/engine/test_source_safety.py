"""The engine's own source, every module of every stage, never hands text to an evaluator."""
import ast
from pathlib import Path

import mathcheck

ENGINE = Path(mathcheck.__file__).parent
SOURCES = sorted(ENGINE.rglob("*.py"))


def test_every_stage_is_read():
    assert {p.parent.name for p in SOURCES} >= {"mathcheck", "pages", "language", "checking", "deriving",
                                                 "drawing", "running"}

BUILTINS = {"eval", "exec", "compile", "__import__"}
SYMPY = {"sympify", "parse_expr", "lambdify", "S", "parse_latex"}


def test_engine_calls_no_evaluator():
    found = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None)
                attr = getattr(node.func, "attr", None)
                if name in BUILTINS | SYMPY or attr in SYMPY:
                    found.append(f"{path.relative_to(ENGINE)}:{node.lineno}: {name or attr}")
    assert found == []


def test_page_text_is_parsed_only_as_an_expression():
    parses = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "parse" \
                    and getattr(node.func.value, "id", None) == "ast":
                modes = [k.value.value for k in node.keywords if k.arg == "mode"]
                parses.append((str(path.relative_to(ENGINE)), modes))
    assert parses == [("language/syntax.py", ["eval"])]
