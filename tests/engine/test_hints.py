"""Messages that help fix a block: "did you mean" for misspelt names, YAML errors with their
column, and fences written in the attribute form."""
from __future__ import annotations

from mathcheck import check_text, find_blocks


def only_verdict(text: str):
    (verdict,) = check_text(text, "docs/p.md")
    return verdict


def test_a_misspelt_function_is_named_with_its_likely_meaning() -> None:
    text = "```derivation\nid: s\nvars:\n  x: scalar\nf: sigmod(x)\nwrt: x\nclaim: 1\n```\n"
    verdict = only_verdict(text)
    assert verdict.status == "error"
    assert "unknown function `sigmod` (did you mean `sigmoid`?)" in verdict.message


def test_a_misspelt_key_is_named_with_its_likely_meaning_and_line() -> None:
    text = "```derivation\nid: s\nvars:\n  x: scalar\nf: x\nwtr: x\nclaim: 1\n```\n"
    verdict = only_verdict(text)
    assert verdict.status == "error"
    assert "unknown key `wtr` (did you mean `wrt`?)" in verdict.message
    assert verdict.key_line == 6


def test_a_name_far_from_every_known_one_gets_no_guess() -> None:
    text = "```derivation\nid: s\nvars:\n  x: scalar\nf: x\nwrt: x\nclaim: 1\nzzzz: 1\n```\n"
    assert "did you mean" not in only_verdict(text).message


def test_malformed_yaml_names_its_line_and_column() -> None:
    text = "# Page\n\n```derivation\nid: s\nvars: {x: scalar\nf: x\n```\n"
    (block,) = find_blocks(text, "docs/p.md")
    assert block.problem is not None and block.problem.startswith("malformed YAML")
    assert "(column " in block.problem
    column = int(block.problem.split("(column ")[1].rstrip(")"))
    line = text.splitlines()[block.problem_line - 1]
    assert 1 <= column <= len(line) + 1


def test_attribute_form_fences_are_blocks() -> None:
    body = "id: s\nvars:\n  x: scalar\nf: x**2\nwrt: x\nclaim: 2*x\n"
    text = f"```{{.derivation}}\n{body}```\n\n``` {{ .derivation #anchor }}\n{body.replace('id: s', 'id: t')}```\n"
    text += f"\n```.derivation\n{body.replace('id: s', 'id: u')}```\n\n```python\n{body}```\n"
    assert [block.id for block in find_blocks(text, "p.md")] == ["s", "t", "u"]
