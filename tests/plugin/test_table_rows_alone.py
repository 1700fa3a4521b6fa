"""A table row reads on its own: the names its formulas use are defined in the row, and a
block's `let` that nothing printed uses is not shown as a "where"."""

from __future__ import annotations

from pathlib import Path

import markdown

from mathcheck import find_blocks
from mathcheck.language.latex import typeset

NAMED = """# Page

```derivation
id: bce
vars:
  z: scalar
  y: scalar
let:
  s: sigmoid(z)
  c: y * log(s) + (1 - y) * log(1 - s)
f: -c
wrt: z
claim: s - y
tags: [loss]
```

```derivation
id: square-unused
vars:
  x: scalar
let:
  u: x**2
  v: sin(x)
f: x**2
wrt: x
claim: 2 * x
tags: [loss]
```

```derivation
id: stepped
vars:
  x: vector(n)
let:
  u: x * x
  y: sum(u)
f: sum(x * x)
wrt: x
claim: 2 * x.T
steps:
  - d(y, x) = ones(n).T @ d(u, x)
tags: [loss]
```

```derivation-table
tags: [loss]
columns: [title, function, derivative]
```
"""


def test_a_row_defines_the_names_it_uses(tmp_path: Path) -> None:
    html = markdown.markdown(NAMED, extensions=["pymdownx.superfences", "mathcheck"],
                             extension_configs={"mathcheck": {"cache_dir": str(tmp_path), "jobs": 1}})
    table = html[html.index('<div class="mathcheck-table">'):]
    bce = table[:table.index("</tr>", table.index('href="#bce"'))]
    assert '<span class="mathcheck-where">where ' in bce
    assert r"s = \sigma\left( z \right)" in bce and "c = y" in bce
    square = table[table.index('href="#square-unused"'):]
    assert "mathcheck-where" not in square[:square.index("</tr>")]


def test_a_row_defines_no_name_only_its_block_steps_use(tmp_path: Path) -> None:
    """The block prints `u` and `y` for its step; its row shows no step, so no "where"."""
    html = markdown.markdown(NAMED, extensions=["pymdownx.superfences", "mathcheck"],
                             extension_configs={"mathcheck": {"cache_dir": str(tmp_path), "jobs": 1}})
    block = html[html.index('id="stepped"'):html.index('<div class="mathcheck-table">')]
    assert r"y &amp;= \operatorname{sum}" in block
    row = html[html.index('href="#stepped"', html.index('<div class="mathcheck-table">')):]
    assert "mathcheck-where" not in row[:row.index("</tr>")]


def test_a_row_defines_only_the_names_of_the_formulas_it_shows(tmp_path: Path) -> None:
    """Without the function column, a name only f reads (`c`) is not defined; one the
    derivative reads (`s`) is."""
    page = NAMED.replace("columns: [title, function, derivative]", "columns: [title, derivative]")
    html = markdown.markdown(page, extensions=["pymdownx.superfences", "mathcheck"],
                             extension_configs={"mathcheck": {"cache_dir": str(tmp_path), "jobs": 1}})
    table = html[html.index('<div class="mathcheck-table">'):]
    bce = table[:table.index("</tr>", table.index('href="#bce"'))]
    assert r"s = \sigma\left( z \right)" in bce and "c = y" not in bce


SHARED = """```derivation
id: first
vars: {z: vector(n)}
let: {s: sigmoid(z)}
f: sum(log(s))
wrt: z
claim: (1 - s).T
tags: [t]
```

```derivation
id: second
vars: {z: vector(n)}
let: {s: sigmoid(z)}
f: sum(s)
wrt: z
claim: (s * (1 - s)).T
tags: [t]
```

```derivation
id: third
vars: {z: vector(n)}
f: sum(z)
wrt: z
claim: ones(n).T
tags: [t]
```

```derivation-table
tags: [t]
columns: [title, statement]
```
"""


def test_a_row_with_the_definitions_of_the_row_above_points_to_them(tmp_path: Path) -> None:
    html = markdown.markdown(SHARED, extensions=["pymdownx.superfences", "mathcheck"],
                             extension_configs={"mathcheck": {"cache_dir": str(tmp_path), "jobs": 1}})
    table = html[html.index('<div class="mathcheck-table">'):]
    rows = table.split("<tr>")[2:]
    assert [r"\mathbf{s} = \sigma" in row for row in rows] == [True, False, False]
    assert ["as in the row above" in row for row in rows] == [False, True, False]


def test_a_row_that_extends_the_definitions_above_defines_only_the_rest(tmp_path: Path) -> None:
    page = SHARED.replace("""f: sum(z)
wrt: z
claim: ones(n).T""", """let: {s: sigmoid(z), t: s * s}
f: sum(s * s)
wrt: z
claim: (2 * t * (1 - s)).T""")
    html = markdown.markdown(page, extensions=["pymdownx.superfences", "mathcheck"],
                             extension_configs={"mathcheck": {"cache_dir": str(tmp_path), "jobs": 1}})
    rows = html[html.index('<div class="mathcheck-table">'):].split("<tr>")[2:]
    third = rows[2][:rows[2].index("</tr>")]
    assert "where: as in the row above, and" in third
    assert r"\mathbf{t} = \mathbf{s} \odot \mathbf{s}" in third and r"\mathbf{s} = \sigma" not in third


def test_the_names_are_defined_under_the_formula_and_the_conditions_stay_short(tmp_path: Path) -> None:
    page = NAMED.replace("columns: [title, function, derivative]", "columns: [title, statement, conditions]")
    html = markdown.markdown(page, extensions=["pymdownx.superfences", "mathcheck"],
                             extension_configs={"mathcheck": {"cache_dir": str(tmp_path), "jobs": 1}})
    table = html[html.index('<div class="mathcheck-table">'):]
    row = table[table.index('href="#bce"'):]
    row = row[:row.index("</tr>")]
    statement, conditions = row.split('data-label="Holds when"')
    assert "mathcheck-where" in statement and "mathcheck-where" not in conditions
    # formulas and definitions at display size, so that a fraction in a cell stays legible
    assert statement.count(r"\(\displaystyle ") == 1 + 2


def test_a_let_that_nothing_printed_uses_is_not_a_where() -> None:
    blocks = {block.id: block for block in find_blocks(NAMED, "page.md")}
    assert typeset(blocks["square-unused"]).lets == []
    assert [let.split(" &=")[0] for let in typeset(blocks["bce"]).lets] == ["s", "c"]
    stepped = typeset(blocks["stepped"])
    assert [let.split(" &=")[0] for let in stepped.lets] == [r"\mathbf{u}", "y"]
    assert stepped.claim_lets == stepped.f_lets == []
    bce = typeset(blocks["bce"])
    assert [let.split(" &=")[0] for let in bce.f_lets] == ["s", "c"]
    assert [let.split(" &=")[0] for let in bce.claim_lets] == ["s"]


FUNCTIONS = """```derivation
id: constant-multiple
vars:
  x: scalar
  c: scalar
  f: function
let:
  u: f(x)
f: c * f(x)
wrt: x
claim: c * d(u, x)
```

```derivation
id: chain
vars:
  x: scalar
  f: function
  g: function
let:
  u: g(x)
  y: f(u)
f: f(g(x))
wrt: x
claim: d(y, u) * d(u, x)
```
"""


def test_an_abstract_functions_own_derivative_prints_the_function_not_its_name() -> None:
    blocks = {block.id: block for block in find_blocks(FUNCTIONS, "page.md")}
    constant = typeset(blocks["constant-multiple"])
    assert constant.claim_latex == r"c \frac{d f\left( x \right)}{d x}"
    assert constant.lets == []  # u is printed nowhere: no "where u = f(x)"
    chain = typeset(blocks["chain"])
    assert [let.split(" &=")[0] for let in chain.lets] == ["u"]  # df(u)/du names u; y is not printed
