"""The engine's own source never hands text to an evaluator."""
import ast
from pathlib import Path

import mathcheck

BUILTINS = {"eval", "exec", "compile", "__import__"}
SYMPY = {"sympify", "parse_expr", "lambdify", "S", "parse_latex"}


def test_engine_calls_no_evaluator():
    found = []
    for path in Path(mathcheck.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None)
                attr = getattr(node.func, "attr", None)
                if name in BUILTINS | SYMPY or attr in SYMPY:
                    found.append(f"{path.name}:{node.lineno}: {name or attr}")
    assert found == []


def test_page_text_is_parsed_only_as_an_expression():
    parses = []
    for path in Path(mathcheck.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "parse" \
                    and getattr(node.func.value, "id", None) == "ast":
                modes = [k.value.value for k in node.keywords if k.arg == "mode"]
                parses.append((path.name, modes))
    assert parses == [("syntax.py", ["eval"])]
