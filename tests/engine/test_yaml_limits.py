"""YAML that could make a small block stand for an enormous one is refused at once."""
import time

import mathcheck


def test_a_billion_laughs_block_is_an_error_found_in_milliseconds():
    anchors = ["  - &a0 [x, x, x, x, x, x, x, x, x]"]
    anchors += [f"  - &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 12)]
    text = ("```derivation\nid: bomb\nvars: {x: scalar}\nf: x\nwrt: x\nclaim: 1\ntags:\n"
            + "\n".join(anchors) + "\n```\n")
    start = time.monotonic()
    [block] = mathcheck.find_blocks(text, "bomb.md")
    [verdict] = mathcheck.check_blocks([block])
    assert time.monotonic() - start < 1
    assert verdict.status == "error"
    assert "anchors and aliases" in verdict.message and verdict.message.startswith("bomb.md:1:")
    assert block.tags == ()


def test_a_simple_alias_is_refused_too():
    text = "```derivation\nid: a\nvars: {x: scalar}\nf: &e x**2\nwrt: x\nclaim: *e\n```\n"
    [verdict] = mathcheck.check_text(text, "a.md")
    assert verdict.status == "error" and "aliases" in verdict.message
