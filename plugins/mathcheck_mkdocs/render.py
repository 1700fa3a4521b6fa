"""HTML for one derivation block: its typeset statement and its verdict.

Math is emitted inside `.arithmatex` wrappers (`\\( \\)` inline, `\\[ \\]` display), the
markup `pymdownx.arithmatex` produces in generic mode, so one script typesets both the
blocks and the prose math of a page.
"""

from __future__ import annotations

from html import escape

from mathcheck import Block, Evidence, Statement, Verdict

STATUS_LABELS = {"verified": "Verified", "failed": "Failed", "error": "Error"}


def math_inline(latex: str) -> str:
    """Inline math, typeset in the browser."""
    return f'<span class="arithmatex">\\({escape(latex)}\\)</span>'


def math_display(latex: str) -> str:
    """Display math, typeset in the browser."""
    return f'<div class="arithmatex">\\[{escape(latex)}\\]</div>'


def aligned(lines: list[str]) -> str:
    """Equations written `lhs &= rhs`, one under the other, aligned on `=`."""
    return "\\begin{aligned}" + " \\\\ ".join(lines) + "\\end{aligned}"


def equations(lines: list[str]) -> str:
    """Equations `lhs &= rhs` aligned on `=` where they fit, and otherwise (the script
    decides, by width) one display each, free to break after `=` or a top-level `+`."""
    separate = "".join(math_display(line.replace("&=", "=", 1)) for line in lines)
    return (
        '<div class="mathcheck-fit">'
        f'<div class="mathcheck-aligned">{math_display(aligned(lines))}</div>'
        f'<div class="mathcheck-lines">{separate}</div></div>'
    )


def equation_number(chapter: int | None, k: int) -> str:
    """`chapter.k` (the page's place in the navigation, the block's place in the page)."""
    return f"{chapter}.{k}" if chapter else str(k)


def block_html(block: Block, verdict: Verdict, statement: Statement | None, number: str = "") -> str:
    """The block as it stands in the page: numbered, titled, with the derivative's shape
    beside the title and the statement typeset, when verified; a red box otherwise.
    (The number is HTML, not a KaTeX tag, which would overlap a formula wider than the page.)"""
    if verdict.status != "verified" or statement is None:
        return bad_block_html(block, verdict)
    anchor = escape(block.id or "")
    numbered = f'<span class="mathcheck-number">({escape(number)})</span> ' if number else ""
    parts = [
        f'<div class="mathcheck-block" id="{anchor}">',
        f'<p class="mathcheck-heading"><a class="mathcheck-title" href="#{anchor}">'
        f'{numbered}{escape(statement.title or block.id or "")}</a>'
        f'<span class="mathcheck-shape" title="shape of the derivative, {escape(statement.layout)} layout">'
        f"{math_inline(statement.shape_note)}</span></p>",
        math_display(statement.latex),
    ]
    if statement.assumptions:
        parts.append(
            '<p class="mathcheck-assume">for '
            + ", ".join(math_inline(a) for a in statement.assumptions)
            + "</p>"
        )
    if statement.lets:
        parts.append('<p class="mathcheck-label">where</p>' + equations(statement.lets))
    if statement.steps:
        parts.append('<p class="mathcheck-label">step by step</p>' + equations(statement.steps))
    parts.append(verdict_html(verdict, statement))
    parts.append("</div>")
    return "".join(parts)


def verdict_html(verdict: Verdict, statement: Statement) -> str:
    """The badge; it opens to the evidence behind the verdict."""
    rows = [("Layout", f"{escape(statement.layout)}, shape {math_inline(statement.shape_note)}")]
    if verdict.evidence is not None:
        rows = evidence_rows(verdict.evidence) + rows
    items = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in rows)
    detail = verdict.evidence.detail if verdict.evidence is not None else ""
    return (
        '<details class="mathcheck-verdict">'
        f'<summary class="mathcheck-badge">{STATUS_LABELS[verdict.status]}</summary>'
        f'<dl class="mathcheck-evidence">{items}</dl>'
        + (f'<pre class="mathcheck-detail">{escape(detail)}</pre>' if detail else "")
        + "</details>"
    )


def evidence_rows(evidence: Evidence) -> list[tuple[str, str]]:
    """Name and HTML value of each piece of evidence, in reading order."""
    sizes = "; ".join(
        ", ".join(f"{escape(letter)} = {value}" for letter, value in size.items()) for size in evidence.sizes
    )
    return [
        ("Sizes tried", sizes or "none (no sized variable)"),
        ("Random points", str(evidence.points)),
        ("Largest relative error", f"{evidence.max_rel_error:.1e}"),
        ("Methods", escape(", ".join(evidence.methods))),
    ]


def bad_block_html(block: Block, verdict: Verdict) -> str:
    """A red box with the checker's message, where the block stands (shown by `mkdocs serve`)."""
    anchor = f' id="{escape(block.id)}"' if block.id else ""
    heading = f"{STATUS_LABELS[verdict.status]}: {block.title or block.id or 'derivation block'}"
    return (
        f'<div class="mathcheck-block mathcheck-bad"{anchor} role="alert">'
        f'<p class="mathcheck-title">{escape(heading)}</p>'
        f'<pre class="mathcheck-message">{escape(verdict.message)}</pre>'
        '<details class="mathcheck-verdict"><summary class="mathcheck-badge">Block source</summary>'
        f'<pre class="mathcheck-detail">{escape(block.source)}</pre></details>'
        "</div>"
    )


def problem_html(message: str) -> str:
    """A red box for something other than a block, such as a table naming an unknown id."""
    return (
        '<div class="mathcheck-block mathcheck-bad" role="alert">'
        f'<pre class="mathcheck-message">{escape(message)}</pre></div>'
    )
