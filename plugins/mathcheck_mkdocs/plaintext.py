"""TeX -> readable plain text (`\\frac{\\partial y}{\\partial \\mathbf{x}}` -> `∂y/∂x`), for the
search index, whose results would otherwise show TeX source. What one build converted is
kept for the next (`readable_search_index`), so a rebuild converts only new formulas."""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
from collections.abc import Callable
from pathlib import Path

ROW_GAP = re.compile(r"\\\\\[[^\]]*\]")  # a line break with extra space, `\\[0.5em]`
TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[{}^_&]|\s+|[^\\{}^_&\s]")
SYMBOLS = {
    "partial": "∂", "nabla": "∇", "times": "×", "cdot": "·", "otimes": "⊗", "oslash": "⊘",
    "bigcirc": "○", "circ": "∘", "sum": "Σ", "prod": "Π", "in": "∈", "leq": "≤", "le": "≤",
    "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈", "to": "→", "rightarrow": "→",
    "infty": "∞", "ldots": "…", "dots": "…", "cdots": "⋯", "vdots": "⋮", "ddots": "⋱",
    "lVert": "‖", "rVert": "‖", "lvert": "|", "rvert": "|", "Vert": "‖", "vert": "|", "mid": "|",
    "top": "ᵀ", "pm": "±", "mp": "∓", "quad": " ", "qquad": " ", ",": " ", ";": " ", ":": " ",
    "!": "", " ": " ", "{": "{", "}": "}", "\\": "; ", "%": "%", "&": "&", "_": "_", "#": "#",
    "langle": "⟨", "rangle": "⟩", "ell": "ℓ", "odot": "⊙", "star": "⋆", "forall": "∀",
    "exists": "∃", "implies": "⇒", "iff": "⇔", "cdotp": "·", "colon": ":", "hbar": "ħ",
}
GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ",
    "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ",
    "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ",
    "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ",
    "Psi": "Ψ", "Omega": "Ω",
}
SIZES = {"left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr",
         "biggl", "biggr", "Biggl", "Biggr", "displaystyle", "textstyle", "limits", "nolimits"}
STYLES = {"mathbf", "boldsymbol", "bm", "mathit", "mathrm", "mathsf", "mathcal", "text",
          "textrm", "textit", "textbf", "operatorname", "mathop", "mbox"}
SUPERSCRIPTS = dict(zip("0123456789+-=()nTiajkmx", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿᵀⁱᵃʲᵏᵐˣ"))
SUBSCRIPTS = dict(zip("0123456789+-=()aeijkmnotx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢⱼₖₘₙₒₜₓ"))
CELL = "\x00"   # an `&`: a comma between matrix entries, nothing in an aligned equation
APART = "\x01"  # after a fraction or a bold name: a space if a word follows (dy/du du/dx, a x)
BOLD = {"mathbf", "boldsymbol", "bm"}
WORD = r"[A-Za-z0-9α-ωΑ-Ω∂∇√]"
MARKS = "".join(SUPERSCRIPTS.values()) + "".join(SUBSCRIPTS.values())
MATH = re.compile(r"\\\((.*?)\\\)|\\\[(.*?)\\\]|\$\$(.*?)\$\$", re.S)


def plain_text(tex: str) -> str:
    """The formula `tex` as text a reader can search for and read."""
    tokens = TOKEN.findall(ROW_GAP.sub(r"\\\\", tex))
    text, _ = _group(tokens, 0, None)
    text = re.sub(r"\s+", " ", _spaced(text).replace(CELL, "")).strip()
    text = re.sub(r"(?<!\w)∂ (?=[A-Za-zα-ω])", "∂", text)  # ∂ x, ∂ u₂ in prose: ∂x, ∂u₂
    return re.sub(r"([(\[|‖]) | ([)\]|‖])", r"\1\2", text)


def math_to_text(text: str, convert: Callable[[str], str] = plain_text) -> str:
    """`text` (HTML-escaped, as in a search index) with every `\\( \\)`, `\\[ \\]` and `$$ $$`
    formula replaced by its plain text (`convert`ed)."""

    def replace(match: re.Match) -> str:
        tex = next(group for group in match.groups() if group is not None)
        return html.escape(convert(html.unescape(tex)), quote=False)

    return MATH.sub(replace, text)


def _group(tokens: list[str], i: int, end: str | None) -> tuple[str, int]:
    """Text of tokens from `i` up to `end` (a closing `}` or `\\end`), and where it stopped."""
    out: list[str] = []
    while i < len(tokens):
        token = tokens[i]
        if token == end or (end == r"\end" and token == r"\end"):
            return "".join(out), i + 1
        piece, i = _atom(tokens, i)
        out.append(piece)
    return "".join(out), i


def _argument(tokens: list[str], i: int) -> tuple[str, int]:
    """One argument: a `{...}` group or a single token."""
    while i < len(tokens) and tokens[i].isspace():
        i += 1
    if i >= len(tokens):
        return "", i
    if tokens[i] == "{":
        return _group(tokens, i + 1, "}")
    return _atom(tokens, i)


def _atom(tokens: list[str], i: int) -> tuple[str, int]:
    token = tokens[i]
    if token == "{":
        return _group(tokens, i + 1, "}")
    if token in "^_":
        arg, i = _argument(tokens, i + 1)
        arg = _spaced(arg)
        table = SUPERSCRIPTS if token == "^" else SUBSCRIPTS
        if arg and all(c in table for c in arg):
            return "".join(table[c] for c in arg), i
        return (f"{token}({arg})" if len(arg) > 1 else f"{token}{arg}"), i
    if token == "&":
        return CELL, i + 1
    if not token.startswith("\\"):
        return token, i + 1
    name = token[1:]
    if name == "frac" or name == "dfrac" or name == "tfrac":
        top, i = _argument(tokens, i + 1)
        bottom, i = _argument(tokens, i)
        return f"{APART}{_wrapped(top)}/{_wrapped(bottom)}{APART}", i
    if name == "sqrt":
        arg, i = _argument(tokens, i + 1)
        return f"√{_wrapped(arg)}", i
    if name == "mathbb":
        arg, i = _argument(tokens, i + 1)
        return {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "C": "ℂ"}.get(arg, arg), i
    if name == "hat":
        arg, i = _argument(tokens, i + 1)
        return arg + "\u0302", i
    if name in STYLES:
        arg, i = _argument(tokens, i + 1)
        return (arg + APART if name in BOLD else arg), i
    if name == "begin":
        environment, i = _argument(tokens, i + 1)
        body, i = _group(tokens, i, r"\end")
        _, i = _argument(tokens, i)
        rows = [row.strip() for row in body.split("; ") if row.strip()]
        if environment.endswith("matrix"):
            return "[" + "; ".join(re.sub(rf"\s*{CELL}\s*", ", ", row) for row in rows) + "]", i
        if environment == "cases":
            return "{ " + "; ".join(row.replace(CELL, " ") for row in rows) + " }", i
        return "; ".join(row.replace(CELL, "") for row in rows), i
    if name in SIZES:
        return "", i + 1
    if name in GREEK:
        return GREEK[name], i + 1
    if name in SYMBOLS:
        return SYMBOLS[name], i + 1
    return name, i + 1   # \sin, \log, \det, \max and the like read as their names


def _spaced(text: str) -> str:
    """`text` with each APART a space where a word follows (after any super- or subscript)."""
    text = re.sub(rf"{APART}([{MARKS}]+)", rf"\1{APART}", text)
    return re.sub(rf"{APART}(?={WORD})", " ", text).replace(APART, "")


def _wrapped(text: str) -> str:
    text = _spaced(text)
    text = re.sub(r"^(∂|d) (\S+)$", r"\1\2", text.strip())  # ∂x, dx: one symbol
    text = re.sub(r"(?<!\S)∂ (?=\S)", "∂", text)              # ∂x ∂xᵀ (a Hessian)
    return text if re.fullmatch(r"[^\s+\-/·×⊗⊙⊘=<>]+", text) else f"({text})"


def readable_search_index(path: Path, known: Path | None = None) -> None:
    """Rewrite the search index of Material's search plugin at `path` (if there is one) so
    that titles and texts carry plain text for math. `known` is a file of the formulas the
    last build converted (TeX -> text): read first, then rewritten with this build's."""
    if not path.is_file():
        return
    before = _read_known(known)
    used: dict[str, str] = {}

    def convert(tex: str) -> str:
        if tex not in used:
            used[tex] = before.get(tex) or plain_text(tex)
        return used[tex]

    index = json.loads(path.read_text(encoding="utf-8"))
    for doc in index.get("docs", []):
        for key in ("title", "text"):
            if isinstance(doc.get(key), str):
                doc[key] = math_to_text(doc[key], convert)
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    if known is not None and used != before:
        _write_known(known, used)


def _read_known(known: Path | None) -> dict[str, str]:
    """The formulas a file holds; nothing if it is missing or not a map of text to text."""
    try:
        data = json.loads(known.read_bytes()) if known is not None else {}
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        return {}
    return data


def _write_known(known: Path, formulas: dict[str, str]) -> None:
    """Replace the file at once (a reader sees the old or the new), in a folder the verdict
    cache made; one that is missing or cannot be written is left so (the cache says why)."""
    if not known.parent.is_dir():
        return
    tmp = known.with_name(f"{known.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(formulas, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, known)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
