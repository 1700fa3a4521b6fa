"""HTML for one derivation block: its typeset statement and its verdict.

Math is emitted inside `.arithmatex` wrappers (`\\( \\)` inline, `\\[ \\]` display), the
markup `pymdownx.arithmatex` produces in generic mode, so one script typesets both the
blocks and the prose math of a page.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from mathcheck import Block, Evidence, Statement, Verdict
from mathcheck.pages.blocks import pictures_asked
from mathcheck.checking.verdicts import Example, printable

from .pictures import evidence_shapes_html, pictures_html
from .templating import render

SHOWN_SOURCE = 4000  # characters of a bad block's source its red box shows

STATUS_LABELS = {"verified": "Verified", "failed": "Failed", "error": "Error"}
Defer = Callable[..., str]  # HTML the search index skips (and, `read_as`, what it reads instead) -> what stands in the page for now


def shown(html: str, read_as: str = "") -> str:
    """Nothing deferred: the HTML stands in the page as it is."""
    return html


def math_inline(latex: str) -> str:
    """Inline math, typeset in the browser (the TeX escaped as element text)."""
    return f'<span class="arithmatex">\\({escape(latex, quote=False)}\\)</span>'


def math_display(latex: str) -> str:
    """Display math, typeset in the browser."""
    return f'<div class="arithmatex">\\[{escape(latex, quote=False)}\\]</div>'


def title_html(title: str, verdict: Verdict | None = None) -> str:
    """A block's title as HTML: text, with math between `$` signs typeset inline. Where the
    title names the layout the block is written in and the block has the other one too,
    that name follows the layout switch as the formulas do."""
    pieces = title.split("$")
    if len(pieces) % 2 == 0:  # an unpaired `$` is text
        pieces = [title]
    text = escape
    if verdict is not None and verdict.other is not None and verdict.statement is not None:
        written = f"{verdict.statement.layout} layout"
        switched = by_layout(verdict, lambda s, defer: f"<span>{escape(s.layout)} layout</span>", tag="span")
        text = lambda piece: escape(piece).replace(written, switched)  # noqa: E731
    return "".join(math_inline(piece) if k % 2 else text(piece) for k, piece in enumerate(pieces))


def aligned(lines: list[str]) -> str:
    """Equations written `lhs &= rhs`, one under the other, aligned on `=`, with room
    between them (fractions above and below would touch)."""
    return "\\begin{aligned}" + " \\\\[0.5em] ".join(lines) + "\\end{aligned}"


def equations(lines: list[str], defer: Defer = shown) -> str:
    """Equations `lhs &= rhs` aligned on `=` where they fit, and otherwise (the script
    decides, by width) one display each, free to break after `=` or a top-level `+`."""
    separate = "".join(math_display(line.replace("&=", "=", 1)) for line in lines)
    return (
        '<div class="mathcheck-fit">'
        f'<div class="mathcheck-aligned">{math_display(aligned(lines))}</div>'
        + defer(f'<div class="mathcheck-lines" data-search-exclude>{separate}</div>')
        + "</div>"
    )


def equation_number(chapter: int | None, k: int) -> str:
    """`chapter.k` (the page's place in the navigation, the block's place in the page)."""
    return f"{chapter}.{k}" if chapter else str(k)


def block_html(block: Block, verdict: Verdict, number: str = "", about: str = "",
               defer: Defer = shown, lets_as: tuple[str, str] | None = None) -> str:
    """The block as it stands in the page: numbered, titled, with the derivative's shape
    beside the title, its variables' kinds and the statement typeset, when verified; a red
    box otherwise. `about` links the evidence to a page on what "verified" means; the parts
    the search index skips (the shape, the kinds, the evidence, the equations one per line)
    go through `defer`. `lets_as` (number, anchor) names an earlier block of the page with
    the same definitions, which are then not printed again.
    (The number is HTML, not a KaTeX tag, which would overlap a formula wider than the page.)"""
    statement = verdict.statement
    if verdict.status != "verified" or statement is None:
        return bad_block_html(block, verdict)
    anchor = escape(block.id or "")
    # The deferred parts are made in reading order (the search index's placeholders follow it).
    shape = by_layout(verdict, lambda s, defer: defer(
        f'<span class="mathcheck-shape" data-search-exclude title="shape of the derivative, '
        f'{escape(s.layout)} layout">{math_inline(s.shape_note)}</span>'), defer, "span")
    kinds = defer('<p class="mathcheck-kinds" data-search-exclude>'
                  + ", ".join(math_inline(k) for k in statement.kinds) + "</p>") if statement.kinds else ""
    asked = pictures_asked(block.spec or {})
    figures = pictures_html(verdict, asked)
    return render(
        "block.html",
        anchor=anchor,
        number=f'<span class="mathcheck-number">({escape(number)})</span> ' if number else "",
        title=title_html(statement.title or block.id or "", verdict),
        shape=shape,
        kinds=kinds,
        statement=by_layout(verdict, lambda s, defer: math_display(s.latex), defer)
        + layout_note(verdict),
        assumptions=", ".join(math_inline(a) for a in statement.assumptions),
        lets=lets_html(statement.lets, lets_as, defer),
        steps=by_layout(verdict, lambda s, defer: equations(s.steps, defer), defer)
        if statement.steps else "",
        pictures=defer(figures) if figures else "",
        verdict=defer(verdict_html(verdict, statement, about, evidence_shapes_html(verdict, asked))),
    )


def lets_html(lets: list[str], same_as: tuple[str, str] | None, defer: Defer = shown) -> str:
    """A block's definitions, or, where an earlier block printed the very same ones, a link
    to them (a section of blocks over one set of definitions prints them once)."""
    if not lets:
        return ""
    if same_as is None:
        return equations(lets, defer)
    number, anchor = same_as
    return f'<p class="mathcheck-where-same">as in <a href="#{escape(anchor)}">({escape(number)})</a></p>'


# --- the layout switch: a block whose derivative has a layout carries both statements ---

def by_layout(verdict: Verdict, html: Callable[[Statement, Defer], str], defer: Defer = shown,
              tag: str = "div") -> str:
    """`html` of the written statement, as it always stands, followed, where the block has
    one, by the other layout's statement (checked like it) in a wrapper that shows, in place
    of what precedes it, when the reader's layout switch asks for that layout
    (mathcheck.js, mathcheck.css). The other is held back from the search index, whole."""
    written, other = verdict.statement, verdict.other
    assert written is not None
    if other is None:
        return html(written, defer)
    return html(written, defer) + defer(
        f'<{tag} class="mathcheck-alt" data-layout="{escape(other.layout)}" '
        f'data-search-exclude>{html(other, shown)}</{tag}>')


def layout_note(verdict: Verdict) -> str:
    """What a page without the switch (no script, or on paper) says of a block's layout;
    and, shown when the reader's switch picks the other layout, that the page's text speaks
    of the layout the block is written in."""
    if verdict.other is None or verdict.statement is None:
        return ""
    written, other = escape(verdict.statement.layout), escape(verdict.other.layout)
    return (f'<p class="mathcheck-layout-note" data-search-exclude>Shown as written: {written} layout.</p>'
            f'<p class="mathcheck-alt mathcheck-layout-switched" data-layout="{other}" data-search-exclude>'
            f'Shown in the {other} layout, as picked in the header. The page writes this formula, '
            f'and its text speaks of it, in the {written} layout.</p>')


def other_layout_html(other: Statement) -> str:
    """The evidence's account of the other layout's statement, checked as the written one."""
    return (f"{escape(other.layout)} too: the claim and each step transposed were checked in the "
            f"same way ({math_inline(other.checks[0][0])}"
            + (f" and {len(other.steps)} step{'s' if len(other.steps) > 1 else ''}" if other.steps else "")
            + ")")


def verdict_html(verdict: Verdict, statement: Statement, about: str = "", shapes: str = "") -> str:
    """The badge; it opens to the evidence: what was checked, a worked example, the sizes
    and points tried, how close the numbers came, and a link to what "verified" means."""
    evidence = verdict.evidence
    rows = evidence_rows(evidence) if evidence is not None else []
    rows.append(("Layout", f"{escape(statement.layout)}; the derivative is {math_inline(statement.shape_note)}"))
    if verdict.other is not None:
        rows.append(("Other layout", other_layout_html(verdict.other)))
    items = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in rows)
    example = evidence.example if evidence is not None else None
    link = f'<p class="mathcheck-about"><a href="{escape(about)}">What “verified” means</a></p>' if about else ""
    return (
        '<details class="mathcheck-verdict" data-search-exclude>'
        f'<summary class="mathcheck-badge">{STATUS_LABELS[verdict.status]}'
        '<span class="mathcheck-open">evidence</span></summary>'
        '<div class="mathcheck-panel">'
        + checked_html(statement)
        + (example_html(example, statement) if example is not None else "")
        + f'<dl class="mathcheck-evidence">{items}</dl>'
        + shapes
        + link
        + "</div></details>"
    )


def checked_html(statement: Statement) -> str:
    """The list of what was checked: the claim (each case on its own side), each step."""
    items = []
    for equation, condition in statement.checks:
        if not statement.cases:
            items.append(f"the claim {math_inline(equation)}")
        elif condition:
            items.append(f"the case {math_inline(equation)}, only where {math_inline(condition)}")
        else:
            items.append(f"the case {math_inline(equation)}, where no other case holds")
    items += [f"step {k}: {math_inline(step.replace('&=', '=', 1))}" for k, step in enumerate(statement.steps, 1)]
    return (
        '<p class="mathcheck-what">Checked at every size and point below, each against '
        "the derivative by finite differences and by sympy:</p>"
        '<ol class="mathcheck-checked">' + "".join(f"<li>{item}</li>" for item in items) + "</ol>"
    )


def example_html(example: Example, statement: Statement) -> str:
    """One of the checks worked out: the sizes, the point, the claimed value and the value
    by central differences, side by side."""
    sizes = ", ".join(f"{escape(k)} = {v}" for k, v in example.sizes.items())
    case = ""
    if statement.cases and example.case < len(statement.checks):
        condition = statement.checks[example.case][1]
        case = f" (the case where {math_inline(condition)})" if condition else " (the last case)"
    point = "".join(
        f"<div>{math_display(f'{statement.symbols.get(name, name)} = {_matrix(value, 6)}')}</div>"
        for name, value in example.point.items()
    )
    return (
        f'<p class="mathcheck-what">For example{case}, at {sizes + ", " if sizes else ""}the point</p>'
        f'<div class="mathcheck-example">{point}</div>'
        '<div class="mathcheck-example">'
        f"<div><p>the claim gives</p>{math_display(_matrix(example.claimed))}</div>"
        f"<div><p>finite differences of f give</p>{math_display(_matrix(example.numeric))}</div>"
        "</div>"
    )


def _matrix(rows: list[list[float]], digits: int = 10) -> str:
    if len(rows) == 1 and len(rows[0]) == 1:
        return _number(rows[0][0], digits)
    body = r" \\ ".join(" & ".join(_number(v, digits) for v in row) for row in rows)
    return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"


def _number(value: float, digits: int = 10) -> str:
    mantissa, _, exponent = f"{value:.{digits}g}".partition("e")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}" if exponent else mantissa


def evidence_rows(evidence: Evidence) -> list[tuple[str, str]]:
    """Name and HTML value of each piece of evidence, in reading order."""
    sizes = "; ".join(
        ", ".join(f"{escape(letter)} = {value}" for letter, value in size.items()) for size in evidence.sizes
    )
    return [
        ("Sizes tried", sizes or "none (no sized variable)"),
        ("Random points", f"{evidence.points} in all, drawn where the assumptions hold"),
        (
            "Largest relative difference",
            f"{evidence.max_rel_error:.1e}: how far the claim and the finite differences were apart at worst, "
            "as a fraction of the values' size (rounding error; a wrong claim is off by far more)",
        ),
        ("Methods", escape(", ".join(evidence.methods))),
    ] + ([("Warning", f'<span class="mathcheck-warning">{escape(evidence.warning)}</span>')]
         if evidence.warning else [])


def bad_block_html(block: Block, verdict: Verdict) -> str:
    """A red box with the checker's message, where the block stands (shown by `mkdocs serve`)."""
    heading = f"{STATUS_LABELS[verdict.status]}: {block.title or block.id or 'derivation block'}"
    source = block.source if len(block.source) <= SHOWN_SOURCE else (
        f"{block.source[:SHOWN_SOURCE]}\n… ({len(block.source) - SHOWN_SOURCE} more characters)")
    return render(
        "bad-block.html",
        anchor=escape(block.id) if block.id else "",
        heading=escape(printable(heading)),
        message=escape(printable(verdict.message)),
        suggestion=suggestion_html(verdict),
        source=escape(printable(source)),
    )


def suggestion_html(verdict: Verdict) -> str:
    """A failed block's verified derivative, typeset, and as the text to paste as its claim."""
    suggestion = verdict.suggestion
    if suggestion is None:
        return ""
    return (
        '<div class="mathcheck-suggestion"><p>A verified derivative (paste it as the '
        f'<code>claim</code>: <code>{escape(suggestion.expression)}</code>):</p>'
        f"{math_display(suggestion.latex)}</div>"
    )


def problem_html(message: str) -> str:
    """A red box for something other than a block, such as a table naming an unknown id."""
    return (
        '<div class="mathcheck-block mathcheck-bad" role="alert">'
        f'<pre class="mathcheck-message">{escape(printable(message))}</pre></div>'
    )
