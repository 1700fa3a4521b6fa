"""Every column of a `derivation-table` shows the language's additions: a matrix by a scalar,
vec and kron, a Hessian and the new element-wise functions; `variables` gives each letter's size."""

from __future__ import annotations

from pathlib import Path

import markdown

BLOCKS = {
    "inverse-by-t": ("vars:\n  A: matrix(n, n)\n  B: matrix(n, n)\n  t: scalar\nf: inv(A + t * B)\n"
                     "wrt: t\nclaim: -inv(A + t * B) @ B @ inv(A + t * B)\n"),
    "vec-axb": ("vars:\n  A: matrix(m, n)\n  X: matrix(n, p)\n  B: matrix(p, q)\nf: vec(A @ X @ B)\n"
                "wrt: vec(X)\nlayout: denominator\nclaim: kron(B, A.T)\n"),
    "hessian": "vars:\n  x: vector(n)\n  A: matrix(n, n)\nf: x.T @ A @ x\nwrt: x\norder: 2\nclaim: A + A.T\n",
    "erf": "vars:\n  x: scalar\nf: erf(x)\nwrt: x\nclaim: 2 / sqrt(pi) * exp(-x**2)\n",
}
COLUMNS = ["title", "statement", "conditions", "function", "wrt", "derivative", "shape", "layout", "status",
           "variables"]


def test_a_table_of_the_additions_fills_every_column(tmp_path: Path) -> None:
    page = "# Additions\n\n" + "".join(
        f"```derivation\nid: {name}\n{body}tags: [added]\n```\n\n" for name, body in BLOCKS.items())
    page += f"```derivation-table\ntags: [added]\ncolumns: [{', '.join(COLUMNS)}]\n```\n"
    html = markdown.markdown(page, extensions=["pymdownx.superfences", "mathcheck"],
                             extension_configs={"mathcheck": {"cache_dir": str(tmp_path), "jobs": 1}})
    table = html[html.index('<div class="mathcheck-table">'):]
    rows = table.split("<tr>")[2:]
    assert len(rows) == len(BLOCKS)
    for row, name in zip(rows, BLOCKS):
        assert f'href="#{name}"' in row
        assert row.count("<td") == len(COLUMNS)
        assert "mathcheck-status-verified" in row
    assert r"\mathbf{B} \otimes \mathbf{A}^T" in rows[1] and r"np \times mq" in rows[1]
    variables = rows[1].split('data-label="Variables">')[1].split("</td>")[0]
    assert variables.count("mathbb{R}") == 3 and r"\mathbf{X} \in \mathbb{R}^{n \times p}" in variables
    assert variables.count('<span class="mathcheck-kind">') == 3 and variables.count(",</span>") == 2
    assert r"\operatorname{vec}(\mathbf{X})" in rows[1] and "denominator" in rows[1]
    assert r"\frac{\partial^2}{\partial \mathbf{x} \, \partial \mathbf{x}^T}" in rows[2]
    assert r"\operatorname{erf}\left( x \right)" in rows[3] and r"\sqrt{\pi}" in rows[3]
    assert r"-\left( \mathbf{A} + t \mathbf{B} \right)^{-1} \mathbf{B}" in rows[0] and r"n \times n" in rows[0]
    layouts = [row.split('data-label="Layout">')[1].split("</td>")[0] for row in rows]
    assert "either" not in layouts[0] + layouts[1]     # a matrix by a scalar, a vec Jacobian
    assert layouts[2:] == ["<span>either</span>"] * 2   # a Hessian, a scalar by a scalar
