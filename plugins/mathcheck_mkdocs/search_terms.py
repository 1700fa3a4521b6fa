"""What readers type, added to the search index: the site's own synonyms (`search_synonyms`),
the other spelling of -ise/-ize words, formulas as typed on a keyboard (`d/dw`, `x_i`) and
words freed of the brackets around them (`(VJP)` is found by `VJP`).

Material's search indexes every field its index's `config.fields` names and shows only a
page's title, text and tags: the additions go into two fields of their own, one for each
entry's title and one for its text, so a result is found by them and never shows them.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

Synonyms = dict[str, tuple[str, ...]]  # a term the site uses -> what readers type for it

FIELDS = {"title_alternatives": 1e3, "text_alternatives": 1.0}  # as Material boosts title and text
SEPARATOR = re.compile(r"[\s\-]+")  # where Material's search splits text into words (its default)
TAG = re.compile(r"<[^>]*>")
OPENING = "([{\"'"  # before a word, they hide it from a search for it: Material matches words from their start

# -ise/-ize and -yse/-yze words, both ways; never a word spelt one way only (otherwise,
# precise, promise, exercise, size), judged by its -ise form.
SPELLING = re.compile(r"^([a-z]{2,}[iy])([sz])(ation|ations|e|ed|es|ing|er|ers)$")
ONE_SPELLING = set("""rise arise precise concise exercise excise incise promise compromise premise
    demise surmise advise revise devise supervise televise improvise noise poise turquoise tortoise
    porpoise guise disguise raise praise cruise bruise treatise expertise enterprise franchise
    merchandise advertise chastise despise paradise comprise surprise apprise reprise size resize
    downsize oversize capsize seize prize""".split())

# Formulas as a keyboard types them: d/dw for ∂/∂w, x_i for xᵢ, sigma for σ. (Not x^T for
# xᵀ: Material's search reads `^` as a boost, so no query can hold it.)
KEYBOARD = {"∂": "d", "√": "sqrt"}
KEYBOARD.update({sub: "_" + plain for sub, plain in zip("₀₁₂₃₄₅₆₇₈₉ₐₑᵢⱼₖₘₙₒₜₓ", "0123456789aeijkmnotx")})
KEYBOARD.update(zip("αβγδεζηθικλμνξπρστφχψω", "alpha beta gamma delta epsilon zeta eta theta iota kappa "
                    "lambda mu nu xi pi rho sigma tau phi chi psi omega".split()))


class SynonymsError(ValueError):
    """`search_synonyms` is not a map of terms to what readers type: what is wrong and where."""


def read_synonyms(value: object, root: Path, where: str = "mkdocs.yml: plugins: mathcheck: search_synonyms") -> Synonyms:
    """The synonyms a site configured: a map written in mkdocs.yml, or the name of a YAML
    file (relative to `root`, the folder of mkdocs.yml) holding one."""
    if isinstance(value, str):
        path = root / value
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise SynonymsError(f"{where}: cannot read {value} ({error.strerror}); name a YAML file of "
                                "`term: [what readers type, ...]` relative to mkdocs.yml") from None
        return _synonyms_file(text, value)
    return _synonyms(value, lambda term: where if term is None else f"{where}: {term!r}")


def _synonyms_file(text: str, name: str) -> Synonyms:
    try:
        node = yaml.compose(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise SynonymsError(f"{name}{line}: not YAML ({getattr(error, 'problem', error)}); write one "
                            "`term: [what readers type, ...]` a line") from None
    lines = {}
    if isinstance(node, yaml.MappingNode):
        lines = {key.value: key.start_mark.line + 1 for key, _ in node.value if isinstance(key, yaml.ScalarNode)}
    data = yaml.safe_load(text)
    line = 1 if node is None else node.start_mark.line + 1
    return _synonyms({} if data is None else data,
                     lambda term: f"{name}:{lines.get(term, line)}" + ("" if term is None else f": {term!r}"))


def _synonyms(data: object, where) -> Synonyms:
    if not isinstance(data, Mapping):
        raise SynonymsError(f"{where(None)}: write a map of terms the site uses to what readers type, "
                            "e.g. `normalisation: [normalization]`")
    synonyms: Synonyms = {}
    for term, alternatives in data.items():
        if isinstance(alternatives, str):
            alternatives = [alternatives]
        if not isinstance(term, str) or not term.strip():
            raise SynonymsError(f"{where(term)}: a term is a word or phrase the pages use; write it as text")
        if (not isinstance(alternatives, list) or not alternatives
                or not all(isinstance(a, str) and a.strip() for a in alternatives)):
            raise SynonymsError(f"{where(term)}: list what readers type for it, "
                                f"e.g. `{term}: [{term}s, another name]`; got {alternatives!r}")
        synonyms[term.strip()] = tuple(a.strip() for a in alternatives)
    return synonyms


def findable_search_index(path: Path, synonyms: Synonyms, spellings: bool = True) -> None:
    """Add to each entry of the search index at `path` (if there is one) what readers type
    for what the entry says."""
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    matchers = [(_matcher(term), alternatives) for term, alternatives in synonyms.items()]
    for doc in index.get("docs", []):
        for field, source in (("title_alternatives", "title"), ("text_alternatives", "text")):
            words = alternatives(_plain(doc.get(source, "")), matchers, spellings)
            if words:
                doc[field] = " ".join(words)
    fields = index.setdefault("config", {}).setdefault("fields", {})
    for field, boost in FIELDS.items():
        fields.setdefault(field, {"boost": boost})
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def alternatives(text: str, matchers: Iterable[tuple[Term, tuple[str, ...]]], spellings: bool = True) -> list[str]:
    """Words for `text` that it does not hold itself: the synonyms of the terms it uses, the
    other spelling of its -ise/-ize words, its formulas as typed, its words without brackets."""
    have = {word.lower() for word in SEPARATOR.split(text) if word}
    lowered = text.lower()
    found: list[str] = []
    for matcher, synonyms in matchers:
        if matcher.in_text(text, lowered):
            found.extend(_words(" ".join(synonyms)))
    for word in have:
        found.extend(_forms(word, spellings))
    return sorted({word for word in found if word not in have})


@functools.lru_cache(maxsize=None)
def _forms(word: str, spellings: bool) -> tuple[str, ...]:
    """The words a reader may type for one word of a page (a site repeats its words, so each
    is worked out once)."""
    bare = word.lstrip(OPENING)
    if not any(char.isalpha() for char in bare):
        return ()
    forms = [bare, _typed(bare)]
    if spellings:
        forms.append(_other_spelling(bare.rstrip(".,;:!?)]}\"'")))
    return _words(" ".join(forms))


def _words(phrase: str) -> tuple[str, ...]:
    return tuple(word for word in SEPARATOR.split(phrase.lower()) if word)


@dataclass(frozen=True)
class Term:
    """A term as a pattern, and the first of its words, which any text that uses the term
    holds: a quick test that spares the pattern most of the index's entries."""

    first: str
    pattern: re.Pattern

    def in_text(self, text: str, lowered: str) -> bool:
        """Whether `text` (`lowered` its lower case) uses the term."""
        return self.first in lowered and self.pattern.search(text) is not None


def _matcher(term: str) -> Term:
    """A term, found at the start of a word (`Hessian` in `Hessians`), any case, its spaces and
    hyphens interchangeable."""
    parts = SEPARATOR.split(term.strip())
    pattern = r"[\s\-]+".join(re.escape(part) for part in parts)
    return Term(parts[0].lower(), re.compile(rf"(?<![\w]){pattern}", re.IGNORECASE))


def _other_spelling(word: str) -> str:
    match = SPELLING.match(word)
    if match is None or {match[1] + "se", match[1] + "ze"} & ONE_SPELLING or word.endswith("wise"):
        return ""
    stem, letter, ending = match.groups()
    return stem + ("z" if letter == "s" else "s") + ending


def _typed(word: str) -> str:
    return "".join(KEYBOARD.get(char, char) for char in word)


def _plain(text: str) -> str:
    return html.unescape(TAG.sub(" ", text))
