"""`mathcheck explain [TOPIC]` prints the block format's reference shipped in the package; it
names every function the parser accepts, every key a block may hold and every table column,
and its examples are verified blocks, so it cannot drift from what the checker does."""
from __future__ import annotations

import re
import textwrap

import pytest

import mathcheck
from mathcheck import cli
from mathcheck.pages.blocks import KEYS
from mathcheck.language.claims import _PROPERTY
from mathcheck.reference import sections
from mathcheck.language.syntax import CONSTANTS, FUNCTIONS
from mathcheck.pages.tables import COLUMNS


def explained(capsys, *topic: str) -> str:
    assert cli.main(["explain", *topic]) == 0
    return capsys.readouterr().out


def words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z_]\w*", text))


def test_every_function_and_constant_the_parser_accepts_is_named(capsys) -> None:
    named = words(explained(capsys, "functions")) | words(explained(capsys, "expressions"))
    assert set(FUNCTIONS) | set(CONSTANTS) <= named, set(FUNCTIONS) - named


def test_every_key_of_a_block_and_every_table_column_is_named(capsys) -> None:
    assert set(KEYS) <= words(explained(capsys, "block")) | words(explained(capsys, "steps")), KEYS
    assert set(COLUMNS) <= words(explained(capsys, "tables"))
    properties = _PROPERTY.pattern.split("(?P<prop>")[1].split(")")[0].split("|")
    assert set(properties) <= words(explained(capsys, "assume"))


@pytest.mark.parametrize("topic, must_say", [
    ("kinds", ["scalar", "constant", "vector(n)", "matrix(m, n)", "function(KIND, ... -> KIND)"]),
    ("layouts", ["wrt: vec(X)", "kron(B.T, A)", "order: 2", "Hessian", "denominator"]),
    ("assume", ["m >= n", "spd", "undefined", "never sample"]),
    ("derive", ["mathcheck derive", "underived", "{id, file, line, status, derivative, latex, message}"]),
    ("check", ["{id, file, line, status, message}", "--format github", "suggestion"]),
])
def test_each_topic_says_what_the_design_says(capsys, topic: str, must_say: list[str]) -> None:
    text = explained(capsys, topic)
    for phrase in must_say:
        assert phrase in text, phrase


def test_without_a_topic_every_section_is_printed(capsys) -> None:
    whole = explained(capsys)
    for name, body in sections().items():
        assert f"{name.upper()}\n{body}" in whole
    assert len(sections()) >= 10


def test_an_unknown_topic_is_a_usage_error_that_lists_the_topics(capsys) -> None:
    assert cli.main(["explain", "kind"]) == 2
    said = capsys.readouterr().err
    assert "no topic `kind`" in said and "kinds" in said and "derive" in said


def examples() -> list[str]:
    """The reference's example blocks: its indented fences, and its indented YAML with `f:`."""
    found = []
    for body in sections().values():
        for chunk in re.findall(r"(?:^    .*\n?)+", body, re.MULTILINE):
            chunk = textwrap.dedent(chunk)
            if chunk.startswith("```derivation"):
                found.append(chunk if chunk.endswith("\n") else chunk + "\n")
            elif re.search(r"^f: ", chunk, re.MULTILINE):
                found.append(f"```derivation\nid: example-{len(found)}\n{chunk.rstrip()}\n```\n")
    return found


def test_the_examples_are_verified_blocks() -> None:
    pages = examples()
    assert len(pages) == 2
    blocks = [b for i, page in enumerate(pages) for b in mathcheck.find_blocks(page, f"reference-{i}.md")]
    verdicts = mathcheck.check_blocks(blocks, jobs=1)
    assert [v.status for v in verdicts] == ["verified"] * 2, [v.message for v in verdicts]
