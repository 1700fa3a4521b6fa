"""What readers type finds the page: synonyms a site configures, the other spelling of
-ise/-ize words, formulas as typed, and a table's rows as lines the search index can read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from plugin_sites import run_mkdocs

from plugins.mathcheck_mkdocs.held_back import HeldBack
from plugins.mathcheck_mkdocs.search_terms import (
    SynonymsError,
    _matcher,
    _other_spelling,
    alternatives,
    findable_search_index,
    read_synonyms,
)


@pytest.mark.parametrize("word, other", [
    ("normalisation", "normalization"), ("normalizations", "normalisations"), ("regularisers", "regularizers"),
    ("optimiser", "optimizer"), ("minimize", "minimise"), ("standardises", "standardizes"),
    ("vectorization", "vectorisation"), ("analyse", "analyze"), ("paralysed", "paralyzed"),
    # spelt one way only: left alone
    ("exercises", ""), ("promised", ""), ("surprising", ""), ("otherwise", ""), ("elementwise", ""), ("size", ""),
    ("resize", ""), ("precise", ""), ("noise", ""), ("arise", ""), ("houses", ""), ("biases", ""), ("analysis", ""),
])
def test_the_other_spelling(word: str, other: str) -> None:
    """The word spelt the other way; nothing for a word spelt one way only."""
    assert _other_spelling(word) == other


def matchers(synonyms: dict) -> list:
    return [(_matcher(term), tuple(alternatives)) for term, alternatives in synonyms.items()]


@pytest.mark.parametrize("text, synonyms, added, not_added", [
    # a term at the start of a word, any case, a space for a hyphen
    ("Two Hessians of a quadratic form", {"Hessian": ["second derivative"]}, ["second", "derivative"], []),
    ("the layer-norm backward rule", {"layer norm": ["layernorm"]}, ["layernorm"], []),
    ("a shessian is not a word", {"Hessian": ["second derivative"]}, [], ["second"]),
    ("∇_W l(W x + b) = ∇_y l xᵀ", {"∇_W": ["dL/dW"]}, ["dl/dw"], []),
    # a word the entry holds already is not added again
    ("the backward pass and its backward rule", {"backward": ["backward pass", "reverse mode"]}, ["reverse", "mode"], ["backward", "pass"]),
    # the other spelling; formulas as typed; words out of their brackets
    ("Activations and normalisation", {}, ["normalization"], []),
    ("∂/∂w (wᵀ x + b) = xᵀ and σ(z)", {}, ["d/dw", "sigma(z)"], []),
    ("forward mode (JVP) and reverse mode (VJPs); (2.1) sum((x", {}, ["jvp)", "vjps);"], ["2.1)", "sum((x", "sum("]),
])
def test_alternatives_are_what_readers_type(text: str, synonyms: dict, added: list, not_added: list) -> None:
    words = alternatives(text, matchers(synonyms))
    assert set(added) <= set(words), words
    assert not set(not_added) & set(words), words
    assert not {word.lower() for word in text.split()} & set(words)


def test_spellings_can_be_left_alone() -> None:
    assert "normalization" not in alternatives("normalisation", [], spellings=False)


def index_file(path: Path, *docs: dict) -> Path:
    path.write_text(json.dumps({"config": {"fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}}},
                                "docs": list(docs)}))
    return path


def test_the_index_gets_fields_it_searches_and_never_shows(tmp_path: Path) -> None:
    index = index_file(tmp_path / "search_index.json",
                       {"location": "a/", "title": "Layer norm", "text": "<p>The <code>backward</code> rule</p>"},
                       {"location": "b/", "title": "Plain", "text": "<p>nothing to add</p>"})
    findable_search_index(index, {"layer norm": ("layernorm",), "backward": ("backprop",)})
    data = json.loads(index.read_text())
    assert data["config"]["fields"]["title_alternatives"] == {"boost": 1000.0}
    assert data["config"]["fields"]["text_alternatives"] == {"boost": 1.0}
    first, second = data["docs"]
    assert first["title_alternatives"] == "layernorm" and first["text_alternatives"] == "backprop"
    assert (first["title"], first["text"]) == ("Layer norm", "<p>The <code>backward</code> rule</p>")  # what a result shows
    assert "title_alternatives" not in second and "text_alternatives" not in second


def test_no_index_no_change(tmp_path: Path) -> None:
    findable_search_index(tmp_path / "search_index.json", {"a": ("b",)})
    assert not (tmp_path / "search_index.json").exists()


@pytest.mark.parametrize("value, message", [
    (["normalisation"], "write a map of terms the site uses to what readers type"),
    ({"normalisation": []}, "'normalisation': list what readers type for it"),
    ({"normalisation": [3]}, "'normalisation': list what readers type for it"),
    ({"normalisation": {"us": "normalization"}}, "'normalisation': list what readers type"),
    ({"": ["x"]}, "a term is a word or phrase the pages use"),
    ({7: ["x"]}, "a term is a word or phrase the pages use"),
])
def test_bad_synonyms_say_what_to_write(tmp_path: Path, value: object, message: str) -> None:
    with pytest.raises(SynonymsError, match="mkdocs.yml: plugins: mathcheck: search_synonyms") as error:
        read_synonyms(value, tmp_path)
    assert message in str(error.value)


def test_synonyms_from_a_file_and_its_errors_by_line(tmp_path: Path) -> None:
    (tmp_path / "good.yml").write_text("# what readers type\nlayer norm: [layernorm]\nHessian: second derivative\n")
    assert read_synonyms("good.yml", tmp_path) == {"layer norm": ("layernorm",), "Hessian": ("second derivative",)}
    (tmp_path / "bad.yml").write_text("layer norm: [layernorm]\nHessian:\n")
    with pytest.raises(SynonymsError, match=r"^bad\.yml:2: 'Hessian': list what readers type"):
        read_synonyms("bad.yml", tmp_path)
    (tmp_path / "broken.yml").write_text("layer norm: [layernorm\n")
    with pytest.raises(SynonymsError, match=r"^broken\.yml:2: not YAML"):
        read_synonyms("broken.yml", tmp_path)
    with pytest.raises(SynonymsError, match="cannot read missing.yml"):
        read_synonyms("missing.yml", tmp_path)


def test_what_the_index_reads_instead_is_gone_from_the_finished_page() -> None:
    held = HeldBack()
    content = "<p>before</p>" + held.hold("<table>T</table>", read_as="<ul><li>row</li></ul>") + held.hold("<b>E</b>")
    assert "<li>row</li>" in content and "<table>" not in content  # what the search index reads
    assert held.fill(content) == ("<p>before</p><table>T</table><b>E</b>", 0)


def test_a_built_site_reads_table_rows_as_lines_and_finds_synonyms(site_factory, shared_cache: Path) -> None:
    site = site_factory(plugin_options="      search_synonyms:\n        element-wise: [elementwise, Hadamard]\n")
    assert run_mkdocs(site, "--strict", cache_dir=shared_cache).returncode == 0
    index = json.loads((site / "site" / "search" / "search_index.json").read_text())
    home = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith(("", "#")) and "/" not in doc["location"])
    assert ("<p>Vector rules</p><ul><li>Sum of a vector — sum(x) — by x — 1ᵀ — shape 1 × n</li>"
            "<li>Jacobian of the element-wise product — w ⊙ x — by w — diag(x) — shape n × n</li></ul>") in home, home
    page = (site / "site" / "index.html").read_text()
    assert "<table>" in page and "<!--mathcheck" not in page and "— shape" not in page
    rules = [doc for doc in index["docs"] if doc["location"].startswith("rules/")]
    assert any("hadamard" in doc.get("title_alternatives", "") + doc.get("text_alternatives", "") for doc in rules)


def test_a_bad_synonym_fails_the_build_saying_what_to_write(site_factory, shared_cache: Path) -> None:
    site = site_factory(plugin_options="      search_synonyms:\n        Hessian: []\n")
    build = run_mkdocs(site, cache_dir=shared_cache)
    assert build.returncode != 0
    assert "search_synonyms: 'Hessian': list what readers type for it" in build.output, build.output
