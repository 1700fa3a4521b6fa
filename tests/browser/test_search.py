"""The site's search finds what engineers type: each query below is run by Material's own
search worker over the built site's index, as the search box runs it, and the page it is
about must be among the first three pages found; then a reader types into the search box."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

# query -> the pages that answer it (any one among the first three found)
QUERIES = {
    # both spellings
    "normalisation": ["backprop-attention/"],
    "normalization": ["backprop-attention/"],
    "regularization": ["backprop-losses/"],
    "regularisation": ["backprop-losses/"],
    "optimization": ["backprop-losses/"],
    "vectorization": ["identities-matrix/"],
    # the names engineers use
    "layernorm": ["backprop-attention/"],
    "batch normalization": ["backprop-attention/"],
    "L2 regularization": ["backprop-losses/"],
    "Hessian": ["identities-matrix/", "identities/"],
    "second derivative": ["identities/", "identities-matrix/"],
    "VJP": ["linear-map/"],
    "JVP": ["linear-map/"],
    "reverse mode": ["linear-map/"],
    "autodiff": ["linear-map/"],
    "backward pass": ["backprop/"],
    "backward": ["backprop/", "reference-layers/"],
    "dL/dW": ["backprop/", "loss-gradient/"],
    "upstream gradient": ["backprop/"],
    "gradient of the loss": ["loss-gradient/"],
    "quadratic form": ["identities/"],
    "log-det": ["identities-matrix/"],
    "log det": ["identities-matrix/"],
    "logdet": ["identities-matrix/"],
    "matrix inverse": ["identities-matrix/"],
    "Kronecker": ["identities-matrix/"],
    "chain rule": ["chain-rules/"],
    "total derivative": ["chain-rules/"],
    "multivariable chain rule": ["chain-rules/"],
    "softmax cross-entropy": ["backprop-losses/"],
    "cross entropy": ["backprop-losses/"],
    "MSE": ["backprop-losses/"],
    "least squares": ["identities/"],
    "linear regression": ["identities/"],
    "GELU": ["backprop-layers/"],
    "leaky ReLU": ["backprop-layers/"],
    "transformer": ["backprop-attention/"],
    "broadcasting": ["scalar-expansion/"],
    "elementwise": ["elementwise/"],
    "logsumexp": ["backprop-activations/"],
    "weight decay": ["backprop-losses/"],
    # a formula as typed
    "d/dw": ["neuron-gradient/", "elementwise/", "reference/", "loss-gradient/"],
}

# Material's search worker, given the site's index as the page gives it, answering queries.
ASK_WORKER = """async (queries) => {
  const config = JSON.parse(document.getElementById('__config').textContent);
  const base = new URL(config.base + '/', location.href);
  const worker = new Worker(new URL(config.search, base));
  const index = await (await fetch(new URL('search/search_index.json', base))).json();
  const ask = message => new Promise(resolve => {
    worker.onmessage = event => resolve(event.data);
    worker.postMessage(message);
  });
  await ask({type: 0, data: {config: index.config, docs: index.docs, options: {suggest: false}}});
  const pages = {};
  for (const query of queries) {
    const result = await ask({type: 2, data: query});
    pages[query] = result.data.items.map(group => group[0].location.split('#')[0]);
  }
  worker.terminate();
  return pages;
}"""


@pytest.fixture(scope="module")
def found(browser: BrowserContext, real_site: tuple[str, Path]) -> dict[str, list[str]]:
    """query -> the pages the site's search finds for it, best first."""
    tab = browser.new_page()
    tab.goto(real_site[0])
    pages = tab.evaluate(ASK_WORKER, list(QUERIES))
    tab.close()
    return pages


@pytest.mark.parametrize("query", list(QUERIES))
def test_search_finds_the_page_for_what_engineers_type(found: dict[str, list[str]], query: str) -> None:
    first = found[query][:3]
    assert set(first) & set(QUERIES[query]), f"{query!r}: first pages found {first}, wanted one of {QUERIES[query]}"


def search(page: Page, url: str, query: str, more: bool = False) -> str:
    """Types `query` into the search box; the text of the results shown (with `more`, each
    page's further matches, "N more on this page", opened as a reader would)."""
    page.goto(url)
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query)
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    if more:
        page.evaluate("document.querySelectorAll('.md-search-result details').forEach(d => d.open = true)")
    return page.locator(".md-search-result").inner_text()


def test_a_synonym_finds_the_page_and_the_result_shows_the_pages_own_words(page: Page, real_site: tuple[str, Path]) -> None:
    search(page, real_site[0], "layernorm")
    result = page.locator(".md-search-result__item").filter(has=page.locator('a[href*="backprop-attention/"]')).first
    shown = result.inner_text()
    assert re.search(r"layer norm", shown, re.I), shown[:500]
    assert "layernorm" not in shown.lower(), shown[:500]  # the word added for search is never shown
    result.locator("a").first.click()  # instant navigation to the result
    expect(page).to_have_url(re.compile(r"backprop-attention/"))
    expect(page.locator("article h1#backprop-normalisation-attention-embeddings-and-dropout")).to_be_visible()


def test_a_table_row_reads_as_one_line_in_the_results(page: Page, real_site: tuple[str, Path]) -> None:
    shown = search(page, real_site[0], "Quotient rule", more=True)
    assert "Quotient rule — d/dx ((f(x))/(g(x))) = " in shown, shown[:800]
    assert not re.search(r"[a-z]d/dx", shown), "cells run together"
