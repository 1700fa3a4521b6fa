"""Fences that look like derivation blocks but that Markdown (pymdownx.superfences) does not
read as ours: each is an error block naming its line and the fix, never a silent piece of
code; and every fence superfences does hand to our formatter is found, as it reads it."""
from __future__ import annotations

import pytest

import mathcheck
from mathcheck.pages.fences import Stray, fences_by_info

BODY = "id: b\nvars: {x: scalar}\nf: x**2\nwrt: x\nclaim: 2*x\n"


def indent(text: str, prefix: str) -> str:
    return "".join(prefix + line + "\n" if line else "\n" for line in text.splitlines())


def fence(info: str, mark: str = "```") -> str:
    return f"{mark}{info}\n{BODY}{mark}\n"


def only_block(text: str) -> mathcheck.Block:
    blocks = mathcheck.find_blocks(text, "p.md")
    assert len(blocks) == 1, [(b.line, b.problem) for b in blocks]
    return blocks[0]


# spelling -> what the message says: the info string as written, then the suggestion
MISSPELT = {
    "Derivation": ("`Derivation`", "did you mean `derivation`?"),
    "DERIVATION": ("`DERIVATION`", "did you mean `derivation`?"),
    "derivaton": ("`derivaton`", "did you mean `derivation`?"),
    "derivations": ("`derivations`", "did you mean `derivation`?"),
    "derivatino": ("`derivatino`", "did you mean `derivation`?"),  # two letters swapped
    "derivative": ("`derivative`", "did you mean `derivation`?"),  # two letters off
    "derivation.": ("`derivation.`", "did you mean `derivation`?"),
    "derivation_table": ("`derivation_table`", "did you mean `derivation-table`?"),
    "Derivation-Table": ("`Derivation-Table`", "did you mean `derivation-table`?"),
    "derivationtable": ("`derivationtable`", "did you mean `derivation-table`?"),
    "derivation-tables": ("`derivation-tables`", "did you mean `derivation-table`?"),
    "{.Derivation}": ("`Derivation`", "did you mean `derivation`?"),
    "{derivation}": ("`{derivation}`", "did you mean `{.derivation}`?"),
    "{ derivation_table }": ("`{derivation_table}`", "did you mean `{.derivation-table}`?"),
    "Derivation title=\"x\"": ("`Derivation`", "did you mean `derivation`?"),
}


@pytest.mark.parametrize("info", list(MISSPELT))
def test_a_misspelt_fence_is_an_error_block_naming_the_fix(info):
    block = only_block("# T\n\n" + fence(info))
    written, hint = MISSPELT[info]
    assert block.problem == f"this fence reads {written}, which is not checked: Markdown shows it as code ({hint})"
    assert (block.line, block.problem_line, block.end_line, block.shown) == (3, 3, 9, False)
    assert block.spec is None and block.id is None


@pytest.mark.parametrize("where", ["in a list item", "in an admonition", "in a block quote", "with tildes"])
def test_a_misspelt_fence_is_reported_wherever_a_fence_may_stand(where):
    text = {
        "in a list item": "# T\n\n- a point\n\n" + indent(fence("Derivation"), "  "),
        "in an admonition": "# T\n\n!!! note\n\n" + indent(fence("Derivation"), "\t"),
        "in a block quote": "# T\n\n" + indent(fence("Derivation"), "> "),
        "with tildes": "# T\n\n" + fence("Derivation", "~~~"),
    }[where]
    block = only_block(text)
    assert block.problem.startswith("this fence reads `Derivation`, which is not checked"), block.problem


NOT_OURS = {
    "python": "# T\n\n" + fence("python"),
    "yaml": "# T\n\n" + fence("yaml"),
    "latex": "# T\n\n" + fence("latex"),
    "no info string": "# T\n\n" + fence(""),
    # five letters from `derivation`: a name of its own, not a slip of the keyboard
    "deriv": "# T\n\n" + fence("deriv"),
    "derive": "# T\n\n" + fence("derive"),
    "deriving": "# T\n\n" + fence("deriving"),
    "table": "# T\n\n" + fence("table"),
    "another class first": "# T\n\n" + fence("{.yaml .derivation}"),
    "the source of a block, shown in a longer fence": "# T\n\n````markdown\n" + fence("Derivation") + "````\n",
    "the source of a block, shown in a tilde fence": "# T\n\n~~~markdown\n" + fence("derivation") + "~~~\n",
    "a misspelt fence in an indented code block": "# T\n\nText.\n\n" + indent(fence("Derivation"), "    "),
    "a block in an indented code block": "# T\n\nText.\n\n" + indent(fence("derivation"), "    "),
    "inline code": "# T\n\nWrite ```Derivation``` fences.\n",
}


@pytest.mark.parametrize("name", list(NOT_OURS))
def test_what_is_not_meant_for_a_block_is_not_reported(name):
    assert mathcheck.find_blocks(NOT_OURS[name], "p.md") == []


# Where Python-Markdown reads an over-indented fence as code inside its container
OVER_INDENTED = {
    "a list item, eight spaces": ("- a point\n\n", "        ", "list item"),
    "a list item, two tabs": ("- a point\n\n", "\t\t", "list item"),
    "an admonition, eight spaces": ("!!! note\n\n", "        ", "admonition"),
    "an admonition, two tabs": ("!!! note\n\n", "\t\t", "admonition"),
    "an admonition, no blank line": ("!!! note\n", "\t\t", "admonition"),
    "a content tab, a tab and four spaces": ('=== "Tab"\n\n', "\t    ", "content tab"),
}


@pytest.mark.parametrize("name", list(OVER_INDENTED))
def test_a_block_indented_into_code_says_how_to_indent_it(name):
    opener, prefix, kind = OVER_INDENTED[name]
    block = only_block("# T\n\n" + opener + indent(fence("derivation"), prefix))
    assert block.problem == (f"this fence is indented 8 spaces, so Markdown shows it as code inside the {kind} "
                             f"above it and does not check it: indent it as that {kind}'s text (4 spaces; a tab "
                             "counts as 4)")
    assert block.shown is False and block.line == 3 + opener.count("\n")


# Fences superfences hands to our formatter: found, with the body it hands over
FOUND = {
    "a tab in an admonition": "!!! note\n\n" + indent(fence("derivation"), "\t"),
    "a tab in a list item": "- a point\n\n" + indent(fence("derivation"), "\t"),
    "a tab and spaces in an admonition in a list": "- a\n\n\t!!! note\n\n" + indent(fence("derivation"), "\t    "),
    "spaces and a tab in an admonition in a list": "- a\n\n    !!! note\n\n" + indent(fence("derivation"), "    \t"),
    "an opening line with a tab, a body with spaces": "- a\n\n\t```derivation\n" + indent(BODY, "    ") + "\t```\n",
    "six spaces in a list item": "- a point\n\n" + indent(fence("derivation"), "      "),
    "four spaces going on with a paragraph": "Text.\n" + indent(fence("derivation"), "    "),
    "in a footnote": "Text[^1].\n\n[^1]: A note.\n\n" + indent(fence("derivation"), "    "),
    "an id before the class": fence("{#here .derivation}"),
    "options after the info string": fence('derivation title="x"'),
    "an attribute list after a space": fence("derivation {.wide}"),
}


@pytest.mark.parametrize("name", list(FOUND))
def test_fences_markdown_reads_as_ours_are_found(name):
    block = only_block("# T\n\n" + FOUND[name])
    assert block.problem is None and block.shown, block.problem
    assert block.source.strip() == BODY.strip()


def test_tabs_in_a_body_are_kept_for_yaml_to_refuse():
    block = only_block("# T\n\n```derivation\nid: b\nvars:\n\tx: scalar\nf: x\nwrt: x\nclaim: 1\n```\n")
    assert "\tx: scalar" in block.source and "malformed YAML" in block.problem


STRAYS_ON_THE_WAY = {
    "no space before an attribute list": ("# T\n\n```derivation{.wide}\n" + BODY + "```\n", 3,
                                          "Markdown cannot read `derivation{.wide}` as the info string of this fence"),
    "a body line less indented": ("# T\n\n!!! note\n\n    ```derivation\n    id: b\nvars: {x: scalar}\n    ```\n",
                                  7, "line 7 is less indented than the fence's opening line"),
    "a closing line less indented": ("# T\n\n!!! note\n\n    ```derivation\n" + indent(BODY, "    ") + "```\n",
                                     11, "line 11 is less indented than the fence's opening line"),
    "never closed": ("# T\n\n```derivation\n" + BODY, 3, "this fence is never closed"),
    "closed by a longer mark only": ("# T\n\n```derivation\n" + BODY + "````\n", 3, "this fence is never closed"),
    "a table never closed": ("# T\n\n```derivation-table\ntags: [a]\n", 3, "this fence is never closed"),
}


@pytest.mark.parametrize("name", list(STRAYS_ON_THE_WAY))
def test_a_fence_markdown_drops_is_reported_at_the_line_that_drops_it(name):
    text, line, message = STRAYS_ON_THE_WAY[name]
    block = only_block(text)
    assert block.problem.startswith(message), block.problem
    assert block.problem_line == line and block.shown is False


def test_a_closing_mark_indented_further_is_body_as_superfences_reads_it():
    text = "# T\n\n```derivation\n" + BODY + "  ```\n\nText.\n\n```\n"
    block = only_block(text)
    assert (block.line, block.end_line) == (3, 13)
    assert "  ```" in block.source and block.problem.startswith("malformed YAML")


def test_a_misspelt_fence_beside_a_block_of_the_same_id_is_no_duplicate():
    text = "# T\n\n" + fence("Derivation") + "\n" + fence("derivation")
    stray, block = mathcheck.find_blocks(text, "p.md")
    assert stray.problem.startswith("this fence reads `Derivation`")
    assert block.problem is None and block.id == "b"


def test_strays_come_with_the_blocks_but_never_with_other_fences():
    text = "# T\n\n" + fence("Derivation") + "\n" + fence("derivation-table") + "\n" + fence("derivation_table")
    found = fences_by_info(text, ("derivation", "derivation-table"))
    assert [type(f) for f in found["derivation"]] == [Stray, Stray]
    assert found["derivation-table"] == [(11, 17, BODY.strip())]
    assert fences_by_info(text, ("derivation-table",))["derivation-table"] == [(11, 17, BODY.strip())]
    first, last, body = found["derivation"][0]  # a Stray reads as any fence
    assert (first, last, body) == (3, 9, BODY.strip())


def test_a_stray_is_an_error_verdict_naming_file_and_line():
    blocks = mathcheck.find_blocks("# T\n\n" + fence("Derivation"), "docs/p.md")
    [verdict] = mathcheck.check_blocks(blocks, jobs=1, cache_dir=None)
    assert verdict.status == "error"
    assert verdict.message == ("docs/p.md:3: block error: this fence reads `Derivation`, which is not checked: "
                               "Markdown shows it as code (did you mean `derivation`?)")
