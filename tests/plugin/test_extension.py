"""The Markdown extension used by Python-Markdown directly: it checks, typesets, and raises
on a wrong block; without superfences it says what it needs."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest

from mathcheck_mkdocs.extension import MathcheckError

GOOD = "# Page\n\n```derivation\nid: sq\nvars:\n  x: scalar\nf: x**2\nwrt: x\nclaim: 2*x\n```\n"
WRONG = GOOD.replace("claim: 2*x", "claim: x")


def render(text: str, cache: Path, extensions: tuple[str, ...] = ("pymdownx.superfences", "mathcheck")) -> str:
    return markdown.markdown(text, extensions=list(extensions),
                             extension_configs={"mathcheck": {"cache_dir": str(cache), "jobs": 1}})


def test_a_good_block_is_typeset_in_place(tmp_path: Path) -> None:
    html = render(GOOD + "\n> ```{.derivation}\n> id: sq2\n> vars: {x: scalar}\n> f: x**3\n> wrt: x\n"
                  "> claim: 3*x**2\n> ```\n", tmp_path)
    assert '<div class="mathcheck-block" id="sq">' in html
    assert '<blockquote>\n<div class="mathcheck-block" id="sq2">' in html
    assert "claim:" not in html


def test_a_wrong_block_raises_with_its_line(tmp_path: Path) -> None:
    with pytest.raises(MathcheckError, match=r"<markdown>:3: block `sq` failed"):
        render(WRONG, tmp_path)


def test_the_extension_listed_before_superfences_works_too(tmp_path: Path) -> None:
    assert 'id="sq"' in render(GOOD, tmp_path, ("mathcheck", "pymdownx.superfences"))


def test_without_superfences_it_names_what_it_needs(tmp_path: Path) -> None:
    with pytest.raises(MathcheckError, match="needs pymdownx.superfences"):
        render(GOOD, tmp_path, ("mathcheck",))


def test_a_misspelt_fence_raises_with_its_line_and_the_fix(tmp_path: Path) -> None:
    with pytest.raises(MathcheckError, match=r"<markdown>:3: block error: this fence reads `Derivation`, which is "
                                             r"not checked: Markdown shows it as code \(did you mean `derivation`\?\)"):
        render(GOOD.replace("```derivation", "```Derivation"), tmp_path)


def test_verified_page_links_each_blocks_evidence(tmp_path: Path) -> None:
    html = markdown.markdown(GOOD, extensions=["pymdownx.superfences", "mathcheck"],
                             extension_configs={"mathcheck": {"cache_dir": str(tmp_path), "jobs": 1,
                                                              "verified_page": "page.md#verified"}})
    assert 'href="./#verified">What “verified” means</a>' in html


@pytest.mark.parametrize("option, value, says", [
    ("jobs", -1, "option `jobs` is -1; write a whole number"),
    ("jobs", "two", "option `jobs` is 'two'"),
    ("time_limit", 0, "option `time_limit` is 0; write a positive number"),
    ("layout", "rows", "option `layout` is 'rows'; write `numerator` or `denominator`"),
    ("cache_dir", 3, "option `cache_dir` is 3"),
    ("katex", "no", "option `katex` is 'no'; write `true`"),
    ("verified_pages", "index.md", "no option `verified_pages`; its options are .*`verified_page`"),
])
def test_a_wrong_option_says_what_to_write(tmp_path: Path, option: str, value: object, says: str) -> None:
    with pytest.raises(MathcheckError, match=says):
        markdown.markdown(GOOD, extensions=["pymdownx.superfences", "mathcheck"],
                          extension_configs={"mathcheck": {"cache_dir": str(tmp_path), option: value}})


def test_the_evidence_panel_warns_where_the_layout_is_not_checked(tmp_path: Path) -> None:
    spd = ("# Page\n\n```derivation\nid: log-det-spd\nvars:\n  X: matrix(n, n)\nf: log(det(X))\n"
           "wrt: X\nassume: [X spd]\nclaim: inv(X)\n```\n")
    html = render(spd, tmp_path)
    assert ('<dt>Warning</dt><dd><span class="mathcheck-warning">the layout is not checked under '
            "`X spd`") in html
    assert "Warning" not in render(spd.replace("[X spd]", "[det(X) > 0]"), tmp_path / "positive")


def test_a_blocks_conditions_read_as_where_it_holds(tmp_path: Path) -> None:
    html = render("```derivation\nid: relu\nvars: {z: 'vector(n)'}\nassume: [z != 0]\nf: max(0, z)\n"
                  "wrt: z\nclaim: diag(step(z))\n```\n", tmp_path)
    assert (r'<p class="mathcheck-assume">holds when <span class="arithmatex">\(\text{no entry of } '
            r'\mathbf{z} \text{ is } 0\)</span></p>') in html
