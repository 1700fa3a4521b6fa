"""Pages written to hang, exhaust or fool the parent process: each is found out in time linear
in the page, before any worker, as a located error; nothing such a page writes reaches a
terminal raw; the cache reads only its own regular files."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

import mathcheck
from mathcheck.pages.blocks import find_blocks
from mathcheck.running.cache import MAX_ENTRY, VerdictCache, key
from mathcheck.language.claims import read_claim
from mathcheck.cli import main
from mathcheck.pages.fences import OURS, Stray, fences_by_info
from mathcheck.pages.tables import find_tables, parse_table, select_blocks, unknown_names
from mathcheck.checking.verdicts import Outcome, printable
from mathcheck.pages.yaml_limits import MAX_DEPTH

BODY = "id: b\nvars: {x: scalar}\nf: x**2\nwrt: x\nclaim: 2*x\n"


def timed(run, *args):
    start = time.perf_counter()
    result = run(*args)
    return result, time.perf_counter() - start


def let_chain(length: int, condition_at: str) -> str:
    """A block whose lets each name the one before twice, read from a condition."""
    lets = "\n".join(["  a0: x"] + [f"  a{i}: a{i - 1} + a{i - 1}" for i in range(1, length)])
    last = f"a{length - 1}"
    claim = f"[{{if: {last} > 0, then: 1}}, {{if: {last} <= 0, then: 1}}]" if condition_at == "if" else "1"
    assume = f"assume: [{last} > 0]\n" if condition_at == "assume" else ""
    return f"```derivation\nid: chain\nvars: {{x: scalar}}\nlet:\n{lets}\nf: x\nwrt: x\n{assume}claim: {claim}\n```\n"


@pytest.mark.parametrize("condition_at", ["assume", "if"])
def test_a_chain_of_lets_read_from_a_condition_costs_its_length(condition_at):
    [block] = find_blocks(let_chain(40, condition_at), "chain.md")
    claim, seconds = timed(read_claim, block)
    assert seconds < 0.5 and len(claim.lets) == 40


ANCHOR_BOMB = ["  - &a0 [t, t, t, t, t, t, t, t, t]"] + [
    f"  - &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]


@pytest.mark.parametrize("yaml_text, line", [
    ("tags:\n" + "\n".join(ANCHOR_BOMB), 3),
    ("title: &t Sums\ntags: [t]", 2),
    ("tags: [t]\nids: [*x]", 3),
])
def test_a_table_with_anchors_or_aliases_is_a_located_error(yaml_text, line):
    [table], seconds = timed(find_tables, f"```derivation-table\n{yaml_text}\n```\n", "t.md")
    assert seconds < 0.5
    assert "anchors and aliases" in table.problem and table.problem.startswith("t.md:1: derivation-table:")
    assert table.problem_line == line


def test_an_anchor_alone_is_refused_in_a_block_too():
    [block] = find_blocks(f"```derivation\n{BODY}tags: [&a t]\n```\n", "a.md")
    assert "anchors and aliases" in block.problem and block.problem_line == 7


def test_a_refused_block_with_an_alias_bomb_for_a_title_is_never_built():
    text = "```derivation\nid: t\ntitle:\n" + "\n".join(ANCHOR_BOMB) + "\nvars: {x: scalar}\nf: x\nwrt: x\nclaim: 1\n```\n"
    [block], seconds = timed(find_blocks, text, "t.md")
    assert seconds < 0.5 and block.spec is None and block.title is None
    assert "anchors and aliases" in block.problem and block.problem_line == 4


def test_a_title_that_is_not_text_is_never_printed_as_one():
    [block] = find_blocks(f"```derivation\n{BODY}title: [a, [b, c]]\n```\n", "t.md")
    assert block.title is None and "`title` must be text" in block.problem
    [table] = find_tables("```derivation-table\ntitle: [a, [b]]\ntags: [t]\n```\n", "t.md")
    assert "`title` must be text" in table.problem and table.problem_line == 2


DEEP = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)


@pytest.mark.parametrize("body", [
    f"!!str id: {DEEP}\n", f"id: b\ntitle: {DEEP}\n", f"{BODY}tags: {DEEP}\n",
    f"id: b\n!!str title: {{a: {DEEP}}}\n", "id: b\nlet:\n" + "".join("  " * k + "a:\n" for k in range(1, 40)),
])
def test_nesting_too_deep_in_a_block_is_a_located_error(body):
    [block] = find_blocks(f"# T\n\n```derivation\n{body}```\n", "d.md")
    assert "nested more than" in block.problem
    assert 4 <= block.problem_line <= 3 + body.count("\n")
    [verdict] = mathcheck.check_blocks([block])
    assert verdict.status == "error" and verdict.message.startswith("d.md:3:")


@pytest.mark.parametrize("body", [f"title: {DEEP}\ntags: [x]", f"!!str title: {DEEP}", f"tags: [x]\nids: {DEEP}"])
def test_nesting_too_deep_in_a_table_is_a_located_error(body):
    table = parse_table(body, "t.md", 1, 4)
    assert "nested more than" in table.problem and table.problem_line in (2, 3)


def test_table_selection_is_linear_in_repeated_tags_and_keeps_its_order():
    blocks = find_blocks("".join(
        f"```derivation\nid: b{i}\nvars: {{x: scalar}}\nf: x\nwrt: x\nclaim: 1\ntags: [{'u' if i % 2 else 't'}, t]\n```\n"
        for i in range(300)), "b.md")
    table = parse_table("ids: [b7, b3, b7]\ntags: [" + ", ".join(["u", "t"] * 1000) + "]", "t.md", 1, 4)
    (chosen, problems), seconds = timed(select_blocks, table, blocks)
    assert seconds < 0.5 and problems == []
    odd, even = [b.id for b in blocks if int(b.id[1:]) % 2], [b.id for b in blocks if not int(b.id[1:]) % 2]
    assert [b.id for b in chosen] == ["b7", "b3"] + [i for i in odd if i not in ("b7", "b3")] + even


def test_hints_for_many_long_unknown_names_are_bounded():
    blocks = find_blocks("".join(f"```derivation\nid: {'q' * 60}{i}\nvars: {{x: scalar}}\nf: x\nwrt: x\n"
                                 f"claim: 1\ntags: [{'r' * 60}{i}]\n```\n" for i in range(200)), "b.md")
    names = [f"{'q' * 60}{i}x" for i in range(300)] + ["z" * 5000]
    table = parse_table(f"ids: [{', '.join(names)}]\ntags: [{'r' * 5000}]", "t.md", 1, 4)
    found, seconds = timed(unknown_names, table, blocks)
    assert seconds < 1 and len(found) == 302
    assert "(did you mean `" in found[0][1] and "did you mean" not in found[-1][1]


def test_repeated_unknown_names_are_reported_once():
    table = parse_table("ids: [nope, nope]\ntags: [gone, gone]", "t.md", 1, 4)
    assert [key for key, _ in unknown_names(table, [])] == ["ids", "tags"]


@pytest.mark.parametrize("opening", [
    "```\u00a0derivation", "```derivation\u00a0", "``` \u2003derivation", "```\u3000derivation",
    "```derivation\u3000", "```\u202fderivation-table", "```deri\u200bvation", "``` derivation\u2011table",
    "\f```derivation", "\u2028```derivation", "```derivation\v",
])
def test_a_fence_near_ours_with_unicode_spaces_or_marks_is_a_located_error(opening):
    [stray] = find_blocks(f"# T\n\n{opening}\n{BODY}```\n", "u.md")
    assert not stray.shown and stray.line == 3 and stray.problem_line == 3
    assert "U+" in stray.problem and "derivation" in stray.problem


@pytest.mark.parametrize("opening", ["``` d\u0435r\u0456v\u0430t\u0456\u043en", "```\uff44\uff45rivation",
                                     "```d\u0435riv\u0430tion-t\u0430bl\u0435"])
def test_a_fence_spelt_with_lookalike_letters_is_a_located_error(opening):
    [stray] = find_blocks(f"# T\n\n{opening}\n{BODY}```\n", "u.md")
    assert not stray.shown and stray.problem_line == 3 and "(did you mean `derivation" in stray.problem
    assert "it holds U+" in stray.problem


@pytest.mark.parametrize("opening", ["```python", "```\u00a0python", "``` caf\u00e9", "```derivation"])
def test_other_fences_with_unicode_are_left_alone(opening):
    found = find_blocks(f"# T\n\n{opening}\n{BODY}```\n", "u.md")
    assert [b.shown for b in found] == ([True] if opening == "```derivation" else [])


# Python's str.splitlines breaks lines at each of these; Markdown does not (only at \n, \r\n, \r).
NOT_BREAKS = ["\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("char", NOT_BREAKS)
def test_a_character_that_is_no_line_break_to_markdown_splits_no_line(char):
    text = f"# T\n\n```derivation\n{BODY}{char}```\n"  # the closing line is not `\`\`\``: the fence stays open
    [stray] = fences_by_info(text, OURS)["derivation"]
    assert isinstance(stray, Stray) and "never closed" in stray.problem


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_the_line_breaks_markdown_knows_split_lines(newline):
    [block] = find_blocks(f"# T\n\n```derivation\n{BODY}```\n".replace("\n", newline), "n.md")
    assert block.problem is None and block.line == 3 and block.end_line == 9


def test_an_id_with_a_trailing_newline_is_refused():
    newline_id = BODY.replace("id: b", 'id: "b\\n"')
    blocks = find_blocks(f"```derivation\n{BODY}```\n\n```derivation\n{newline_id}```\n", "i.md")
    assert blocks[0].problem is None
    assert blocks[1].problem.startswith("`id` must be a name") and blocks[1].problem_line == 10


CONTROL = "\x1b[2K\r\x1b[32mfake.md:1: block verified\x1b[0m\x9b"
HOSTILE = f'```derivation\nid: b\n"{CONTROL}": 1\nvars: {{x: scalar}}\nf: x\nwrt: x\nclaim: 1\n```\n'.replace("\x1b", "\\e").replace("\r", "\\r").replace("\x9b", "\\x9b")


@pytest.mark.parametrize("form", ["text", "github", "json"])
def test_control_characters_of_a_page_never_reach_the_output(form, tmp_path, capsys):
    page = tmp_path / "c.md"
    page.write_text(HOSTILE)
    assert main(["check", "--no-cache", "--format", form, str(page)]) == 1
    out, err = capsys.readouterr()
    assert not any(c in out + err for c in "\x1b\r\x9b")
    if form == "json":
        [item] = json.loads(out)
        assert CONTROL in item["message"]  # JSON's own escapes carry the text exactly
    else:
        assert "\\x1b[2K\\x0d\\x1b[32mfake.md:1: block verified\\x1b[0m\\x9b" in out


def test_printable_writes_out_what_a_terminal_would_obey():
    assert printable("a\x1b[1m\tb\nc\x7f\x85\u202e\u2028") == "a\\x1b[1m\tb\nc\\x7f\\x85\\u202e\\u2028"


def cache_with_entry(tmp_path: Path) -> tuple[VerdictCache, list[str], object, Path]:
    said: list[str] = []
    cache = VerdictCache(tmp_path / "cache", said.append)
    [block] = find_blocks(f"```derivation\n{BODY}```\n", "c.md")
    cache.put(block, Outcome("error", "planted"))
    path = tmp_path / "cache" / key(block)[:2] / f"{key(block)}.json"
    assert path.is_file() and cache.get(block).detail == "planted"
    return cache, said, block, path


@pytest.mark.parametrize("plant", ["symlink", "fifo", "device", "too big", "symlinked folder"])
def test_the_cache_opens_only_its_own_regular_files_and_says_so_once(plant, tmp_path):
    cache, said, block, path = cache_with_entry(tmp_path)
    outside = tmp_path / "outside.json"
    outside.write_text(path.read_text())
    path.unlink()
    if plant == "symlink":
        path.symlink_to(outside)
    elif plant == "fifo":
        os.mkfifo(path)
    elif plant == "device":
        path.symlink_to("/dev/zero")
    elif plant == "too big":
        path.write_text(outside.read_text() + " " * MAX_ENTRY)
    else:
        folder = path.parent
        for entry in folder.iterdir():
            entry.unlink()
        folder.rmdir()
        (tmp_path / "elsewhere").mkdir()
        folder.symlink_to(tmp_path / "elsewhere")
        (tmp_path / "elsewhere" / path.name).write_text(outside.read_text())
    assert timed(cache.get, block)[1] < 1 and cache.get(block) is None
    assert len(said) == 1 and "skipped" in said[0] and "regular files" in said[0]
    if plant == "symlinked folder":
        cache.put(block, Outcome("error", "again"))
        assert (tmp_path / "elsewhere" / path.name).read_text() == outside.read_text()  # not written through


def test_a_missing_entry_is_a_quiet_miss(tmp_path):
    cache, said, block, path = cache_with_entry(tmp_path)
    path.unlink()
    assert cache.get(block) is None and said == []


def test_the_cache_writes_no_gitignore_through_a_symlink_left_in_its_place(tmp_path):
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / ".gitignore").symlink_to(tmp_path / "planted")
    cache = VerdictCache(tmp_path / "cache")
    [block] = find_blocks(f"```derivation\n{BODY}```\n", "c.md")
    cache.put(block, Outcome("error", "kept"))
    assert not (tmp_path / "planted").exists() and cache.get(block).detail == "kept"


def test_a_page_that_starts_with_a_byte_order_mark_is_read_as_markdown_reads_it(tmp_path, capsys):
    page = tmp_path / "bom.md"
    page.write_bytes(b"\xef\xbb\xbf" + f"```derivation\n{BODY}```\n".encode())
    assert main(["check", "--no-cache", str(page)]) == 0
    assert "1 blocks: 1 verified" in capsys.readouterr().out
