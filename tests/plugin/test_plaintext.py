"""Formulas as the search index shows them: TeX turned into readable text."""

from __future__ import annotations

import json

import pytest

from plugins.mathcheck_mkdocs import plaintext
from plugins.mathcheck_mkdocs.plaintext import math_to_text, plain_text, readable_search_index


@pytest.mark.parametrize("tex, text", [
    (r"\frac{\partial}{\partial \mathbf{w}} \max\left( 0, \mathbf{w}^T \mathbf{x} + b \right)",
     "∂/∂w max(0, wᵀ x + b)"),
    (r"\begin{aligned}\frac{d u}{d x} &= 2 x \\ \frac{d y}{d u} &= \cos\left( u \right)\end{aligned}",
     "du/dx = 2 x; dy/du = cos(u)"),
    (r"\begin{aligned}\frac{d u}{d x} &= 2 x \\[0.5em] \frac{d y}{d u} &= 1\end{aligned}",
     "du/dx = 2 x; dy/du = 1"),
    (r"\begin{bmatrix} \frac{1}{2} & 1 \\[0.4em] 3 & 4 \end{bmatrix}", "[1/2, 1; 3, 4]"),
    (r"\begin{bmatrix} 6 y x & 3 x^{2} \end{bmatrix}", "[6 y x, 3 x²]"),
    (r"\begin{cases} 1 & \text{if } z > 0 \\ 0 & \text{if } z < 0 \end{cases}", "{ 1 if z > 0; 0 if z < 0 }"),
    (r"\mathbf{x} \in \mathbb{R}^{n}", "x ∈ ℝⁿ"),
    (r"\nabla_{\mathbf{W}} f", "∇_W f"),
    (r"\frac{2}{N} \mathbf{X}^T", "2/N Xᵀ"),
    (r"\frac{a + b}{c}", "(a + b)/c"),
    (r"\sum_{i=1}^{n} x_i \sigma", "Σᵢ₌₁ⁿ xᵢ σ"),
    (r"\left\lVert \mathbf{x} \right\rVert", "‖x‖"),
    (r"\frac{\partial}{\partial \operatorname{vec}(\mathbf{X})^T} \operatorname{vec}\left( \mathbf{A} \mathbf{X} "
     r"\mathbf{B} \right) = \mathbf{B}^T \otimes \mathbf{A}", "∂/∂vec(X)ᵀ vec(A X B) = Bᵀ ⊗ A"),
    (r"\frac{\mathbf{w} \odot \mathbf{x}}{2}", "(w ⊙ x)/2"),
    (r"\frac{\partial^2}{\partial \mathbf{x} \, \partial \mathbf{x}^T}", "∂²/(∂x ∂xᵀ)"),
    (r"\frac{d^2}{d x^2} \operatorname{erf}\left( x \right) = \frac{-4 x e^{-x^{2}}}{\sqrt{\pi}}",
     "d²/dx² erf(x) = (-4 x e^(-x²))/√π"),
    # side by side, nothing runs together: two fractions, a bold name and what follows it
    (r"\frac{dy}{du}\frac{du}{dx}", "dy/du du/dx"),
    (r"\mathbf{x}^T\mathbf{A}\mathbf{x}", "xᵀ A x"),
    (r"\mathbf{a}e^{u}", "a e^u"),
    (r"3\frac{a}{b}", "3 a/b"),
    (r"\frac{\mathbf{a}x}{2}", "(a x)/2"),
    (r"\partial u_2/\partial x", "∂u₂/∂x"),
])
def test_tex_reads_as_text(tex: str, text: str) -> None:
    assert plain_text(tex) == text


def test_only_the_formulas_of_an_escaped_text_change() -> None:
    assert math_to_text(r"shape \(1 \times n\) and \[a &lt; b^{2}\]; 3 \ 4") == r"shape 1 × n and a &lt; b²; 3 \ 4"


def search_index(path, *texts: str):
    path.write_text(json.dumps({"docs": [{"title": "t", "text": text} for text in texts]}))
    return path


def test_a_rebuild_converts_only_formulas_the_last_build_did_not(tmp_path, monkeypatch) -> None:
    index, known = search_index(tmp_path / "index.json", r"\(x^{2}\) and \(\mathbf{x}\)"), tmp_path / "known.json"
    readable_search_index(index, known)
    assert json.loads(known.read_text()) == {"x^{2}": "x²", r"\mathbf{x}": "x"}
    converted = []
    monkeypatch.setattr(plaintext, "plain_text", lambda tex: converted.append(tex) or tex)
    readable_search_index(search_index(index, r"\(x^{2}\), \(y\)"), known)
    assert converted == ["y"]
    assert json.loads(index.read_text())["docs"][0]["text"] == "x², y"
    assert json.loads(known.read_text()) == {"x^{2}": "x²", "y": "y"}  # only this build's formulas stay


@pytest.mark.parametrize("planted", ["[1, 2]", '{"x^{2}": 7}', "{not json", "null"])
def test_a_malformed_file_of_kept_formulas_is_ignored_and_rewritten(tmp_path, planted: str) -> None:
    index, known = search_index(tmp_path / "index.json", r"\(x^{2}\)"), tmp_path / "known.json"
    known.write_text(planted)
    readable_search_index(index, known)
    assert json.loads(index.read_text())["docs"][0]["text"] == "x²"
    assert json.loads(known.read_text()) == {"x^{2}": "x²"}


def test_kept_formulas_never_make_a_folder_of_their_own(tmp_path) -> None:
    index = search_index(tmp_path / "index.json", r"\(x^{2}\)")
    readable_search_index(index, tmp_path / "no-cache" / "known.json")
    assert json.loads(index.read_text())["docs"][0]["text"] == "x²"
    assert not (tmp_path / "no-cache").exists()
