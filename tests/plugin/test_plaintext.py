"""Formulas as the search index shows them: TeX turned into readable text."""

from __future__ import annotations

import pytest

from plugins.mathcheck_mkdocs.plaintext import math_to_text, plain_text


@pytest.mark.parametrize("tex, text", [
    (r"\frac{\partial}{\partial \mathbf{w}} \max\left( 0, \mathbf{w}^T \mathbf{x} + b \right)",
     "∂/∂w max(0, wᵀ x + b)"),
    (r"\begin{aligned}\frac{d u}{d x} &= 2 x \\ \frac{d y}{d u} &= \cos\left( u \right)\end{aligned}",
     "du/dx = 2 x; dy/du = cos(u)"),
    (r"\begin{bmatrix} 6 y x & 3 x^{2} \end{bmatrix}", "[6 y x, 3 x²]"),
    (r"\begin{cases} 1 & \text{if } z > 0 \\ 0 & \text{if } z < 0 \end{cases}", "{ 1 if z > 0; 0 if z < 0 }"),
    (r"\mathbf{x} \in \mathbb{R}^{n}", "x ∈ ℝⁿ"),
    (r"\nabla_{\mathbf{W}} f", "∇_W f"),
    (r"\frac{2}{N} \mathbf{X}^T", "2/N Xᵀ"),
    (r"\frac{a + b}{c}", "(a + b)/c"),
    (r"\sum_{i=1}^{n} x_i \sigma", "Σᵢ₌₁ⁿ xᵢ σ"),
    (r"\left\lVert \mathbf{x} \right\rVert", "‖x‖"),
])
def test_tex_reads_as_text(tex: str, text: str) -> None:
    assert plain_text(tex) == text


def test_only_the_formulas_of_an_escaped_text_change() -> None:
    assert math_to_text(r"shape \(1 \times n\) and \[a &lt; b^{2}\]; 3 \ 4") == r"shape 1 × n and a &lt; b²; 3 \ 4"
