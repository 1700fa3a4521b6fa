"""Finding fences reads each line of a page a bounded number of times, however many fences
stand in lists, admonitions and tabs: the work is counted, not timed."""
from __future__ import annotations

import pytest

import mathcheck
from mathcheck.pages import fences


class CountedLines(list):
    """A page's lines that count every line handed out (by iteration or by index or slice)."""

    touched = 0

    def __iter__(self):
        for line in list.__iter__(self):
            CountedLines.touched += 1
            yield line

    def __reversed__(self):
        for line in list.__reversed__(self):
            CountedLines.touched += 1
            yield line

    def __getitem__(self, index):
        item = list.__getitem__(self, index)
        CountedLines.touched += len(item) if isinstance(index, slice) else 1
        return item


@pytest.fixture(autouse=True)
def counted_lines(monkeypatch):
    """The page's lines, as the fence scan splits them, counted."""
    split = fences.split_lines
    monkeypatch.setattr(fences, "split_lines", lambda text: CountedLines(split(text)))


CONTAINERS = ("- a point\n\n", "!!! note\n\n", '=== "Tab"\n\n', "1. a step\n\n")
FENCE = "    ```python\n    x = 1\n    y = 2\n    ```\n\n"
DERIVATION = ("    ```derivation\n    id: d{k}\n    vars: {{x: scalar}}\n    f: x**2\n    wrt: x\n"
              "    claim: 2*x\n    ```\n\n")


def large_page(items: int) -> str:
    """About 60 bytes a fence: a container opener, an indented fence; now and then a block."""
    parts = []
    for k in range(items):
        parts.append(CONTAINERS[k % len(CONTAINERS)])
        parts.append(DERIVATION.format(k=k) if k % 1000 == 0 else FENCE)
    return "".join(parts)


def test_scanning_a_large_page_of_indented_fences_touches_each_line_a_few_times():
    text = large_page(20_000)  # 1.1 MB, 120 000 lines
    lines = len(text.splitlines())
    CountedLines.touched = 0
    found = mathcheck.fences_by_info(text, ("derivation", "derivation-table", "python"))
    assert len(found["python"]) == 20_000 - 20 and len(found["derivation"]) == 20
    assert found["derivation-table"] == []
    assert lines <= CountedLines.touched <= 3 * lines, (CountedLines.touched, lines)


def test_blocks_deep_in_a_large_page_keep_their_lines():
    text = large_page(20_000)
    blocks = mathcheck.find_blocks(text, "big.md")
    assert [b.id for b in blocks] == [f"d{k}" for k in range(0, 20_000, 1000)]
    assert all(b.problem is None for b in blocks)
    lines = text.splitlines()
    assert all(lines[b.line - 1].strip() == "```derivation" for b in blocks)
    assert all(lines[b.end_line - 1].strip() == "```" for b in blocks)
